// The fast way to fill empty tables. Each file is converted while DuckDB reads it into a copy of
// its table (incoming_<table>) in a first transaction that nothing else reads; text columns are
// then tidied in place and the rules no single value shows counted over those committed rows
// (scans of committed rows run in parallel, several times faster than scans of a transaction's
// own rows); a second, short transaction swaps the copies in. Readers only ever see before or
// after. It never decides that a file is bad: on any doubt it throws NeedsCarefulImport, and the
// careful path (stage as text, report every problem by line) runs instead.
import { CONTRACT, type ContractTable } from './contract.ts';
import { quoteIdent, type Session } from './db.ts';
import { deleteRepeatsQuery, loadedViolationQuery, loadExpr, tidyQuery } from './importValidation.ts';
import { dropIncoming, incomingTable, tableDdl } from './schema.ts';
import { csvSource } from './csvFile.ts';

export interface FreshFile {
  path: string;
  label: string;
  table: ContractTable;
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

export async function createIncoming(session: Session, tables: ContractTable[]): Promise<void> {
  await dropIncoming(session);
  for (const table of tables) await session.run(tableDdl(table, incomingTable(table)));
}

/** Read one file into its table's incoming copy, converting as it goes; returns the rows read. */
export async function loadIncoming(
  session: Session,
  file: FreshFile,
  onPercent?: (percent: number) => void,
): Promise<number> {
  const spec = CONTRACT[file.table];
  if (spec.columns.some((c) => c.required && !file.header.includes(c.name)))
    throw new NeedsCarefulImport('missing column');
  const columns = spec.columns.map((c) => (file.header.includes(c.name) ? loadExpr(c) : 'NULL'));
  const target = quoteIdent(incomingTable(file.table));
  const before = await count(session, target);
  const timer = onPercent ? setInterval(() => onPercent(Math.max(0, session.progress())), 200) : undefined;
  try {
    await session.run(`INSERT INTO ${target} SELECT ${columns.join(', ')} FROM ${csvSource(file.header)}`, {
      path: file.path,
    });
  } finally {
    if (timer) clearInterval(timer);
  }
  return (await count(session, target)) - before;
}

/** Over the committed incoming rows: text values trimmed and lower-cased as the contract stores them. */
export async function tidyIncoming(session: Session, table: ContractTable): Promise<void> {
  const tidy = tidyQuery(table, quoteIdent(incomingTable(table)));
  if (tidy) await session.run(tidy);
}

/**
 * Over the committed, tidied incoming rows (nothing reads them yet): throws NeedsCarefulImport when a
 * cross-row rule is broken, and removes repeated rows where the contract dedupes.
 */
export async function checkIncoming(session: Session, table: ContractTable, tables: ContractTable[]): Promise<void> {
  const loaded = quoteIdent(incomingTable(table));
  const violations = loadedViolationQuery(
    table,
    loaded,
    tables.includes('customers') && table !== 'customers' ? quoteIdent(incomingTable('customers')) : null,
  );
  const broken = violations ? ((await session.one<{ n: number | null }>(violations))?.n ?? 0) : 0;
  if (broken) throw new NeedsCarefulImport(`${broken} rows of ${table} break a rule`);
  if (CONTRACT[table].onConflict === 'dedupe') await session.run(deleteRepeatsQuery(table, loaded));
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
