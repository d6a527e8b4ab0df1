// Which date a metric is computed as of. Each table is complete through its own date (the latest
// date it holds, or one declared at import: see data/schema.ts), so a metric is as of the
// earliest date among the tables it reads; a month counts as complete only when all of them
// cover it. Pure.
import { CONTRACT_TABLES, type ContractTable } from '../data/contract.ts';
import type { DataFacts } from '../data/schema.ts';
import { isDerived, type Definition } from './definition.ts';
import { referencedMetrics } from './compile.ts';

type Resolve = (name: string) => Definition | undefined;

// Built once: tablesOf runs on every series request.
const NAMED = CONTRACT_TABLES.map((t) => ({ table: t, word: new RegExp(`\\b${t}\\b`) }));

/** Contract tables a definition reads: its own, those its SQL names (subqueries), and its parts'. */
export function tablesOf(definition: Definition, resolve: Resolve, seen = new Set<string>()): ContractTable[] {
  if (seen.has(definition.name)) return [];
  seen.add(definition.name);
  if (isDerived(definition)) {
    const parts = referencedMetrics(definition.expression, resolve)
      .map((n) => resolve(n))
      .filter((d): d is Definition => d !== undefined);
    return [...new Set(parts.flatMap((d) => tablesOf(d, resolve, seen)))];
  }
  const sql = `${definition.measure} ${definition.filter ?? ''}`.toLowerCase();
  const named = NAMED.filter((n) => n.word.test(sql)).map((n) => n.table);
  return [...new Set([definition.table, ...named])];
}

/** The earliest complete-through date of these tables (empty tables ignored), else the data's as-of. */
export function tablesAsOf(facts: DataFacts, tables: ContractTable[]): string | null {
  const dates = tables.map((t) => facts.complete_through?.[t] ?? null).filter((d): d is string => d !== null);
  return dates.length ? dates.reduce((a, b) => (b < a ? b : a)) : facts.as_of;
}

/**
 * The as-of date an answer is computed at: the one asked for (a user's statement of what is
 * complete), else its tables' own date.
 */
export function asOfFor(facts: DataFacts, tables: ContractTable[], requested?: string): string | null {
  return requested ?? tablesAsOf(facts, tables);
}
