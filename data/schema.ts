// Creates the contract tables and Bearing's own bookkeeping tables, and reads data facts
// (row counts, date ranges, the as-of date) that every layer above needs.
import { ensureCheckinTable } from './checkins.ts';
import { CONTRACT, CONTRACT_TABLES, layoutColumns, layoutOf, sqlType, type ContractTable } from './contract.ts';
import { quoteIdent, type Database, type Session } from './db.ts';
import { ensureAlertTables } from './alerts.ts';
import { BearingError } from './errors.ts';
import { ensureHistoryTable } from './history.ts';
import { ensureLifecycleTables } from './lifecycle.ts';
import { STORED_RESULTS_SQL } from './storedResults.ts';

/** DDL for a contract table's layout under a given name (the table itself, or an import's copy). */
export function tableDdl(table: ContractTable, name: string = table, extras: string[] = []): string {
  const columns = layoutColumns(layoutOf(table, extras))
    .map((c) => `${quoteIdent(c.name)} ${sqlType(c.kind)}`)
    .join(', ');
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(name)} (${columns})`;
}

/** Name of the table a first load fills before it is checked and swapped in (see data/import/firstLoad.ts). */
export const incomingTable = (table: ContractTable) => `incoming_${table}`;

/** Drop every first-load copy (left behind only by a process killed between its two transactions). */
export async function dropIncoming(session: Session): Promise<void> {
  for (const table of CONTRACT_TABLES) await session.run(`DROP TABLE IF EXISTS ${quoteIdent(incomingTable(table))}`);
}

export async function ensureSchema(session: Session): Promise<void> {
  for (const table of CONTRACT_TABLES) await session.run(tableDdl(table));
  // Databases written before an optional contract column existed (media's and observations' geo) get it, empty.
  for (const table of CONTRACT_TABLES)
    for (const c of CONTRACT[table].columns.filter((c) => !c.required))
      await session.run(
        `ALTER TABLE ${quoteIdent(table)} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${sqlType(c.kind)}`,
      );
  await dropIncoming(session);
  await ensureLifecycleTables(session);
  // Set when the sample world is generated, cleared when it is removed: every page says so.
  await session.run(`CREATE TABLE IF NOT EXISTS sample_world (seed BIGINT, customers BIGINT, generated_at VARCHAR)`);
  await ensureHistoryTable(session);
  await ensureAlertTables(session);
  await ensureCheckinTable(session);
  await session.run(`CREATE SEQUENCE IF NOT EXISTS annotation_ids START 1`);
  await session.run(`CREATE TABLE IF NOT EXISTS annotations (
    id BIGINT PRIMARY KEY DEFAULT nextval('annotation_ids'),
    date DATE NOT NULL,
    text VARCHAR NOT NULL,
    metric VARCHAR,
    goal VARCHAR,
    author VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  )`);
  // One row of facts about the data, rewritten in the same transaction as every import, so the
  // as-of date and version always describe exactly the committed data.
  await session.run(
    `CREATE TABLE IF NOT EXISTS bearing_meta (data_version BIGINT NOT NULL, as_of DATE, updated_at TIMESTAMP NOT NULL)`,
  );
  // Each table's complete-through date: the latest date it holds, or one declared at import.
  // Real exports end on different days (reviews answered weeks after the last order), so each
  // metric is computed as of its own tables' date, never a later table's.
  await session.run(
    `CREATE TABLE IF NOT EXISTS table_coverage (name VARCHAR NOT NULL, complete_through DATE, declared BOOLEAN NOT ` +
      `NULL)`,
  );
  // Databases written before coverage was kept get it computed from their data once.
  const coverage = await session.one<{ n: number; meta: number }>(
    `SELECT (SELECT count(*) FROM table_coverage) AS n, (SELECT count(*) FROM bearing_meta) AS meta`,
  );
  if (coverage && !coverage.n && coverage.meta) await refreshCoverage(session, {});
  // Stored answers of whole-history metric series (metrics/rollups.ts): one row per set computed,
  // tied to the data version it was computed on, and the set's rows.
  await session.run(
    `CREATE TABLE IF NOT EXISTS rollup_sets (key VARCHAR NOT NULL, metric VARCHAR NOT NULL, dimension VARCHAR, ` +
      `data_version BIGINT NOT NULL, rows BIGINT NOT NULL, compute_ms DOUBLE NOT NULL, computed_at TIMESTAMP NOT NULL)`,
  );
  // Sets whose query failed or ran out of time in the background: skipped until their SQL changes
  // (an edited definition has another key), kept across restarts so a bad one cannot wedge a start.
  await session.run(
    `CREATE TABLE IF NOT EXISTS rollup_failures (key VARCHAR NOT NULL, metric VARCHAR NOT NULL, dimension VARCHAR, ` +
      `message VARCHAR NOT NULL, failed_at TIMESTAMP NOT NULL)`,
  );
  await session.run(
    `CREATE TABLE IF NOT EXISTS rollup_rows (key VARCHAR NOT NULL, data_version BIGINT NOT NULL, period VARCHAR NOT ` +
      `NULL, "group" VARCHAR, value DOUBLE, n BIGINT NOT NULL, complete BOOLEAN NOT NULL)`,
  );
  // Heavy answers kept for the next process on the same data and code (data/storedResults.ts).
  await session.run(STORED_RESULTS_SQL);
}

/** Tables whose dates may each stand for a whole week (Robyn's and Meridian's weekly exports). */
const WEEKLY_CAPABLE: ReadonlySet<ContractTable> = new Set(['media', 'observations']);

/**
 * The latest day a table's rows cover: its latest date, and for a month column that month's last
 * day. In `media` and `observations`, dates that all fall on one weekday at least 7 days apart are
 * weeks given by their first day: the table covers its latest week to that week's last day (a
 * weekly KPI's last week was read as unfinished, and every mix fit dropped it).
 */
function latestDaySql(table: ContractTable): string {
  const parts = CONTRACT[table].timeColumns.map((c) => {
    const kind = CONTRACT[table].columns.find((x) => x.name === c)?.kind;
    const max = `max(${quoteIdent(c)})`;
    const day = kind === 'month' ? `CAST(${max} + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)` : `CAST(${max} AS DATE)`;
    if (WEEKLY_CAPABLE.has(table) && kind === 'date') {
      const dates = `(SELECT DISTINCT CAST(${quoteIdent(c)} AS DATE) AS d FROM ${quoteIdent(table)})`;
      const gaps = `(SELECT d, d - lag(d) OVER (ORDER BY d) AS gap FROM ${dates})`;
      const weekly = 'count(DISTINCT isodow(d)) = 1 AND min(gap) >= 7';
      const last = `CASE WHEN ${weekly} THEN CAST(max(d) + INTERVAL 6 DAY AS DATE) ELSE max(d) END`;
      return `SELECT ${last} AS d, max(d) AS raw FROM ${gaps}`;
    }
    return `SELECT ${day} AS d, CAST(${max} AS DATE) AS raw FROM ${quoteIdent(table)}`;
  });
  // raw: the latest date as stored (a month as its first day), for the data's overall as-of date.
  const dates = `strftime(max(d), '%Y-%m-%d') AS d, strftime(max(raw), '%Y-%m-%d') AS raw`;
  return `SELECT '${table}' AS name, ${dates} FROM (${parts.join(' UNION ALL ')})`;
}

export interface CoverageChange {
  /** Tables written by this change: their complete-through date is recomputed unless declared. */
  touched?: ContractTable[];
  /** Complete-through dates given at import, per table. */
  declared?: Partial<Record<ContractTable, string>>;
}

/** Each table's complete-through date, written; returns the latest stored date of any table. */
async function refreshCoverage(session: Session, change: CoverageChange): Promise<string | null> {
  const previous = new Map(
    (
      await session.all<{ name: string; d: string | null; declared: boolean }>(
        `SELECT name, strftime(complete_through, '%Y-%m-%d') AS d, declared FROM table_coverage`,
      )
    ).map((r) => [r.name, r]),
  );
  const computed = await session.all<{ name: ContractTable; d: string | null; raw: string | null }>(
    CONTRACT_TABLES.map(latestDaySql).join(' UNION ALL '),
  );
  await session.run(`DELETE FROM table_coverage`);
  for (const { name, d } of computed) {
    const declared = change.declared?.[name];
    const kept = previous.get(name);
    // A declaration lasts until the table is written again without one.
    const row = declared
      ? { d: declared, declared: true }
      : kept?.declared && !change.touched?.includes(name)
        ? { d: kept.d, declared: true }
        : { d, declared: false };
    await session.run(`INSERT INTO table_coverage VALUES ($name, CAST($d AS DATE), $declared)`, {
      name,
      d: row.d,
      declared: row.declared,
    });
  }
  const raws = computed.map((c) => c.raw).filter((r): r is string => r !== null);
  return raws.length ? raws.reduce((a, b) => (b > a ? b : a)) : null;
}

/** Recompute the as-of date (latest event date in the data) and each table's coverage, and bump the data version. */
export async function refreshMeta(session: Session, change: CoverageChange = {}): Promise<void> {
  // One scan of each table's dates serves both its coverage and the overall as-of date.
  const asOf = await refreshCoverage(session, change);
  const previous = await session.one<{ v: number }>(`SELECT max(data_version) AS v FROM bearing_meta`);
  await session.run(`DELETE FROM bearing_meta`);
  await session.run(`INSERT INTO bearing_meta VALUES ($version, $as_of::DATE, current_timestamp)`, {
    version: (previous?.v ?? 0) + 1,
    as_of: asOf,
  });
}

/** Extra text columns (kept by sources) of each contract table, in their order. */
export type TableExtras = Partial<Record<ContractTable, string[]>>;

export async function readExtras(session: Session): Promise<TableExtras> {
  const rows = await session.all<{ table_name: ContractTable; column_name: string }>(
    `SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal AND ` +
      `database_name = current_database() AND table_name IN (${CONTRACT_TABLES.map((t) => `'${t}'`).join(', ')}) ` +
      `ORDER BY table_name, column_index`,
  );
  const extras: TableExtras = {};
  for (const r of rows) {
    if (CONTRACT[r.table_name].columns.some((c) => c.name === r.column_name)) continue;
    extras[r.table_name] = [...(extras[r.table_name] ?? []), r.column_name];
  }
  return extras;
}

/** Kept columns whose source declared a type (a comment set at import), per table. */
export async function readKeptTypes(
  session: Session,
): Promise<Partial<Record<ContractTable, Record<string, 'number' | 'text'>>>> {
  const rows = await session.all<{ table_name: ContractTable; column_name: string; comment: string }>(
    `SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' AND ` +
      `database_name = current_database() AND comment IN ('bearing:number', 'bearing:text')`,
  );
  const out: Partial<Record<ContractTable, Record<string, 'number' | 'text'>>> = {};
  for (const r of rows)
    out[r.table_name] = { ...out[r.table_name], [r.column_name]: r.comment.slice(8) as 'number' | 'text' };
  return out;
}

