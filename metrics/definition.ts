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
  /**
   * The span one row covers, from its `time`: `week` for weekly figures dated by the week's first
   * day (media spend, a weekly KPI in observations). Each row is then spread over its seven days,
   * so a month counts the days of each week it holds (a five-week month no longer reads 25% high).
   */
  row_period: z.enum(['day', 'week']).optional(),
});

export const DerivedDefinition = z.strictObject({
  ...common,
  expression: sqlText,
  dimensions: z.array(z.string()).optional(),
});

/** One side of a ratio: a measure over its own table, time column and filter. */
export const RatioPart = z.strictObject({
  table: z.enum(CONTRACT_TABLES),
  time: z.string().min(1),
  active_until: z.string().min(1).optional(),
  measure: sqlText,
  filter: sqlText.optional(),
});

/**
 * A ratio of two measures, each over its own table and filter, computed per period and per
 * dimension value (as MetricFlow's ratio metrics): orders per active customer in a segment is that
 * segment's orders over that segment's customers, never over everyone. Read as a derived metric of
 * two hidden parts, `<name>__numerator` and `<name>__denominator` (see ratioParts).
 */
export const RatioDefinition = z.strictObject({
  ...common,
  numerator: RatioPart,
  denominator: RatioPart,
  dimensions: z.array(z.string()).optional(),
  mature_after_days: z.number().int().min(0).max(3650).optional(),
});
export type RatioDefinition = z.infer<typeof RatioDefinition>;

/** The hidden parts of a ratio and the derived metric over them (the division is NULL on a zero denominator). */
export function ratioParts(r: RatioDefinition): {
  derived: DerivedDefinition;
  parts: Array<{ side: 'numerator' | 'denominator'; definition: AggregateDefinition }>;
} {
  const { numerator, denominator, mature_after_days, ...rest } = r;
  const part = (side: 'numerator' | 'denominator', p: z.infer<typeof RatioPart>): AggregateDefinition => ({
    name: `${r.name}__${side}`,
    label: `${r.label} (${side})`,
    description: `The ${side} of ${r.name}.`,
    unit: 'number',
    direction: r.direction,
    ...p,
    ...(r.dimensions ? { dimensions: r.dimensions } : {}),
    ...(mature_after_days !== undefined ? { mature_after_days } : {}),
  });
  return {
    derived: { ...rest, expression: `${r.name}__numerator / nullif(${r.name}__denominator, 0)` },
    parts: [
      { side: 'numerator', definition: part('numerator', numerator) },
      { side: 'denominator', definition: part('denominator', denominator) },
    ],
  };
}

export type AggregateDefinition = z.infer<typeof AggregateDefinition>;
export type DerivedDefinition = z.infer<typeof DerivedDefinition>;
export type Definition = AggregateDefinition | DerivedDefinition;

export function isDerived(d: Definition): d is DerivedDefinition {
  return 'expression' in d;
}

export { formatProblem, type Problem } from '../data/problems.ts';
