// The end of every successful import, on either path, inside its transaction: the data facts
// (as-of, per-table coverage, version) move on when anything changed, and the report says so.
import type { ContractTable } from '../contract.ts';
import { quoteIdent, type Session } from '../db.ts';
import { inferLifecycle } from '../lifecycle.ts';
import { type CoverageChange, readKeptTypes, refreshMeta } from '../schema.ts';
import type { ImportOptions, ImportReport, TableSummary } from './report.ts';

/** The tables an import wrote, and the complete-through date it declared for them, if any. */
export function coverageChange(tables: ContractTable[], options: ImportOptions): CoverageChange {
  const all = options.completeThrough;
  const byTable = options.completeThroughByTable ?? {};
  const declared = Object.fromEntries(
    tables.flatMap((t) => {
      const date = byTable[t] ?? all;
      return date ? [[t, date]] : [];
    }),
  );
  return { touched: tables, declared: Object.keys(declared).length ? declared : undefined };
}

/**
 * Each kept column's declared type as a comment on the column ('bearing:number', 'bearing:text';
 * none when undeclared), read by readKeptTypes: the data outlives the sources file that said it.
 * Whether any type changed: a column read by its values instead of its quantiles changes answers
 * (the channel comparison's), so it moves the data version on like new rows do.
 */
async function markKeptTypes(tx: Session, options: ImportOptions): Promise<boolean> {
  const kept = await readKeptTypes(tx);
  let changed = false;
  for (const [table, layout] of Object.entries(options.layouts ?? {})) {
    for (const column of layout?.extras ?? []) {
      const type = layout?.types?.[column];
      if (kept[table as ContractTable]?.[column] === type) continue;
      changed = true;
      await tx.run(
        `COMMENT ON COLUMN ${quoteIdent(table)}.${quoteIdent(column)} IS ${type ? `'bearing:${type}'` : 'NULL'}`,
      );
    }
  }
  return changed;
}

/** A declared complete-through date changes answers too, so it is a change of its own. */
export async function finishImport(
  tx: Session,
  tables: ContractTable[],
  summaries: TableSummary[],
  warnings: string[],
  options: ImportOptions,
  method: NonNullable<ImportReport['method']>,
): Promise<ImportReport> {
  const retyped = await markKeptTypes(tx, options);
  const inferred = await inferLifecycle(tx, options.lifecycle);
  const changed =
    summaries.some((s) => s.inserted + s.updated + (s.deleted ?? 0) > 0) ||
    retyped ||
    options.completeThrough !== undefined ||
    Object.keys(options.completeThroughByTable ?? {}).length > 0 ||
    inferred;
  if (changed) await refreshMeta(tx, coverageChange(tables, options));
  return {
    ok: true,
    tables: summaries,
    warnings,
    problems: [],
    problem_count: 0,
    data_version_changed: changed,
    method,
  };
}
