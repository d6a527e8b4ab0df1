// The fast way to fill empty tables. Each file is converted while DuckDB reads it into a copy of
// its table (incoming_<table>) in a first transaction that nothing else reads; text columns are
// then tidied in place and the rules no single value shows counted over those committed rows
// (scans of committed rows run in parallel, several times faster than scans of a transaction's
// own rows); a second, short transaction swaps the copies in. Readers only ever see before or
// after. It never decides that a file is bad: on any doubt it throws NeedsCarefulImport, and the
// careful path (stage as text, report every problem by line) runs instead.
import { CONTRACT, layoutColumns, layoutOf, type ContractTable, type Layout } from '../contract.ts';
import { quoteIdent, type Database, type Session } from '../db.ts';
import { dropIncoming, incomingTable, tableDdl } from '../schema.ts';
import { fileRelation, readHeader, warnUnknownColumns } from './csv.ts';
import { finishImport } from './coverage.ts';
import type { PlannedFile } from './plan.ts';
import type { ImportOptions, ImportReport, TableSummary } from './report.ts';
import { deleteRepeatsQuery, loadedViolationQuery, loadExpr, tidyQuery } from './validation.ts';

export interface FreshFile extends PlannedFile {
  header: string[];
}

export interface FreshSummary {
  table: ContractTable;
  rows_read: number;
  inserted: number;
}

/** Thrown when the fresh load cannot vouch for the data; the careful path takes over. */
export class NeedsCarefulImport extends Error {}

export async function tablesAreEmpty(session: Session, tables: ContractTable[]): Promise<boolean> {
  const counts = await session.all<{ n: number }>(
    tables.map((t) => `SELECT count(*) AS n FROM ${quoteIdent(t)}`).join(' UNION ALL '),
  );
  return counts.every((c) => c.n === 0);
}

export async function createIncoming(session: Session, layouts: Layout[]): Promise<void> {
  await dropIncoming(session);
  for (const l of layouts) await session.run(tableDdl(l.table, incomingTable(l.table), l.extras));
}

/** Read one file into its table's incoming copy, converting as it goes; returns the rows read. */
export async function loadIncoming(
  session: Session,
  file: FreshFile,
  onPercent?: (percent: number) => void,
  layout: Layout = layoutOf(file.table),
): Promise<number> {
  const spec = CONTRACT[file.table];
  if (spec.columns.some((c) => c.required && !file.header.includes(c.name)))
    throw new NeedsCarefulImport('missing column');
  const columns = layoutColumns(layout).map((c) => (file.header.includes(c.name) ? loadExpr(c) : 'NULL'));
  const { from, params } = fileRelation(file, file.header, false);
  const target = quoteIdent(incomingTable(file.table));
  const before = await count(session, target);
  const timer = onPercent ? setInterval(() => onPercent(Math.max(0, session.progress())), 200) : undefined;
  try {
    await session.run(`INSERT INTO ${target} SELECT ${columns.join(', ')} FROM ${from}`, params);
  } catch (error) {
    // A value it cannot vouch for, or a row the reader refuses: the careful path says which, by line.
    throw new NeedsCarefulImport(error instanceof Error ? error.message : String(error));
  } finally {
    if (timer) clearInterval(timer);
  }
  return (await count(session, target)) - before;
}

/** Over the committed incoming rows: text values trimmed and lower-cased as the contract stores them. */
export async function tidyIncoming(session: Session, layout: Layout): Promise<void> {
  const tidy = tidyQuery(layout, quoteIdent(incomingTable(layout.table)));
  if (tidy) await session.run(tidy);
}

/**
 * Over the committed, tidied incoming rows (nothing reads them yet): throws NeedsCarefulImport when a
 * cross-row rule is broken, and removes repeated rows where the contract dedupes.
 */
export async function checkIncoming(session: Session, layout: Layout, tables: ContractTable[]): Promise<void> {
  const { table } = layout;
  const loaded = quoteIdent(incomingTable(table));
  const violations = loadedViolationQuery(
    layout,
    loaded,
    tables.includes('customers') && table !== 'customers' ? quoteIdent(incomingTable('customers')) : null,
  );
  const broken = violations ? ((await session.one<{ n: number | null }>(violations))?.n ?? 0) : 0;
  if (broken) throw new NeedsCarefulImport(`${broken} rows of ${table} break a rule`);
  if (CONTRACT[table].onConflict === 'dedupe') await session.run(deleteRepeatsQuery(layout, loaded));
}

