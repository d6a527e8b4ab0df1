// Weekly rows not declared as weekly: a KPI or spend dated by each week's first day and summed by
// month counts five weeks in some months and four in others (25% apart at the same weekly rate).
// `bearing check` names such definitions, read from the data as they are now, and says what to add.
import { type Database, quoteIdent } from '../data/db.ts';
import { spreadMeasure } from './compile.ts';
import { type AggregateDefinition, type Definition, isDerived } from './definition.ts';
import type { DefinitionWarning } from './lifecycleWarnings.ts';

/** Tables whose rows are figures for a span (a day or a week), not events. */
const SPAN_TABLES = new Set(['observations', 'media']);

export async function weeklyRowWarnings(db: Database, definitions: Definition[]): Promise<DefinitionWarning[]> {
  const out: DefinitionWarning[] = [];
  for (const d of definitions) {
    if (isDerived(d) || !candidate(d)) continue;
    const table = quoteIdent(d.table);
    const day = `CAST(${quoteIdent(d.time)} AS DATE)`;
    const rows = await db.all<{ n: number; weekdays: number; gap: number | null }>(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT dayofweek(day))::INTEGER AS weekdays, min(gap)::INTEGER AS gap
       FROM (SELECT ${day} AS day, ${day} - lag(${day}) OVER (ORDER BY ${day}) AS gap
             FROM ${table} AS ${table} ${d.filter ? `WHERE (${d.filter})` : ''})`,
    );
    const r = rows[0];
    if (!r || r.n < 8 || r.weekdays !== 1 || (r.gap !== null && r.gap < 7)) continue;
    out.push({
      metric: d.name,
      message:
        `its ${r.n} rows fall on one weekday, a week or more apart: add row_period: week so a month counts the ` +
        'days of each week it holds (by start date, a month with five of them reads 25% above one with four)',
    });
  }
  return out;
}

/** A sum over a table of spans, not yet declared, whose filter does not read the period. */
function candidate(d: AggregateDefinition): boolean {
  return (
    SPAN_TABLES.has(d.table) &&
    d.row_period === undefined &&
    !d.active_until &&
    spreadMeasure(d.measure) !== null &&
    !/period_(start|end)/i.test(d.filter ?? '')
  );
}
