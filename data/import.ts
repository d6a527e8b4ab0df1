// CSV import: one transaction across all files, validated in SQL, idempotent.
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { CsvFileProblem, csvSource, describeCsvError, readCsvHeader } from './csvFile.ts';
import { CONTRACT, LOAD_ORDER, isContractTable, type ContractTable } from './contract.ts';
import { quoteIdent, type Database, type Session } from './db.ts';
import { BearingError } from './errors.ts';
import { checkIncoming, createIncoming, loadIncoming, swapIn, tablesAreEmpty, tidyIncoming } from './importFresh.ts';
import {
  cleanQuery,
  cleanTable,
  convertedRows,
  problemsQuery,
  sameRow,
  stageTable,
  violationCountQueries,
} from './importValidation.ts';
import { dropIncoming, refreshMeta, type CoverageChange } from './schema.ts';

export interface ImportFile {
  path: string;
  /** Table to load into; defaults to the file's base name. */
  table?: string;
  /** Name shown in reports (defaults to the file's base name). */
  label?: string;
}

export interface ImportProblem {
  file: string;
  line: number;
  column: string;
  value: string | null;
  problem: string;
  expected?: string;
}

export interface TableSummary {
  table: ContractTable;
  files: string[];
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  ok: boolean;
  tables: TableSummary[];
  warnings: string[];
  problems: ImportProblem[];
  problem_count: number;
  data_version_changed: boolean;
  /** How the rows were loaded: 'first_load' (empty tables, converted while read) or 'careful'. */
  method?: 'first_load' | 'careful';
}

export type ImportProgress =
  | { phase: 'read'; file: string; table: ContractTable; percent: number }
  | { phase: 'validate'; table: ContractTable }
  | { phase: 'write'; table: ContractTable; rows: number };

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Skip the first-load path even into empty tables (same result, slower; for comparison and diagnosis). */
  careful?: boolean;
  /** Declare every imported table complete through this date (YYYY-MM-DD) instead of its latest date. */
  completeThrough?: string;
}

export const MAX_REPORTED_PROBLEMS = 20;

interface PlannedFile {
  index: number;
  path: string;
  label: string;
  table: ContractTable;
}

function plan(files: ImportFile[]): PlannedFile[] {
  if (!files.length) throw new BearingError('import-no-files', 'no files to import (expected one or more CSV files)');
  const problems: string[] = [];
  const planned = files.map((f, index) => {
    const label = f.label ?? basename(f.path);
    const table = (f.table ?? basename(label, extname(label))).trim().toLowerCase();
    if (!isContractTable(table)) {
      problems.push(
        `${label}: "${table}" is not a contract table (expected one of ${LOAD_ORDER.join(', ')}; name the file after its table or pass --table)`,
      );
    }
    let size = -1;
    try {
      size = statSync(f.path).size;
    } catch {
      problems.push(`${label}: file not found (${f.path})`);
    }
    if (size === 0) problems.push(`${label}:1: the file is empty (expected a header row naming the columns)`);
    return { index, path: f.path, label, table: table as ContractTable };
  });
  if (problems.length)
    throw rejected(
      problems.map((p) => ({ file: '', line: 0, column: '', value: null, problem: p })),
      problems.length,
      [],
    );
  // Dependency order: customers first, then the tables that refer to them; file order within a table.
  return planned.sort((a, b) => LOAD_ORDER.indexOf(a.table) - LOAD_ORDER.indexOf(b.table) || a.index - b.index);
}

function rejected(problems: ImportProblem[], count: number, warnings: string[]): BearingError {
  const report: ImportReport = {
    ok: false,
    tables: [],
    warnings,
    problems,
    problem_count: count,
    data_version_changed: false,
  };
  return new BearingError(
    'import-rejected',
    `import rejected: ${count} problem${count === 1 ? '' : 's'}; nothing was changed`,
    report,
  );
}

async function readHeader(_session: Session, file: PlannedFile): Promise<string[]> {
  // Read by Bearing, not sniffed by DuckDB: a sniffer takes a bad row further down for the header.
  try {
    return readCsvHeader(file.path);
  } catch (error) {
    throw csvError(error, file);
  }
}

