// Runs a metric's compiled SQL and shapes the answer the CLI, API and web app share.
import { BearingError } from '../data/errors.ts';
import type { Database } from '../data/db.ts';
import type { ContractTable } from '../data/contract.ts';
import { currentFacts } from '../data/schema.ts';
import { asOfFor, tablesOf } from './asOf.ts';
import type { CheckedMetric } from './check.ts';
import { compileSeries, type CompiledQuery } from './compile.ts';
import { readRollup } from './rollups.ts';
import type { Definition, Grain, Unit } from './definition.ts';

export interface SeriesRequest {
  grain?: Grain;
  from?: string;
  to?: string;
  asOf?: string;
  by?: string;
  where?: Record<string, string>;
}

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
}

export async function resolveAsOf(db: Database, asOf?: string): Promise<string> {
  if (asOf) return asOf;
  const facts = await currentFacts(db);
  if (!facts.as_of) throw noData();
  return facts.as_of;
}

const noData = () => new BearingError('no-data', 'the database holds no data yet: import CSV files or run "bearing generate"', 409);

/** The as-of date of an answer drawn from these tables (see metrics/asOf.ts). */
export async function resolveTablesAsOf(db: Database, tables: ContractTable[], requested?: string): Promise<string> {
  const asOf = asOfFor(await currentFacts(db), tables, requested);
  if (!asOf) throw noData();
  return asOf;
}

export function buildSeriesQuery(metric: CheckedMetric, request: SeriesRequest & { asOf: string }, resolve: (n: string) => Definition | undefined): CompiledQuery {
  const { definition, dimensions } = metric;
  for (const dim of [...(request.by ? [request.by] : []), ...Object.keys(request.where ?? {})]) {
    if (!dimensions.includes(dim)) {
      throw new BearingError('unknown-dimension', `"${dim}" is not a dimension of ${definition.name} (expected one of: ${dimensions.join(', ') || 'none'})`, 400);
    }
  }
  if (request.from && request.to && request.from > request.to) throw new BearingError('bad-range', `from (${request.from}) is after to (${request.to})`, 400);
  return compileSeries(
    definition,
    { grain: request.grain ?? 'month', from: request.from ?? null, to: request.to && request.to < request.asOf ? request.to : request.asOf, asOf: request.asOf, by: request.by, where: request.where },
    resolve,
  );
}

export async function runSeries(db: Database, metric: CheckedMetric, request: SeriesRequest, resolve: (n: string) => Definition | undefined): Promise<Series> {
  const asOf = await resolveTablesAsOf(db, tablesOf(metric.definition, resolve), request.asOf);
  const query = buildSeriesQuery(metric, { ...request, asOf }, resolve);
  const rows = await db.cached(
    `series\u0000${query.sql}\u0000${JSON.stringify(query.params)}`,
    async () => (await readRollup(db, metric, { ...request, asOf }, resolve)) ?? db.all<{ period: string; value: number | null; n: number; complete: boolean; group?: string }>(query.sql, query.params),
  );
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
    rows: rows.map((r) => ({ period: r.period, ...(request.by ? { group: r.group } : {}), value: r.value === null || Number.isNaN(r.value) ? null : r.value, n: r.n, complete: r.complete })),
  };
}