/** In the swapping transaction: the incoming copy becomes the table. */
export async function swapIn(session: Session, table: ContractTable, rowsRead: number): Promise<FreshSummary> {
  const t = quoteIdent(table);
  await session.run(`DROP TABLE ${t}`);
  await session.run(`ALTER TABLE ${quoteIdent(incomingTable(table))} RENAME TO ${t}`);
  return { table, rows_read: rowsRead, inserted: await count(session, t) };
}

async function count(session: Session, table: string): Promise<number> {
  return (await session.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
}

/** A header the careful path should report on (not CSV, a bad header row) is a doubt, not a bug. */
function readHeaderOrDoubt(file: PlannedFile): string[] {
  try {
    return readHeader(file);
  } catch (error) {
    throw new NeedsCarefulImport(error instanceof Error ? error.message : String(error));
  }
}

/**
 * When every table the files go to is empty (a first load, the usual big import), convert while
 * reading and check afterwards: about the speed of a bare read_csv. Returns null, with nothing
 * changed, whenever the careful path has to decide (some table holds rows, or anything at all
 * looks wrong); that path then finds and reports every problem by line.
 */
export async function importFresh(
  db: Database,
  session: Session,
  planned: PlannedFile[],
  layouts: Layout[],
  filesOf: (t: ContractTable) => string[],
  options: ImportOptions,
): Promise<ImportReport | null> {
  // A declared key collapses repeats, which only the careful path does.
  if (layouts.some((l) => options.layouts?.[l.table]?.key)) return null;
  const tables = layouts.map((l) => l.table);
  const warnings: string[] = [];
  const read = new Map<ContractTable, number>();
  try {
    // Row order means nothing in a first load (no line numbers are counted), so the copies are
    // written in any order: whole row groups, nothing for a checkpoint to merge later.
    const loaded = await db.inAnyOrder((loader) =>
      loader.transaction(async (tx) => {
        if (!(await tablesAreEmpty(tx, tables))) return false;
        await createIncoming(tx, layouts);
        for (const file of planned) {
          const header = readHeaderOrDoubt(file);
          warnUnknownColumns(file, header, warnings);
          const progress = (percent: number) =>
            options.onProgress?.({ phase: 'read', file: file.label, table: file.table, percent });
          read.set(
            file.table,
            (read.get(file.table) ?? 0) +
              (await loadIncoming(
                tx,
                { ...file, header },
                options.onProgress ? progress : undefined,
                layouts.find((l) => l.table === file.table),
              )),
          );
          progress(100);
        }
        return true;
      }, false),
    ); // only the incoming copies, which nothing reads: every cached answer stays valid
    if (!loaded) return null;
    for (const table of tables) options.onProgress?.({ phase: 'validate', table });
    await tidyAndCheck(db, layouts);
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
          deleted: 0,
        });
      }
      return finishImport(tx, tables, summaries, warnings, options, 'first_load');
    });
  } catch (error) {
    // A doubt about the data: nothing visible changed, and the careful path reports it by line.
    // Anything else (a bug in the SQL built here) is not hidden behind a 7× slower import.
    if (error instanceof NeedsCarefulImport) return null;
    throw error;
  } finally {
    await session.transaction(dropIncoming, false).catch(() => undefined);
  }
}

/**
 * Each table tidied and checked on a connection of its own (a big table's sort leaves a core idle
 * at times). A table's customers are looked up only once the incoming customers are tidied; all
 * settle before anything is dropped or the careful path starts.
 */
async function tidyAndCheck(db: Database, layouts: Layout[]): Promise<void> {
  const tables = layouts.map((l) => l.table);
  const workers = await Promise.all(layouts.map(() => db.session()));
  try {
    const tidied = layouts.map((layout, i) => tidyIncoming(workers[i]!, layout));
    const customersTidied = tidied[tables.indexOf('customers')] ?? Promise.resolve();
    const checked = layouts.map(async (layout, i) => {
      await Promise.all([tidied[i], customersTidied]);
      await checkIncoming(workers[i]!, layout, tables);
    });
    const failed = (await Promise.allSettled([...tidied, ...checked])).find((c) => c.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const worker of workers) worker.close();
  }
}