function csvError(error: unknown, file: PlannedFile): BearingError {
  if (error instanceof BearingError) return error;
  if (error instanceof CsvFileProblem)
    return rejected([{ file: file.label, line: error.line, column: '', value: null, problem: error.message }], 1, []);
  const { line, problem } = describeCsvError(error instanceof Error ? error.message : String(error));
  return rejected([{ file: file.label, line, column: '', value: null, problem }], 1, []);
}

function warnUnknownColumns(file: PlannedFile, header: string[], warnings: string[]): void {
  const known = new Set(CONTRACT[file.table].columns.map((c) => c.name));
  for (const name of header) {
    if (!known.has(name))
      warnings.push(`${file.label}: column "${name}" is not in the ${file.table} contract and was ignored`);
  }
}

async function stage(
  session: Session,
  file: PlannedFile,
  header: string[],
  warnings: string[],
  onProgress?: ImportOptions['onProgress'],
): Promise<void> {
  const spec = CONTRACT[file.table];
  warnUnknownColumns(file, header, warnings);
  const missing = spec.columns.filter((c) => c.required && !header.includes(c.name));
  if (missing.length) {
    throw rejected(
      missing.map((c) => ({
        file: file.label,
        line: 1,
        column: c.name,
        value: null,
        problem: 'missing required column',
        expected: `a header naming ${spec.columns
          .filter((x) => x.required)
          .map((x) => x.name)
          .join(', ')}`,
      })),
      missing.length,
      warnings,
    );
  }
  const columns = spec.columns.map((c) =>
    header.includes(c.name) ? quoteIdent(c.name) : `NULL::VARCHAR AS ${quoteIdent(c.name)}`,
  );
  const select = `SELECT ${file.index} AS _file, row_number() OVER () + 1 AS _line, ${columns.join(', ')} FROM ${csvSource(header)}`;
  const exists = await session.one(`SELECT 1 AS x FROM duckdb_tables() WHERE table_name = $name AND temporary`, {
    name: stageTable(file.table),
  });
  const sql = exists
    ? `INSERT INTO ${stageTable(file.table)} ${select}`
    : `CREATE TEMP TABLE ${stageTable(file.table)} AS ${select}`;
  const timer = onProgress
    ? setInterval(
        () =>
          onProgress({ phase: 'read', file: file.label, table: file.table, percent: Math.max(0, session.progress()) }),
        200,
      )
    : undefined;
  try {
    await session.run(sql, { path: file.path });
  } catch (error) {
    throw csvError(error, file);
  } finally {
    if (timer) clearInterval(timer);
  }
  onProgress?.({ phase: 'read', file: file.label, table: file.table, percent: 100 });
}

