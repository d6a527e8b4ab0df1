// Pre-aggregated series. After each data change, every checked metric is computed once at month
// grain over its whole history, overall and by each of its dimensions, and stored in DuckDB
// (rollup_sets / rollup_rows) under a key that is the hash of the compiled SQL and its parameters,
// beside the data version it was computed on. A request is answered from a stored set only when
// the answer is provably the same as running its own SQL:
//   - same grain (month) and as-of date as the set, and the data version the set was computed on;
//   - a date range inside the set's periods: a metric's value for a period depends only on the
//     rows of that period, so a sub-range is a slice;
//   - no filter, or one dimension = value (the rows of that group in the by-dimension set; the
//     group "(none)" also holds NULLs, so filtering on that literal is computed afresh).
// Anything else (week grain, two filters, a past as-of) runs its SQL as before. The heading and
// every default chart hit the stored sets, so they cost a few dozen stored rows at any data size.
import { createHash } from 'node:crypto';
import { type Database, duckdbReason, numberOrNull, type Session } from '../data/db.ts';
import { BearingError } from '../data/errors.ts';
import { currentFacts } from '../data/schema.ts';
import { asOfFor, tablesOf } from './asOf.ts';
import { MAX_ROWS } from './limits.ts';
import type { Catalog } from './catalog.ts';
import type { CheckedMetric } from './check.ts';
import { compileSeries, normalizeRequest, type SeriesRequest, type CompiledQuery } from './compile.ts';
import type { Definition } from './definition.ts';

export const ROLLUP_GRAIN = 'month';
/** The shape stored rows travel in, as JSON, into rollup_rows. */
const STORED_ROW_TYPE = '[{"period":"VARCHAR","group":"VARCHAR","value":"DOUBLE","n":"BIGINT","complete":"BOOLEAN"}]';

export type StoredRow = {
  period: string;
  value: number | null;
  n: number;
  complete: boolean;
  group?: string;
};

type Resolve = (name: string) => Definition | undefined;

function wholeHistory(
  metric: CheckedMetric,
  dimension: string | undefined,
  asOf: string,
  resolve: Resolve,
): CompiledQuery {
  // What a series request with no range and no filter compiles to.
  return compileSeries(metric.definition, normalizeRequest({ grain: ROLLUP_GRAIN, asOf, by: dimension }), resolve);
}

function keyOf(query: CompiledQuery): string {
  const params = Object.keys(query.params)
    .sort()
    .map((k) => [k, query.params[k]]);
  return createHash('sha256').update(query.sql).update('\u0000').update(JSON.stringify(params)).digest('hex');
}

/** A filtered request's rows: its own group's (a null group reads as '', as it does in the rows read back). */
const OF_GROUP = `AND coalesce(r."group", '') = $group`;
/** The whole set's first period, which a filtered read no longer sees among its own rows. */
const SET_FIRST = '(SELECT min(f.period) FROM rollup_rows f WHERE f.key = s.key AND f.data_version = s.data_version)';

/** The stored answer to a series request, or null when it has to be computed. */
export async function readRollup(
  db: Database,
  metric: CheckedMetric,
  request: SeriesRequest,
  resolve: Resolve,
): Promise<StoredRow[] | null> {
  if (!db.useRollups || (request.grain ?? 'month') !== ROLLUP_GRAIN) return null;
  const filters = Object.entries(request.where ?? {});
  if (filters.length > 1 || (filters.length && request.by)) return null;
  const [filterDimension, filterValue] = filters[0] ?? [];
  if (filterValue === '(none)') return null;
  const dimension = request.by ?? filterDimension;
  if (dimension && !metric.dimensions.includes(dimension)) return null;
  const facts = await currentFacts(db);
  // Stored sets are computed as of the metric's own tables' date (metrics/asOf.ts).
  const asOf = asOfFor(facts, tablesOf(metric.definition, resolve));
  if (!asOf || (request.asOf && request.asOf !== asOf)) return null;
  const key = keyOf(wholeHistory(metric, dimension, asOf, resolve));
  const failed = (await failures(db)).get(key);
  if (failed)
    throw new BearingError(
      'metric-failed',
      `${metric.definition.name} cannot be computed: ${failed.message}. Fix or delete its definition (it is skipped ` +
        `until edited)`,
    );
  // A filter is read in SQL: goals on one series each of many (21,060 goals on 585) read their own
  // rows, not the whole breakdown converted and filtered here for every goal.
  const stored = await db.all<{
    rows: number;
    first: string | null;
    period: string | null;
    group: string | null;
    value: number | null;
    n: number | null;
    complete: boolean | null;
  }>(
    `SELECT s.rows, ${filterDimension ? SET_FIRST : 'NULL'} AS first, r.period, r."group", r.value, r.n, r.complete
     FROM rollup_sets s LEFT JOIN rollup_rows r ON r.key = s.key AND r.data_version = s.data_version
       ${filterDimension ? OF_GROUP : ''}
     WHERE s.key = $key AND s.data_version = $version
     ORDER BY r.period, r."group"`,
    { key, version: facts.data_version, ...(filterDimension ? { group: String(filterValue) } : {}) },
  );
  if (!stored.length) return null;
  let rows: StoredRow[] = stored
    .filter((r) => r.period !== null)
    .map((r) => ({
      period: r.period!,
      value: r.value,
      n: r.n ?? 0,
      complete: r.complete ?? false,
      ...(dimension ? { group: r.group ?? '' } : {}),
    }));
  // A range reaching before the set's first period would list extra empty periods: compute it.
  const first = filterDimension ? (stored[0]!.first ?? undefined) : rows[0]?.period;
  const from = request.from ? monthStart(request.from) : null;
  if (from && first && from < first) return null;
  const to = monthStart(request.to && request.to < asOf ? request.to : asOf);
  rows = rows.filter((r) => (!from || r.period >= from) && r.period <= to);
  if (filterDimension) {
    const group = rows.filter((r) => r.group === filterValue);
    // A value no row has: the direct query lists every period empty; rare enough to compute.
    if (!group.length) return null;
    rows = group.map(({ group: _group, ...row }) => row);
  }
  return rows;
}

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export interface RefreshReport {
  sets: number;
  computed: number;
  ms: number;
  /** Sets that failed (now or before, with the same SQL): skipped until their definition changes. */
  failed: Array<{ metric: string; dimension: string | null; message: string }>;
  /** Sets larger than one answer may hold: not stored; their breakdowns are computed on request. */
  not_stored: Array<{ metric: string; dimension: string | null }>;
}