export async function markSample(session: Session, sample: { seed: number; customers: number }): Promise<void> {
  await session.run(`DELETE FROM sample_world`);
  await session.run(`INSERT INTO sample_world VALUES ($seed, $customers, $at)`, {
    ...sample,
    at: new Date().toISOString(),
  });
}

/**
 * The sample's rows, remembered when it is generated (its customers, and the keys of its spend,
 * media, observations and experiments), so that removing it removes only them.
 */
export async function rememberSampleRows(session: Session): Promise<void> {
  await session.run('CREATE OR REPLACE TABLE sample_customers AS SELECT customer_id FROM customers');
  await session.run(`CREATE OR REPLACE TABLE sample_keys AS
    SELECT 'spend' AS t, ${SAMPLE_KEY.spend} AS k FROM spend
    UNION ALL SELECT 'media', ${SAMPLE_KEY.media} FROM media
    UNION ALL SELECT 'observations', ${SAMPLE_KEY.observations} FROM observations
    UNION ALL SELECT 'experiments', ${SAMPLE_KEY.experiments} FROM experiments`);
}

const SAMPLE_KEY = {
  spend: `channel || '|' || CAST(month AS VARCHAR)`,
  media: `channel || '|' || CAST(date AS VARCHAR)`,
  observations: `name || '|' || CAST(date AS VARCHAR)`,
  experiments: 'experiment_id',
} as const;

