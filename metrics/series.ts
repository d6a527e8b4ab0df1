// Runs a metric's compiled SQL and shapes the answer the CLI, API and web app share.
import { BearingError } from '../data/errors.ts';
import { type Database, duckdbReason, numberOrNull } from '../data/db.ts';
import type { ContractTable } from '../data/contract.ts';
import { currentFacts } from '../data/schema.ts';
import { asOfFor, tablesOf } from './asOf.ts';
import { MAX_PERIODS, MAX_ROWS } from './limits.ts';
import { keepTopGroups } from './topGroups.ts';
import { cacheKey } from './cacheKeys.ts';
import type { CheckedMetric } from './check.ts';
import { type CompiledQuery, compileSeries, normalizeRequest, type SeriesRequest } from './compile.ts';
import { readRollup } from './rollups.ts';
import type { Definition, Grain, Unit } from './definition.ts';

export type { SeriesRequest } from './compile.ts';

export interface SeriesRow {
  period: string;
  value: number | null;
  n: number;
  complete: boolean;
  group?: string;
}

export interface Series {
  metric: string;
  label: string;
  grain: Grain;
  unit: Unit;
  direction: 'up' | 'down';
  as_of: string;
  by: string | null;
  where: Record<string, string>;
  mature_after_days: number | null;
  rows: SeriesRow[];
  /** With `top`: the groups kept, and how many smaller ones "(other)" holds. */
  top?: number;
  other_groups?: number;
}

export async function resolveAsOf(db: Database, asOf?: string): Promise<string> {
  if (asOf) return asOf;
  const facts = await currentFacts(db);
  if (!facts.as_of) throw noData();
  return facts.as_of;
}

const noData = () =>
  new BearingError('no-data', 'the database holds no data yet: import CSV files or run "bearing generate"');

/** The as-of date of an answer drawn from these tables (see metrics/asOf.ts). */
export async function resolveTablesAsOf(db: Database, tables: ContractTable[], requested?: string): Promise<string> {
  const asOf = asOfFor(await currentFacts(db), tables, requested);
  if (!asOf) throw noData();
  return asOf;
}

export function buildSeriesQuery(
  metric: CheckedMetric,
  request: SeriesRequest & { asOf: string },
  resolve: (n: string) => Definition | undefined,
): CompiledQuery {
  const { definition, dimensions } = metric;
  for (const dim of [...(request.by ? [request.by] : []), ...Object.keys(request.where ?? {})]) {
    if (!dimensions.includes(dim)) {
      throw new BearingError(
        'unknown-dimension',
        `"${dim}" is not a dimension of ${definition.name} (expected one of: ${dimensions.join(', ') || 'none'})`,
      );
    }
  }
  if (request.from && request.to && request.from > request.to)
    throw new BearingError('bad-range', `from (${request.from}) is after to (${request.to})`);
  return compileSeries(definition, normalizeRequest(request), resolve);
}

export { MAX_PERIODS, MAX_ROWS } from './limits.ts';
const DAYS_PER_PERIOD: Record<Grain, number> = { day: 1, week: 7, month: 30.436875, quarter: 91.310625 };

/** Refuse, before running anything, a range that would produce more periods than one answer may hold. */
export function checkPeriods(grain: Grain, from: string | null, to: string): void {
  if (!from) return;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  const periods = Math.floor(days / DAYS_PER_PERIOD[grain]) + 1;
  if (periods > MAX_PERIODS) {
    throw new BearingError(
      'too-many-periods',
      `this request spans about ${periods.toLocaleString('en-US')} ${grain}s from ${from} to ${to}; one answer may ` +
        `hold at most ${MAX_PERIODS.toLocaleString('en-US')} periods (narrow from/to/as_of, or use a coarser grain)`,
    );
  }
}

type SeriesRows = Array<{ period: string; value: number | null; n: number; complete: boolean; group?: string }>;