/** Keys of sets too large to store, per database, for this process: not tried again at every refresh. */
const oversizedSets = new WeakMap<Database, Map<string, { metric: string; dimension: string | null }>>();
const oversized = (db: Database) => {
  const sets = oversizedSets.get(db) ?? new Map<string, { metric: string; dimension: string | null }>();
  oversizedSets.set(db, sets);
  return sets;
};

export interface Failure {
  metric: string;
  dimension: string | null;
  message: string;
}

const failureCache = new WeakMap<Database, Promise<Map<string, Failure>>>();

/** Keys of sets that failed, read once per process and kept in step with every failure written. */
export function failures(db: Database): Promise<Map<string, Failure>> {
  let cached = failureCache.get(db);
  if (!cached) {
    cached = db
      .all<{ key: string; metric: string; dimension: string | null; message: string }>(
        `SELECT key, metric, dimension, message FROM rollup_failures`,
      )
      .then(
        (rows) => new Map(rows.map((r) => [r.key, { metric: r.metric, dimension: r.dimension, message: r.message }])),
      );
    failureCache.set(db, cached);
  }
  return cached;
}

/** Why a metric could not be computed in the background, or null. */
export async function failureOf(db: Database, metric: string): Promise<string | null> {
  for (const f of (await failures(db)).values()) if (f.metric === metric) return f.message;
  return null;
}

async function recordFailure(db: Database, key: string, failure: Failure): Promise<void> {
  await db.write(
    (s) =>
      s.run(`INSERT INTO rollup_failures VALUES ($key, $metric, $dimension, $message, current_timestamp)`, {
        key,
        ...failure,
      }),
    false,
  );
  (await failures(db)).set(key, failure);
}

/** A database error's reason, without the SQL DuckDB echoes after it. */
function reasonOf(error: unknown): string {
  if (error instanceof BearingError)
    return error.code === 'query-timeout'
      ? `it ran longer than the time limit (${error.message.match(/\d+(\.\d+)? s/)?.[0] ?? 'BEARING_QUERY_TIMEOUT'})`
      : error.message;
  return duckdbReason(error);
}

/**
 * Compute every set the catalog needs for the current data and drop stale ones. Each set is
 * computed together with the data version, with no commit in between, so a set is always
 * labelled with the version of the very rows it was computed from, even if an import commits
 * meanwhile (its sets then simply stop matching and are recomputed next time).
 */