async function findProblems(
  session: Session,
  tables: ContractTable[],
): Promise<{ problems: ImportProblem[]; count: number }> {
  const staged = new Set(tables);
  let violations = 0;
  for (const t of tables) {
    for (const sql of violationCountQueries(t, staged.has('customers') && t !== 'customers'))
      violations += (await session.one<{ n: number }>(sql))?.n ?? 0;
  }
  if (!violations) return { problems: [], count: 0 };
  const queries = tables.map((t) => problemsQuery(t, staged.has('customers') && t !== 'customers'));
  const all = `(${queries.join('\nUNION ALL\n')})`;
  const count = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${all}`))?.n ?? 0;
  const rows = count
    ? await session.all<{
        _file: number;
        _line: number;
        column: string;
        value: string | null;
        problem: string;
        expected: string;
      }>(`SELECT * FROM ${all} ORDER BY _file, _line, "column" LIMIT ${MAX_REPORTED_PROBLEMS}`)
    : [];
  return {
    problems: rows.map((r) => ({
      file: String(r._file),
      line: r._line,
      column: r.column,
      value: r.value,
      problem: r.problem,
      expected: r.expected,
    })),
    count,
  };
}

async function write(session: Session, table: ContractTable, files: string[]): Promise<TableSummary> {
  const spec = CONTRACT[table];
  const t = quoteIdent(table);
  const rowsRead = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${stageTable(table)}`))?.n ?? 0;
  const empty = ((await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))?.n ?? 0) === 0;
  if (empty) {
    // Nothing stored yet, so nothing to compare with: convert and insert in one pass.
    await session.run(`INSERT INTO ${t} ${convertedRows(table)}`);
    const inserted = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))?.n ?? 0;
    return { table, files, rows_read: rowsRead, inserted, updated: 0, unchanged: 0 };
  }
  await session.run(cleanQuery(table));
  const clean = cleanTable(table);
  // Only rows that differ from what is stored are written, so re-importing the same file changes nothing.
  await session.run(
    `CREATE TEMP TABLE changed_${table} AS SELECT * FROM ${clean} c WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ${sameRow(table, 'all')})`,
  );
  const changed = `changed_${table}`;
  let updated = 0;
  if (spec.onConflict === 'replace') {
    updated =
      (
        await session.one<{ n: number }>(
          `SELECT count(*) AS n FROM ${changed} c WHERE EXISTS (SELECT 1 FROM ${t} t WHERE ${sameRow(table, 'key')})`,
        )
      )?.n ?? 0;
    if (updated)
      await session.run(`DELETE FROM ${t} t WHERE EXISTS (SELECT 1 FROM ${changed} c WHERE ${sameRow(table, 'key')})`);
  }
  const written = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${changed}`))?.n ?? 0;
  if (written)
    await session.run(
      `INSERT INTO ${t} SELECT ${spec.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${changed}`,
    );
  const distinctRows = (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${clean}`))?.n ?? 0;
  return { table, files, rows_read: rowsRead, inserted: written - updated, updated, unchanged: distinctRows - written };
}

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

/**
 * When every table the files go to is empty (a first load, the usual big import), convert while
 * reading and check afterwards: about the speed of a bare read_csv. Returns null, with nothing
 * changed, whenever the careful path has to decide (some table holds rows, or anything at all
 * looks wrong); that path then finds and reports every problem by line.
 */
async function importFresh(
  db: Database,
  session: Session,
  planned: PlannedFile[],
  tables: ContractTable[],
  filesOf: (t: ContractTable) => string[],
  options: ImportOptions,
): Promise<ImportReport | null> {
  const warnings: string[] = [];
  const read = new Map<ContractTable, number>();
  try {
    // Row order means nothing in a first load (no line numbers are counted), so the copies are
    // written in any order: whole row groups, nothing for a checkpoint to merge later.
    const loaded = await db.inAnyOrder((loader) =>
      loader.transaction(async (tx) => {
        if (!(await tablesAreEmpty(tx, tables))) return false;
        await createIncoming(tx, tables);
        for (const file of planned) {
          const header = await readHeader(tx, file);
          warnUnknownColumns(file, header, warnings);
          const progress = (percent: number) =>
            options.onProgress?.({ phase: 'read', file: file.label, table: file.table, percent });
          read.set(
            file.table,
            (read.get(file.table) ?? 0) +
              (await loadIncoming(tx, { ...file, header }, options.onProgress ? progress : undefined)),
          );
          progress(100);
        }
        return true;
      }, false),
    ); // only the incoming copies, which nothing reads: every cached answer stays valid
    if (!loaded) return null;
    for (const table of tables) options.onProgress?.({ phase: 'validate', table });
    await tidyAndCheck(db, tables);
    return await session.transaction(async (tx) => {
      if (!(await tablesAreEmpty(tx, tables))) return null;
      const summaries: TableSummary[] = [];
      for (const table of tables) {
        const loaded = await swapIn(tx, table, read.get(table) ?? 0);
        options.onProgress?.({ phase: 'write', table, rows: loaded.rows_read });
        summaries.push({
          table,
          files: filesOf(table),
          rows_read: loaded.rows_read,
          inserted: loaded.inserted,
          updated: 0,
          unchanged: 0,
        });
      }
      const changed = summaries.some((s) => s.inserted > 0) || options.completeThrough !== undefined;
      if (changed) await refreshMeta(tx, coverageChange(tables, options));
      return {
        ok: true,
        tables: summaries,
        warnings,
        problems: [],
        problem_count: 0,
        data_version_changed: changed,
        method: 'first_load',
      };
    });
  } catch {
    // Whatever went wrong, nothing visible changed; the careful path reproduces it with a report.
    return null;
  } finally {
    await session.transaction(dropIncoming, false).catch(() => undefined);
  }
}

