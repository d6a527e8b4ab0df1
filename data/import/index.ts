// CSV import: one transaction across all files, validated in SQL, idempotent. Two paths with one
// contract: firstLoad.ts into empty tables (about the speed of a bare read_csv), careful.ts
// otherwise and whenever the first load has a doubt; a test runs both on the same files.
import { LOAD_ORDER, layoutOf, type ContractTable, type Layout } from '../contract.ts';
import type { Database, Session } from '../db.ts';
import { BearingError } from '../errors.ts';
import { readExtras } from '../schema.ts';
import { fileDigest, type HistoryFile, recordImport } from '../history.ts';
import { DryRunDone, importCarefully } from './careful.ts';
import { importFresh } from './firstLoad.ts';
import { plan, type PlannedFile } from './plan.ts';
import { formatProblems, type ImportFile, type ImportOptions, type ImportReport } from './report.ts';

export { formatProblems, MAX_REPORTED_PROBLEMS } from './report.ts';
export type { ImportFile, ImportOptions, ImportProblem, ImportProgress, ImportReport, TableSummary } from './report.ts';
export type { MappedRead, PlannedFile } from './plan.ts';

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
  return importPlannedFiles(db, plan(files), options);
}

/** Files already planned (a sync's mapped sources); imports into one database run one at a time. */
export async function importPlannedFiles(
  db: Database,
  planned: PlannedFile[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const previous = running.get(db) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => importRecorded(db, planned, options));
  running.set(db, next);
  return next;
}

/** The import, and its line in the history whatever the outcome (a dry run leaves none). */
async function importRecorded(db: Database, planned: PlannedFile[], options: ImportOptions): Promise<ImportReport> {
  if (options.dryRun) return importPlanned(db, planned, options);
  // Hashing reads each file once more, beside DuckDB's own reading.
  const digests = Promise.all(planned.map((f) => (f.path ? fileDigest(f.path) : Promise.resolve(null))));
  const entry = {
    at: new Date().toISOString(),
    who: options.who ?? 'cli',
    kind: options.kind ?? 'import',
    full_refresh: options.fullRefresh === true,
    sources: options.sources ?? [],
  };
  const files = async (): Promise<HistoryFile[]> =>
    (await digests).map((d, i) => ({ name: planned[i]!.label, sha256: d?.sha256 ?? null, bytes: d?.bytes ?? null }));
  try {
    const report = await importPlanned(db, planned, options);
    const tables = report.tables.map((t) => ({ ...t, deleted: t.deleted ?? 0, files: undefined }));
    await recordImport(db, {
      ...entry,
      method: report.method ?? null,
      ok: true,
      files: await files(),
      tables,
      problems: [],
    });
    return report;
  } catch (error) {
    const problems =
      error instanceof BearingError && error.code === 'import-rejected'
        ? formatProblems(error.details as ImportReport).slice(0, 5)
        : [error instanceof BearingError ? error.message : 'the import failed (see the server log)'];
    await recordImport(db, { ...entry, method: null, ok: false, files: await files(), tables: [], problems }).catch(
      () => undefined,
    );
    throw error;
  }
}

const running = new WeakMap<Database, Promise<unknown>>();

async function importPlanned(db: Database, planned: PlannedFile[], options: ImportOptions): Promise<ImportReport> {
  const tables = LOAD_ORDER.filter((t) => planned.some((f) => f.table === t));
  const filesOf = (table: ContractTable) => planned.filter((f) => f.table === table).map((f) => f.label);
  const session = await db.session();
  try {
    const layouts = await layoutsOf(session, tables, options);
    if (options.dryRun) {
      try {
        await importCarefully(session, planned, layouts, filesOf, options);
      } catch (error) {
        if (error instanceof DryRunDone) return error.report;
        throw error;
      }
    }
    return (
      (options.careful ? null : await importFresh(db, session, planned, layouts, filesOf, options)) ??
      (await importCarefully(session, planned, layouts, filesOf, options))
    );
  } finally {
    session.close();
  }
}

/** Each table as this import writes it: the extra columns it already has plus those the sources keep. */
async function layoutsOf(session: Session, tables: ContractTable[], options: ImportOptions): Promise<Layout[]> {
  const stored = await readExtras(session);
  return tables.map((table) => {
    const asked = options.layouts?.[table];
    const extras = [...new Set([...(stored[table] ?? []), ...(asked?.extras ?? [])])];
    return layoutOf(table, extras, asked?.key);
  });
}