export async function refreshRollups(
  db: Database,
  catalog: Catalog,
  shouldStop: () => boolean = () => false,
): Promise<RefreshReport> {
  const started = performance.now();
  const facts = await currentFacts(db);
  const keys: string[] = [];
  let computed = 0;
  const failed = await failures(db);
  const report = () => ({
    sets: keys.length,
    computed,
    ms: performance.now() - started,
    failed: [...failed.entries()].filter(([k]) => keys.includes(k)).map(([, f]) => f),
    not_stored: [...oversized(db).entries()].filter(([k]) => keys.includes(k)).map(([, o]) => o),
  });
  for (const metric of catalog.metrics) {
    const asOf = asOfFor(facts, tablesOf(metric.definition, catalog.resolve));
    if (!asOf) continue;
    for (const dimension of [undefined, ...metric.dimensions]) {
      if (shouldStop()) return report();
      const query = wholeHistory(metric, dimension, asOf, catalog.resolve);
      const key = keyOf(query);
      keys.push(key);
      if (failed.has(key) || oversized(db).has(key)) continue;
      const have = await db.one<{ rows: number }>(
        `SELECT (SELECT count(*) FROM rollup_rows r WHERE r.key = s.key AND r.data_version = s.data_version) AS rows
         FROM rollup_sets s WHERE s.key = $key AND s.data_version = $version`,
        { key, version: facts.data_version },
      );
      if (have && have.rows <= MAX_ROWS) continue;
      if (have) {
        // Stored under a higher answer limit (BEARING_MAX_ROWS since lowered): not kept beyond it.
        await db.write((s) => deleteSet(s, key), false);
        oversized(db).set(key, { metric: metric.definition.name, dimension: dimension ?? null });
        continue;
      }
      try {
        await storeSet(db, metric.definition.name, dimension ?? null, key, query);
        computed++;
      } catch (error) {
        if (shouldStop()) return report();
        if (error instanceof BearingError && error.code === 'data-changed') continue; // recomputed next time
        if (error instanceof BearingError && error.code === 'too-many-rows') {
          oversized(db).set(key, { metric: metric.definition.name, dimension: dimension ?? null });
          continue;
        }
        // One failing definition fails alone: marked, skipped until edited, the others go on.
        await recordFailure(db, key, {
          metric: metric.definition.name,
          dimension: dimension ?? null,
          message: reasonOf(error),
        });
      }
    }
  }
  // Sets of older data. (A set of a definition since changed keeps its key and is just never asked
  // for again; it goes with the next data change.)
  await db.write(async (s) => {
    await s.run(`DELETE FROM rollup_rows WHERE data_version <> (SELECT max(data_version) FROM bearing_meta)`);
    await s.run(`DELETE FROM rollup_sets WHERE data_version <> (SELECT max(data_version) FROM bearing_meta)`);
  }, false);
  return report();
}

/** One stored set and its rows, whatever data version they are of. */
async function deleteSet(s: Session, key: string): Promise<void> {
  await s.run(`DELETE FROM rollup_rows WHERE key = $key`, { key });
  await s.run(`DELETE FROM rollup_sets WHERE key = $key`, { key });
}

async function storeSet(
  db: Database,
  metric: string,
  dimension: string | null,
  key: string,
  query: CompiledQuery,
): Promise<void> {
  const started = performance.now();
  // The rows and the version they belong to are read with no commit in between (DuckDB 1.5.5 can
  // show another connection half of a large commit; see data/db.ts), then written as bookkeeping.
  const { version, rows } = await db.readInBackground(async (s) => ({
    version: (await s.one<{ v: number }>(`SELECT max(data_version) AS v FROM bearing_meta`))?.v ?? 0,
    // A dimension with tens of thousands of values (a kept city or id column) would be millions of
    // rows held in memory twice (2.8 GB once): never stored beyond what one answer may hold.
    rows: await s.all<StoredRow>(`${query.sql}\nLIMIT ${MAX_ROWS + 1}`, query.params),
  }));
  if (rows.length > MAX_ROWS)
    throw new BearingError(
      'too-many-rows',
      `more than ${MAX_ROWS.toLocaleString('en-US')} rows (periods × ${dimension ?? 'groups'}): not stored; a ` +
        'breakdown by it is computed on request, within the same limit',
    );
  const stored = rows.map((r) => ({
    period: r.period,
    group: dimension ? (r.group ?? null) : null,
    value: numberOrNull(r.value),
    n: r.n,
    complete: r.complete,
  }));
  await db.write(async (s) => {
    const params = { key, version, metric, dimension, rows: JSON.stringify(stored), ms: performance.now() - started };
    await deleteSet(s, key);
    await s.run(
      `INSERT INTO rollup_rows SELECT $key, $version, r.period, r."group", r.value, r.n, r.complete
       FROM (SELECT unnest(from_json($rows, '${STORED_ROW_TYPE}'), recursive := true)) r`,
      params,
    );
    await s.run(
      `INSERT INTO rollup_sets VALUES ($key, $metric, $dimension, $version, ${stored.length}, $ms, current_timestamp)`,
      params,
    );
  }, false);
}

/**
 * Runs refreshRollups in the background, one at a time: a request to refresh while one runs
 * makes it run once more afterwards. stop() waits for the current set to finish.
 */
export class RollupRefresher {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  last: (RefreshReport & { finished_at: string }) | null = null;

  constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  schedule(): Promise<void> {
    if (this.stopped || !this.db.useRollups) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop();
    return this.running;
  }

  /** Stop at once: the running background query is interrupted, nothing half-stored is kept. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.db.interruptBackground();
    await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          const report = await refreshRollups(this.db, this.catalog, () => this.stopped);
          this.last = { ...report, finished_at: new Date().toISOString() };
          if (report.computed)
            this.log(
              `rollups: ${report.computed} of ${report.sets} series sets computed in ` +
                `${(report.ms / 1000).toFixed(1)} s`,
            );
          for (const f of report.failed)
            this.log(
              `rollups: ${f.metric}${f.dimension ? ` by ${f.dimension}` : ''} cannot be computed (${f.message}); ` +
                `skipped until its definition changes`,
            );
        } catch (error) {
          this.log(
            `rollups: refresh failed, series are computed directly meanwhile ` +
              `(${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
          );
        }
      } while (this.again && !this.stopped);
    } finally {
      this.running = null;
    }
  }
}
