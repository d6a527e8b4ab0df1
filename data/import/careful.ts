// The careful path: every value staged as text with its line number, every rule checked in
// SQL, the first problems reported by line; then converted and compared with the stored rows
// (upserts and dedupes, and deletes in a full refresh), all in one transaction.
import { CONTRACT, layoutColumns, type ContractTable, type Layout } from '../contract.ts';
import { quoteIdent, type Session } from '../db.ts';
import { revertInferred } from '../lifecycle.ts';
import { csvError, fileRelation, readHeader, warnUnknownColumns } from './csv.ts';
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
  knownCustomersSql,
  problemsQuery,
  sameRow,
  stageTable,
  violationCountQueries,
} from './validation.ts';

function missingColumns(file: PlannedFile, header: string[], warnings: string[]): void {
  const spec = CONTRACT[file.table];
  const missing = spec.columns.filter((c) => c.required && !header.includes(c.name));
  if (!missing.length) return;
  throw rejected(
    missing.map((c) => ({
      file: file.label,
      line: file.mapped ? 0 : 1,
      column: c.name,
      value: null,
      problem: file.mapped ? 'the source maps no column to this required column' : 'missing required column',
      expected: `a header naming ${spec.columns
        .filter((x) => x.required)
        .map((x) => x.name)
        .join(', ')}`,
    })),
    missing.length,
    warnings,
  );
}

async function stage(
  session: Session,
  file: PlannedFile,
  layout: Layout,
  warnings: string[],
  onProgress?: ImportOptions['onProgress'],
): Promise<void> {
  const header = readHeader(file);
  warnUnknownColumns(file, header, warnings);
  missingColumns(file, header, warnings);
  const columns = layoutColumns(layout).map((c) =>
    header.includes(c.name) ? quoteIdent(c.name) : `NULL::VARCHAR AS ${quoteIdent(c.name)}`,
  );
  const { from, params } = fileRelation(file, header);
  // A source's read numbers its own lines (before an unpivot multiplies its rows); a CSV's lines follow its header.
  const line = file.mapped ? '_line' : 'row_number() OVER () + 1';
  const select = `SELECT ${file.index} AS _file, ${line} AS _line, ${columns.join(', ')} FROM ${from}`;
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
    await session.run(sql, params);
  } catch (error) {
    throw csvError(error, file);
  } finally {
    if (timer) clearInterval(timer);
  }
  onProgress?.({ phase: 'read', file: file.label, table: file.table, percent: 100 });
}

/**
 * Where a source declared the key its repeats collapse on, the later row of each key is kept (the
 * later file, then the later line): exports that list a record again after it changed.
 */
async function collapseRepeats(session: Session, layout: Layout): Promise<number> {
  const keys = layout.key.map((k) => `trim(${quoteIdent(k)})`).join(', ');
  const staged = `SELECT count(*) AS n FROM ${stageTable(layout.table)}`;
  const before = await countOf(session, staged);
  await session.run(
    `DELETE FROM ${stageTable(layout.table)} WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER ` +
      `(PARTITION BY ${keys} ORDER BY _file DESC, _line DESC) AS nth FROM ${stageTable(layout.table)}) WHERE nth > 1)`,
  );
  return before - (await countOf(session, staged));
}

