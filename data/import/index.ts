// CSV import: one transaction across all files, validated in SQL, idempotent. Two paths with one
// contract: firstLoad.ts into empty tables (about the speed of a bare read_csv), careful.ts
// otherwise and whenever the first load has a doubt; a test runs both on the same files.
import { LOAD_ORDER, type ContractTable } from '../contract.ts';
import type { Database } from '../db.ts';
import { importCarefully } from './careful.ts';
import { importFresh } from './firstLoad.ts';
import { plan, type PlannedFile } from './plan.ts';
import type { ImportFile, ImportOptions, ImportReport } from './report.ts';

export { formatProblems, MAX_REPORTED_PROBLEMS } from './report.ts';
export type { ImportFile, ImportOptions, ImportProblem, ImportProgress, ImportReport, TableSummary } from './report.ts';

/**
 * Import CSV files as one transaction. Throws BearingError('import-rejected') with the report in
 * `details` when any row breaks the contract; the database is then left exactly as it was.
 * Imports into one database run one at a time, so two never compare against the same snapshot.
 */
export async function importFiles(
  db: Database,
  files: ImportFile[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const planned = plan(files);
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => importPlanned(db, planned, options));
  running.set(db, next);
  return next;
}

const running = new WeakMap<Database, Promise<unknown>>();

async function importPlanned(db: Database, planned: PlannedFile[], options: ImportOptions): Promise<ImportReport> {
  const tables = LOAD_ORDER.filter((t) => planned.some((f) => f.table === t));
  const filesOf = (table: ContractTable) => planned.filter((f) => f.table === table).map((f) => f.label);
  const session = await db.session();
  try {
    return (
      (options.careful ? null : await importFresh(db, session, planned, tables, filesOf, options)) ??
      (await importCarefully(session, planned, tables, filesOf, options))
    );
  } finally {
    session.close();
  }
}