/**
 * Each table tidied and checked on a connection of its own (a big table's sort leaves a core idle
 * at times). A table's customers are looked up only once the incoming customers are tidied; all
 * settle before anything is dropped or the careful path starts.
 */
async function tidyAndCheck(db: Database, tables: ContractTable[]): Promise<void> {
  const workers = await Promise.all(tables.map(() => db.session()));
  try {
    const tidied = tables.map((table, i) => tidyIncoming(workers[i]!, table));
    const customersTidied = tidied[tables.indexOf('customers')] ?? Promise.resolve();
    const checked = tables.map(async (table, i) => {
      await Promise.all([tidied[i], customersTidied]);
      await checkIncoming(workers[i]!, table, tables);
    });
    const failed = (await Promise.allSettled([...tidied, ...checked])).find((c) => c.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const worker of workers) worker.close();
  }
}

async function importCarefully(
  session: Session,
  planned: PlannedFile[],
  tables: ContractTable[],
  filesOf: (t: ContractTable) => string[],
  options: ImportOptions,
): Promise<ImportReport> {
  const warnings: string[] = [];
  return session.transaction(async (tx) => {
    for (const file of planned) {
      const header = await readHeader(tx, file);
      await stage(tx, file, header, warnings, options.onProgress);
    }
    for (const table of tables) options.onProgress?.({ phase: 'validate', table });
    const found = await findProblems(tx, tables);
    if (found.count) {
      const labelOf = new Map(planned.map((f) => [String(f.index), f.label]));
      throw rejected(
        found.problems.map((p) => ({ ...p, file: labelOf.get(p.file) ?? p.file })),
        found.count,
        warnings,
      );
    }
    const summaries: TableSummary[] = [];
    for (const table of tables) {
      const summary = await write(tx, table, filesOf(table));
      options.onProgress?.({ phase: 'write', table, rows: summary.rows_read });
      summaries.push(summary);
    }
    // A declared complete-through date changes answers too, so it is a change of its own.
    const changed = summaries.some((s) => s.inserted + s.updated > 0) || options.completeThrough !== undefined;
    if (changed) await refreshMeta(tx, coverageChange(tables, options));
    // Staging tables are temporary; drop them so a long-lived session does not hold the memory.
    for (const table of tables) {
      for (const name of [stageTable(table), cleanTable(table), `changed_${table}`])
        await tx.run(`DROP TABLE IF EXISTS ${name}`);
    }
    return {
      ok: true,
      tables: summaries,
      warnings,
      problems: [],
      problem_count: 0,
      data_version_changed: changed,
      method: 'careful',
    };
  });
}

function coverageChange(tables: ContractTable[], options: ImportOptions): CoverageChange {
  const declared = options.completeThrough;
  return { touched: tables, declared: declared ? Object.fromEntries(tables.map((t) => [t, declared])) : undefined };
}

/** `file:line: column: problem (got "value")` lines, as the CLI and API print them. */
export function formatProblems(report: Pick<ImportReport, 'problems' | 'problem_count'>): string[] {
  const lines = report.problems.map((p) => {
    if (!p.file) return p.problem;
    const where = [p.file, p.line ? String(p.line) : ''].filter(Boolean).join(':');
    const got = p.value === null ? [] : [`got "${p.value.length > 60 ? `${p.value.slice(0, 57)}...` : p.value}"`];
    const detail = [...got, ...(p.expected ? [`expected ${p.expected}`] : [])];
    return `${where}: ${p.column ? `${p.column}: ` : ''}${p.problem}${detail.length ? ` (${detail.join(', ')})` : ''}`;
  });
  if (report.problem_count > report.problems.length)
    lines.push(`… and ${report.problem_count - report.problems.length} more (${report.problem_count} problems in all)`);
  return lines;
}