/**
 * What the sample world put in the database goes, and nothing else: its customers with their
 * touchpoints, surveys and orders, its spend, media, observations and experiments (by key), their
 * inferred dates and every stored series (recomputed). The user's own rows, notes and kept columns
 * stay. A database generated before the sample's rows were remembered, which has had imports
 * since, is refused: what is whose can no longer be told apart.
 */
export async function removeSampleData(session: Session): Promise<void> {
  const remembered = await session.one<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'sample_customers'`,
  );
  if (!remembered?.n) {
    const imports = await session.one<{ n: number }>(`SELECT count(*) AS n FROM import_history WHERE ok`);
    if (imports?.n)
      throw new BearingError(
        'invalid-request',
        'this database holds the sample world from an older Bearing together with your own imports, and which rows ' +
          'are the sample’s was not recorded: start a new database (bearing serve --empty) and import your data ' +
          'there',
      );
    await rememberSampleRows(session);
  }
  const ofSample = 'customer_id IN (SELECT customer_id FROM sample_customers)';
  for (const table of ['touchpoints', 'surveys', 'orders', 'customers', 'lifecycle_inferred'])
    await session.run(`DELETE FROM ${table} WHERE ${ofSample}`);
  for (const [table, key] of Object.entries(SAMPLE_KEY))
    await session.run(`DELETE FROM ${table} WHERE ${key} IN (SELECT k FROM sample_keys WHERE t = '${table}')`);
  for (const t of ['lifecycle_rule', 'sample_world', 'rollup_rows', 'rollup_sets', 'stored_results'])
    await session.run(`DELETE FROM ${t}`);
  await session.run('DROP TABLE sample_customers');
  await session.run('DROP TABLE sample_keys');
  await refreshMeta(session, { touched: [...CONTRACT_TABLES] });
}

export interface DataFacts {
  as_of: string | null;
  data_version: number;
  tables: Record<ContractTable, number>;
  /** Per table: the latest date it is complete through (null while it is empty). */
  complete_through: Record<ContractTable, string | null>;
  /** Tables whose date was declared at import rather than read from the data. */
  declared: ContractTable[];
  /** Per table: its earliest date (null while empty), where a series without `from` starts. */
  first: Record<ContractTable, string | null>;
  /** Whether the database holds the generated sample world. */
  sample: boolean;
}

export async function readFacts(session: Session): Promise<DataFacts> {
  const counts = await session.all<{ name: string; rows: number; first: string | null }>(
    CONTRACT_TABLES.map(
      (t) =>
        `SELECT '${t}' AS name, count(*) AS rows, strftime(CAST(min(${quoteIdent(CONTRACT[t].timeColumns[0]!)}) AS ` +
        `DATE), '%Y-%m-%d') AS first FROM ${quoteIdent(t)}`,
    ).join(' UNION ALL '),
  );
  const meta = await session.one<{ as_of: string | null; data_version: number }>(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, data_version FROM bearing_meta`,
  );
  const tables = Object.fromEntries(counts.map((r) => [r.name, r.rows])) as Record<ContractTable, number>;
  const coverage = await session.all<{ name: ContractTable; d: string | null; declared: boolean }>(
    `SELECT name, strftime(complete_through, '%Y-%m-%d') AS d, declared FROM table_coverage`,
  );
  const complete_through = Object.fromEntries(
    CONTRACT_TABLES.map((t) => [t, coverage.find((c) => c.name === t)?.d ?? null]),
  ) as Record<ContractTable, string | null>;
  const first = Object.fromEntries(counts.map((r) => [r.name, r.first])) as Record<ContractTable, string | null>;
  const sample = ((await session.one<{ n: number }>(`SELECT count(*) AS n FROM sample_world`))?.n ?? 0) > 0;
  return {
    sample,
    as_of: meta?.as_of ?? null,
    data_version: meta?.data_version ?? 0,
    tables,
    complete_through,
    declared: coverage.filter((c) => c.declared).map((c) => c.name),
    first,
  };
}

