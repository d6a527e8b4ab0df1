// The shape of a metric definition file. One schema per kind; the checker adds what a schema
// cannot know (the live catalog, SQL, references between metrics).
import { z } from 'zod';
import { CONTRACT_TABLES } from '../data/contract.ts';

export const UNITS = ['ratio', 'percent', 'count', 'currency', 'score', 'days', 'number'] as const;
export type Unit = (typeof UNITS)[number];
export const GRAINS = ['day', 'week', 'month', 'quarter'] as const;
export type Grain = (typeof GRAINS)[number];

const common = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'expected snake_case: lower-case letters, digits and _, starting with a letter')
    .max(63),
  label: z.string().min(1),
  description: z.string().min(1),
  unit: z.enum(UNITS),
  direction: z.enum(['up', 'down']),
  owner: z.string().optional(),
  tags: z.array(z.string()).optional(),
  format: z.string().optional(),
  /** Rows a month needs to count in a goal's reading (a goal's own min_n wins). */
  min_n: z.number().int().min(0).max(1_000_000).optional(),
};

const sqlText = z.string().min(1, 'expected one SQL expression').max(4000);

export const AggregateDefinition = z.strictObject({
  ...common,
  table: z.enum(CONTRACT_TABLES),
  time: z.string().min(1),
  /** Optional end of a row's life: the row then counts in every period from `time` to here (null = still open). */
  active_until: z.string().min(1).optional(),
  measure: sqlText,
  filter: sqlText.optional(),
  dimensions: z.array(z.string()).optional(),
  mature_after_days: z.number().int().min(0).max(3650).optional(),
});

export const DerivedDefinition = z.strictObject({
  ...common,
  expression: sqlText,
  dimensions: z.array(z.string()).optional(),
});

export type AggregateDefinition = z.infer<typeof AggregateDefinition>;
export type DerivedDefinition = z.infer<typeof DerivedDefinition>;
export type Definition = AggregateDefinition | DerivedDefinition;

export function isDerived(d: Definition): d is DerivedDefinition {
  return 'expression' in d;
}

export { formatProblem, type Problem } from '../data/problems.ts';