/** The request's as-of date and compiled query, refused when it would produce too many periods. */
export async function prepareSeries(
  db: Database,
  metric: CheckedMetric,
  request: SeriesRequest,
  resolve: (n: string) => Definition | undefined,
): Promise<{ asOf: string; query: CompiledQuery }> {
  const tables = tablesOf(metric.definition, resolve);
  const asOf = await resolveTablesAsOf(db, tables, request.asOf);
  const query = buildSeriesQuery(metric, { ...request, asOf }, resolve);
  const facts = await currentFacts(db);
  const firsts = tables.map((t) => facts.first?.[t]).filter((d): d is string => !!d);
  const to = request.to && request.to < asOf ? request.to : asOf;
  checkPeriods(
    request.grain ?? 'month',
    request.from ?? (firsts.length ? firsts.reduce((a, b) => (b < a ? b : a)) : null),
    to,
  );
  return { asOf, query };
}

/** Run a compiled series query with its row bound (the SQL ends with ORDER BY, so LIMIT applies to the answer). */
export async function runBounded(
  all: (sql: string, params: CompiledQuery['params']) => Promise<SeriesRows>,
  query: CompiledQuery,
): Promise<SeriesRows> {
  const rows = await all(`${query.sql}\nLIMIT ${MAX_ROWS + 1}`, query.params);
  if (rows.length > MAX_ROWS)
    throw new BearingError(
      'too-many-rows',
      `this answer would hold more than ${MAX_ROWS.toLocaleString('en-US')} rows (periods × groups); narrow the ` +
        `range or break down by a dimension with fewer values`,
    );
  return rows;
}

export async function runSeries(
  db: Database,
  metric: CheckedMetric,
  request: SeriesRequest,
  resolve: (n: string) => Definition | undefined,
): Promise<Series> {
  const { asOf, query } = await prepareSeries(db, metric, request, resolve);
  const rows = await db.cached(
    cacheKey.series(query.sql, query.params),
    async () =>
      (await readRollup(db, metric, { ...request, asOf }, resolve)) ??
      runBounded((sql, params) => db.all(sql, params), query).catch((error) => {
        throw cannotCompute(metric, error);
      }),
  );
  const series = shapeSeries(metric, request, asOf, rows);
  if (!request.by || !request.top) return series;
  const { rows: kept, folded } = keepTopGroups(series.rows, request.top, series.unit);
  return { ...series, rows: kept, top: request.top, other_groups: folded };
}

/**
 * A definition that checks but fails when run (a cast that meets a value it cannot convert) is
 * the definition's problem, answered 422 with DuckDB's reason and never the SQL.
 */
function cannotCompute(metric: CheckedMetric, error: unknown): unknown {
  if (error instanceof BearingError) return error;
  const reason = duckdbReason(error);
  if (/out of memory|could not allocate/i.test(reason))
    return new BearingError(
      'out-of-memory',
      `${metric.definition.name} needs more memory than the server may use (BEARING_MEMORY_LIMIT); narrow the range ` +
        `or raise the limit`,
    );
  return new BearingError('metric-failed', `${metric.definition.name} cannot be computed: ${reason}`);
}

/** The answer the CLI, API and web app share, from a series' rows. */
export function shapeSeries(metric: CheckedMetric, request: SeriesRequest, asOf: string, rows: SeriesRows): Series {
  const d = metric.definition;
  return {
    metric: d.name,
    label: d.label,
    grain: request.grain ?? 'month',
    unit: d.unit,
    direction: d.direction,
    as_of: asOf,
    by: request.by ?? null,
    where: request.where ?? {},
    mature_after_days: 'mature_after_days' in d ? (d.mature_after_days ?? null) : null,
    rows: rows.map((r) => ({
      period: r.period,
      ...(request.by ? { group: r.group } : {}),
      value: numberOrNull(r.value),
      n: r.n,
      complete: r.complete,
    })),
  };
}