/**
 * The data facts, computed once per data version (the cache moves on with every write). Kept even
 * with BEARING_CACHE=off: this is the layer's own bookkeeping (as-of date, version), not an answer,
 * and recomputing it made every uncached request pay four extra queries.
 */
export function currentFacts(db: Database): Promise<DataFacts> {
  return db.cached('facts', () => db.read(readFacts), { evenWhenCachingIsOff: true });
}

export interface TableRange {
  name: ContractTable;
  rows: number;
  from: string | null;
  to: string | null;
}

/** Row counts and date ranges per table, for the Data page. */
export async function readTableRanges(session: Session): Promise<TableRange[]> {
  const ranges: TableRange[] = [];
  for (const table of CONTRACT_TABLES) {
    const time = quoteIdent(CONTRACT[table].timeColumns[0]!);
    const row = await session.one<{ rows: number; from: string | null; to: string | null }>(
      `SELECT count(*) AS rows, strftime(min(${time})::DATE, '%Y-%m-%d') AS "from", strftime(max(${time})::DATE, ` +
        `'%Y-%m-%d') AS "to" FROM ${quoteIdent(table)}`,
    );
    ranges.push({ name: table, rows: row?.rows ?? 0, from: row?.from ?? null, to: row?.to ?? null });
  }
  return ranges;
}