async function findProblems(
  session: Session,
  layouts: Layout[],
  replacing: boolean,
): Promise<{ problems: ImportProblem[]; count: number }> {
  const staged = new Set(layouts.map((l) => l.table));
  const known = knownCustomersSql(staged.has('customers'), replacing);
  let violations = 0;
  for (const layout of layouts) {
    for (const sql of violationCountQueries(layout, known))
      violations += (await session.one<{ n: number }>(sql))?.n ?? 0;
  }
  if (!violations) return { problems: [], count: 0 };
  const queries = layouts.map((l) => problemsQuery(l, known));
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

const countOf = async (session: Session, sql: string) => (await session.one<{ n: number }>(sql))?.n ?? 0;

/** A full refresh: stored rows whose key the import does not give are deleted; returns how many. */
async function deleteMissing(session: Session, layout: Layout): Promise<number> {
  const t = quoteIdent(layout.table);
  const kept = `SELECT 1 FROM ${cleanTable(layout.table)} c WHERE ${sameRow(layout, 'key')}`;
  const gone = `FROM ${t} t WHERE NOT EXISTS (${kept})`;
  const deleted = await countOf(session, `SELECT count(*) AS n ${gone}`);
  if (deleted) await session.run(`DELETE ${gone}`);
  return deleted;
}

async function write(session: Session, layout: Layout, files: string[], replace: boolean): Promise<TableSummary> {
  const { table } = layout;
  const spec = CONTRACT[table];
  const t = quoteIdent(table);
  const columnList = layoutColumns(layout)
    .map((c) => quoteIdent(c.name))
    .join(', ');
  const rowsRead = await countOf(session, `SELECT count(*) AS n FROM ${stageTable(table)}`);
  if ((await countOf(session, `SELECT count(*) AS n FROM ${t}`)) === 0) {
    // Nothing stored yet, so nothing to compare with: convert and insert in one pass.
    await session.run(`INSERT INTO ${t} (${columnList}) ${convertedRows(layout)}`);
    const inserted = await countOf(session, `SELECT count(*) AS n FROM ${t}`);
    return { table, files, rows_read: rowsRead, inserted, updated: 0, unchanged: 0, deleted: 0 };
  }
  await session.run(cleanQuery(layout));
  const clean = cleanTable(table);
  const deleted = replace ? await deleteMissing(session, layout) : 0;
  // Only rows that differ from what is stored are written, so re-importing the same file changes nothing.
  await session.run(
    `CREATE TEMP TABLE changed_${table} AS SELECT * FROM ${clean} c WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ` +
      `${sameRow(layout, 'all')})`,
  );
  const changed = `changed_${table}`;
  let updated = 0;
  if (spec.onConflict === 'replace') {
    const match = `EXISTS (SELECT 1 FROM ${t} t WHERE ${sameRow(layout, 'key')})`;
    updated = await countOf(session, `SELECT count(*) AS n FROM ${changed} c WHERE ${match}`);
    if (updated)
      await session.run(`DELETE FROM ${t} t WHERE EXISTS (SELECT 1 FROM ${changed} c WHERE ${sameRow(layout, 'key')})`);
  }
  const written = await countOf(session, `SELECT count(*) AS n FROM ${changed}`);
  if (written) await session.run(`INSERT INTO ${t} (${columnList}) SELECT ${columnList} FROM ${changed}`);
  const distinctRows = await countOf(session, `SELECT count(*) AS n FROM ${clean}`);
  return {
    table,
    files,
    rows_read: rowsRead,
    inserted: written - updated,
    updated,
    unchanged: distinctRows - written,
    deleted,
  };
}

/** Kept columns a source adds to a table become columns of it, in the import's transaction. */
export async function addExtraColumns(session: Session, layouts: Layout[]): Promise<void> {
  for (const layout of layouts) {
    for (const extra of layout.extras)
      await session.run(
        `ALTER TABLE ${quoteIdent(layout.table)} ADD COLUMN IF NOT EXISTS ${quoteIdent(extra)} VARCHAR`,
      );
  }
}

/** A full refresh of customers must not leave rows of other tables pointing at customers it removes. */
async function orphansLeft(session: Session, tables: ContractTable[], warnings: string[]): Promise<void> {
  const others = (Object.keys(CONTRACT) as ContractTable[]).filter(
    (t) => CONTRACT[t].referencesCustomer && !tables.includes(t),
  );
  const problems: ImportProblem[] = [];
  for (const other of others) {
    const n = await countOf(
      session,
      `SELECT count(*) AS n FROM ${quoteIdent(other)} o WHERE NOT EXISTS (SELECT 1 FROM ${stageTable('customers')} s ` +
        `WHERE trim(s.customer_id) = o.customer_id)`,
    );
    if (n)
      problems.push({
        file: '',
        line: 0,
        column: '',
        value: null,
        problem:
          `${n} stored ${other} rows refer to customers this full refresh removes (refresh ${other} in the same ` +
          `sync, or sync without --full-refresh)`,
      });
  }
  if (problems.length) throw rejected(problems, problems.length, warnings);
}

/** Thrown at the end of a dry run so its transaction rolls back; carries what the import would have done. */
export class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

export async function importCarefully(
  session: Session,
  planned: PlannedFile[],
  layouts: Layout[],
  filesOf: (t: ContractTable) => string[],
  options: ImportOptions,
): Promise<ImportReport> {
  const warnings: string[] = [];
  const tables = layouts.map((l) => l.table);
  return session.transaction(async (tx) => {
    await addExtraColumns(tx, layouts);
    // Dates Bearing inferred (signup from first activity, churn from inactivity) are set aside so
    // the import compares with what the sources gave; finishImport infers them again.
    await revertInferred(tx);
    for (const file of planned)
      await stage(tx, file, layouts.find((l) => l.table === file.table)!, warnings, options.onProgress);
    // Rows a declared key collapsed are counted apart: they were read, then left out.
    const collapsed = new Map<ContractTable, number>();
    for (const layout of layouts) {
      if (options.layouts?.[layout.table]?.key) collapsed.set(layout.table, await collapseRepeats(tx, layout));
      options.onProgress?.({ phase: 'validate', table: layout.table });
    }
    const found = await findProblems(tx, layouts, options.fullRefresh === true);
    if (found.count) {
      const labelOf = new Map(planned.map((f) => [String(f.index), f.label]));
      throw rejected(
        found.problems.map((p) => ({ ...p, file: labelOf.get(p.file) ?? p.file })),
        found.count,
        warnings,
      );
    }
    if (options.fullRefresh && tables.includes('customers')) await orphansLeft(tx, tables, warnings);
    const summaries: TableSummary[] = [];
    for (const layout of layouts) {
      const written = await write(tx, layout, filesOf(layout.table), options.fullRefresh === true);
      const folded = collapsed.get(layout.table) ?? 0;
      const summary = folded ? { ...written, rows_read: written.rows_read + folded, collapsed: folded } : written;
      options.onProgress?.({ phase: 'write', table: layout.table, rows: summary.rows_read });
      summaries.push(summary);
    }
    // Staging tables are temporary; drop them so a long-lived session does not hold the memory.
    for (const table of tables) {
      for (const name of [stageTable(table), cleanTable(table), `changed_${table}`])
        await tx.run(`DROP TABLE IF EXISTS ${name}`);
    }
    const report = await finishImport(tx, tables, summaries, warnings, options, 'careful');
    if (options.dryRun) throw new DryRunDone(report);
    return report;
  });
}
