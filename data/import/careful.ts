// The careful path: every value staged as text with its line number, every rule checked in
// SQL, the first problems reported by line; then converted and compared with the stored rows
// (upserts and dedupes), all in one transaction.
import { CONTRACT, type ContractTable } from '../contract.ts';
import { quoteIdent, type Session } from '../db.ts';
import { csvError, csvSource, readHeader, warnUnknownColumns } from './csv.ts';
import type { PlannedFile } from './plan.ts';
import { finishImport } from './coverage.ts';
import {
  MAX_REPORTED_PROBLEMS,
  rejected,
  type ImportOptions,
  type ImportProblem,
  type ImportReport,
  type TableSummary,
} from './report.ts';
import {
  cleanQuery,
  cleanTable,
  convertedRows,
  problemsQuery,
  sameRow,
  stageTable,
  violationCountQueries,
} from './validation.ts';

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
  const select =
    `SELECT ${file.index} AS _file, row_number() OVER () + 1 AS _line, ${columns.join(', ')} FROM ` +
    `${csvSource(header)}`;
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
    `CREATE TEMP TABLE changed_${table} AS SELECT * FROM ${clean} c WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ` +
      `${sameRow(table, 'all')})`,
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

export async function importCarefully(
  session: Session,
  planned: PlannedFile[],
  tables: ContractTable[],
  filesOf: (t: ContractTable) => string[],
  options: ImportOptions,
): Promise<ImportReport> {
  const warnings: string[] = [];
  return session.transaction(async (tx) => {
    for (const file of planned) {
      const header = readHeader(file);
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
    // Staging tables are temporary; drop them so a long-lived session does not hold the memory.
    for (const table of tables) {
      for (const name of [stageTable(table), cleanTable(table), `changed_${table}`])
        await tx.run(`DROP TABLE IF EXISTS ${name}`);
    }
    return finishImport(tx, tables, summaries, warnings, options, 'careful');
  });
}
