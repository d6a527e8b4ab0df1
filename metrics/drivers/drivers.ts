// Drivers of a metric's change: its monthly series, whole and by each dimension, read from the same
// series the metric page shows (stored series answer them), then split by ./decompose.ts.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import type { Catalog } from '../catalog.ts';
import { cacheKey } from '../cacheKeys.ts';
import type { CheckedMetric } from '../check.ts';
import { referencedMetrics } from '../compile.ts';
import { isDerived } from '../definition.ts';
import { addMonths, monthEnd, monthName, monthOf } from '../heading/months.ts';
import { resolveTablesAsOf, runSeries, type SeriesRow } from '../series.ts';
import { tablesOf } from '../asOf.ts';
import { currentFacts } from '../../data/schema.ts';
import {
  type DecompositionKind,
  decompose,
  type DimensionInput,
  type GroupPoint,
  PLACEBO_SHIFTS,
  type Windows,
} from './decompose.ts';
import { driversSentence, leadOf } from '../words/drivers.ts';
import { withCurrency } from '../words/current.ts';
import type { DriversAnswer, DriversRequest } from './types.ts';

export type { Driver, DriversAnswer, DriversRequest } from './types.ts';

const MAX_LISTED = 20;
/** The longest default window (months): the API takes window 1–12. */
const MAX_WINDOW = 12;

/** The two windows as month starts: the request's, or the latest complete `window` months and those before. */
function windowMonths(request: DriversRequest, lastComplete: string): { current: string[]; base: string[] } {
  const span = (from: string, to: string) => {
    const out: string[] = [];
    for (let m = monthOf(from); m <= monthOf(to); m = addMonths(m, 1)) out.push(m);
    return out;
  };
  const w = request.window ?? 1;
  const current =
    request.from || request.to
      ? span(request.from ?? monthOf(request.to!), request.to ?? monthEnd(monthOf(request.from!)))
      : span(addMonths(lastComplete, 1 - w), lastComplete);
  const base =
    request.compareFrom || request.compareTo
      ? span(
          request.compareFrom ?? monthOf(request.compareTo!),
          request.compareTo ?? monthEnd(monthOf(request.compareFrom!)),
        )
      : span(addMonths(current[0]!, -current.length), addMonths(current[0]!, -1));
  if (!current.length || !base.length) throw new BearingError('bad-range', 'each window needs at least one month');
  if (base.at(-1)! >= current[0]!)
    throw new BearingError('bad-range', `the compared window (${base[0]}…) must end before ${current[0]}`);
  return { current, base };
}

/** A ratio `a / b` (or `a / nullif(b, 0)`): its denominator weighs the groups. */
function denominatorOf(metric: CheckedMetric, catalog: Catalog): CheckedMetric | null {
  const d = metric.definition;
  if (!isDerived(d)) return null;
  const parts = referencedMetrics(d.expression, catalog.resolve);
  const m = d.expression.match(/^\s*\(?\s*([a-z_][a-z0-9_]*)\s*\)?\s*\/\s*(?:nullif\s*\(\s*)?([a-z_][a-z0-9_]*)/i);
  if (!m || parts.length !== 2 || m[1] !== parts[0] || m[2] !== parts[1]) return null;
  return catalog.get(m[2]!) ?? null;
}

type Row = SeriesRow;

function pointsByPeriod(rows: Row[], periods: string[], weights?: Row[]): GroupPoint[][] {
  const index = new Map(periods.map((p, i) => [p, i]));
  const weightOf = new Map(weights?.map((w) => [`${w.period}\u0000${w.group ?? ''}`, w.value ?? 0]));
  const out: GroupPoint[][] = periods.map(() => []);
  for (const r of rows) {
    const i = index.get(r.period);
    if (i === undefined || (r.value === null && r.n === 0)) continue;
    const weight = weights ? (weightOf.get(`${r.period}\u0000${r.group ?? ''}`) ?? 0) : r.n;
    out[i]!.push({ group: r.group ?? '(all)', value: r.value, weight });
  }
  return out;
}

/** Whether the groups make up the whole in every period compared: their sum, or their weighted mean. */
function holds(totals: GroupPoint[][], dim: GroupPoint[][], idx: number[], kind: DecompositionKind): boolean {
  return idx.every((i) => {
    const total = totals[i]?.[0]?.value;
    const groups = (dim[i] ?? []).filter((p) => p.value !== null);
    if (total === undefined || total === null) return groups.length === 0;
    const weight = groups.reduce((s, p) => s + p.weight, 0);
    const parts =
      kind === 'sum'
        ? groups.reduce((s, p) => s + p.value!, 0)
        : weight > 0
          ? groups.reduce((s, p) => s + p.value! * p.weight, 0) / weight
          : Number.NaN;
    return Math.abs(parts - total) <= 1e-6 * Math.max(1, Math.abs(total));
  });
}

export interface DriversContext {
  db: Database;
  catalog: Catalog;
}

/**
 * The drivers of a metric's change between two windows of months. Kept like a channel comparison
 * (data/storedResults.ts): every drifting card of the heading asks for its goal's, and a metric
 * with several dimensions reads a series per dimension and month (0.1–3 s of CPU on the sample).
 */
export function metricDrivers(ctx: DriversContext, name: string, request: DriversRequest): Promise<DriversAnswer> {
  const key = cacheKey.drivers(name, request, ctx.catalog.resolve);
  return ctx.db.cached(key, () => computeDrivers(ctx, name, request), { stored: true });
}

async function computeDrivers(ctx: DriversContext, name: string, request: DriversRequest): Promise<DriversAnswer> {
  const metric = ctx.catalog.get(name);
  if (!metric) throw new BearingError('unknown-metric', `no metric named "${name}"`);
  const where = request.where ?? {};
  const warnings: string[] = [];
  const asOf = await resolveTablesAsOf(ctx.db, tablesOf(metric.definition, ctx.catalog.resolve), request.asOf);
  // The month of as-of is complete only when as-of is its last day.
  const lastComplete = monthEnd(monthOf(asOf)) === asOf ? monthOf(asOf) : addMonths(monthOf(asOf), -1);
  const series = (m: CheckedMetric, first: string, to: string, by?: string) =>
    runSeries(ctx.db, m, { grain: 'month', from: first, to, asOf, where, ...(by ? { by } : {}) }, ctx.catalog.resolve);
  // One span for every default comparison (a month, a quarter, up to a year): the page's two
  // comparisons and the search for the last month with a value read the same series, cached once.
  // Never before the data's first month: stored series start there, and a range reaching earlier
  // is computed from the rows instead (1.1 s against 0.1 s at 1M customers).
  const facts = await currentFacts(ctx.db);
  const firsts = tablesOf(metric.definition, ctx.catalog.resolve)
    .map((t) => facts.first?.[t])
    .filter((d): d is string => !!d)
    .map(monthOf);
  const dataStart = firsts.length ? firsts.reduce((a, b) => (b < a ? b : a)) : null;
  const wanted = addMonths(lastComplete, -(PLACEBO_SHIFTS + 2 * MAX_WINDOW));
  const span = dataStart && dataStart > wanted ? dataStart : wanted;
  const windows = windowMonths(request, await lastValued(metric, lastComplete, span, series));
  const first = [span, addMonths(windows.base[0]!, -PLACEBO_SHIFTS)].reduce((a, b) => (b < a ? b : a));
  const to = windows.current.at(-1)! > lastComplete ? asOf : monthEnd(lastComplete);
  const periods: string[] = [];
  for (let m = first; m <= monthOf(to); m = addMonths(m, 1)) periods.push(m);
  if (windows.current.at(-1)! > lastComplete) warnings.push(`${monthName(lastComplete)} is the last complete month`);
  const answer = await readDrivers(ctx, metric, {
    where,
    asOf,
    windows,
    periods,
    series: (m, by) => series(m, first, to, by),
    warnings,
  });
  if (!request.currency) return answer;
  // Sentences in the workspace's currency (assess.ts keeps it only while they are written).
  return withCurrency(request.currency, () => ({ ...answer, sentence: driversSentence(answer), lead: leadOf(answer) }));
}

/**
 * The latest complete month with a value: a cohort metric (mature_after_days) has none for its
 * newest months, and its default windows end where its values do.
 */
async function lastValued(
  metric: CheckedMetric,
  lastComplete: string,
  span: string,
  series: (m: CheckedMetric, first: string, to: string) => Promise<{ rows: Row[] }>,
): Promise<string> {
  const rows = (await series(metric, span, monthEnd(lastComplete))).rows;
  const last = rows.filter((r) => r.complete && r.value !== null && r.n > 0).at(-1);
  return last ? monthOf(last.period) : lastComplete;
}

interface Plan {
  where: Record<string, string>;
  asOf: string;
  windows: { current: string[]; base: string[] };
  periods: string[];
  series: (m: CheckedMetric, by?: string) => Promise<{ rows: Row[] }>;
  warnings: string[];
}

async function readDrivers(ctx: DriversContext, metric: CheckedMetric, plan: Plan): Promise<DriversAnswer> {
  const d = metric.definition;
  const denominator = denominatorOf(metric, ctx.catalog);
  const dims = metric.dimensions.filter((x) => !(x in plan.where));
  const idx: Windows = {
    base: plan.windows.base.map((p) => plan.periods.indexOf(p)),
    current: plan.windows.current.map((p) => plan.periods.indexOf(p)),
  };
  if ([...idx.base, ...idx.current].some((i) => i < 0))
    throw new BearingError('bad-range', 'the windows compared must lie within the data');
  const total = await plan.series(metric);
  const totalWeights = denominator ? (await plan.series(denominator)).rows : undefined;
  const totals = pointsByPeriod(total.rows, plan.periods, totalWeights);
  const preferred: DecompositionKind[] =
    d.unit === 'currency' || d.unit === 'count' ? ['sum', 'mean'] : ['mean', 'sum'];
  const warnings = [...plan.warnings];
  const inputs: Array<{ dim: DimensionInput; kinds: DecompositionKind[] }> = [];
  for (const dimension of dims) {
    try {
      const rows = (await plan.series(metric, dimension)).rows;
      const weights = denominator ? (await plan.series(denominator, dimension)).rows : undefined;
      const points = pointsByPeriod(rows, plan.periods, weights);
      const compared = [...idx.base, ...idx.current];
      const kinds = preferred.filter((k) => holds(totals, points, compared, k));
      if (kinds.length) inputs.push({ dim: { dimension, periods: points }, kinds });
      else warnings.push(notAdditive(d.label, dimension));
    } catch (error) {
      if (!(error instanceof BearingError) || error.code !== 'too-many-rows') throw error;
      warnings.push(`${dimension} has too many values to rank (more than the rows one answer may hold)`);
    }
  }
  const kind = preferred.find((k) => inputs.some((i) => i.kinds.includes(k))) ?? preferred[0]!;
  const used = inputs.filter((i) => i.kinds.includes(kind)).map((i) => i.dim);
  const result = decompose(
    totals.map((p) => p[0]),
    used,
    idx,
    kind,
  );
  return shapeAnswer(metric, plan, { kind, used, result, warnings, denominator: denominator?.definition.label });
}

const notAdditive = (label: string, dimension: string) =>
  `${label} by ${dimension} is neither the sum nor a weighted average of its groups (a row can count in ` +
  `several), so its change is not split by ${dimension}`;

interface Outcome {
  kind: DecompositionKind;
  used: DimensionInput[];
  result: ReturnType<typeof decompose>;
  warnings: string[];
  denominator?: string;
}

function shapeAnswer(metric: CheckedMetric, plan: Plan, o: Outcome): DriversAnswer {
  const d = metric.definition;
  const r = o.result;
  const drivers = (r?.contributions ?? []).filter((c) => c.driver);
  const leading = drivers[0]?.dimension;
  const explained = drivers.filter((c) => c.dimension === leading).reduce((s, c) => s + c.contribution, 0);
  const warnings = [...o.warnings];
  if (r && r.threshold === null)
    warnings.push(
      `only ${r.placebos} earlier comparisons of the same length: at least 6 are needed to tell a driver from ` +
        'noise, so no driver is named',
    );
  if (!r) warnings.push('one of the windows has no value, so there is no change to explain');
  const weights = o.denominator ? `weighted by ${o.denominator}` : 'weighted by their rows';
  const method =
    o.kind === 'sum'
      ? 'each group’s own change (the groups add up to the whole)'
      : `shift-share: each group’s own value (rate) and its share (mix), ${weights}`;
  const answer: Omit<DriversAnswer, 'sentence' | 'lead'> = {
    metric: d.name,
    label: d.label,
    unit: d.unit,
    direction: d.direction,
    as_of: plan.asOf,
    where: plan.where,
    period: { from: plan.windows.current[0]!, to: monthEnd(plan.windows.current.at(-1)!) },
    compare: { from: plan.windows.base[0]!, to: monthEnd(plan.windows.base.at(-1)!) },
    before: r?.before ?? null,
    after: r?.after ?? null,
    change: r?.change ?? null,
    change_ci: r?.change_ci ?? null,
    drivers,
    contributions: (r?.contributions ?? []).slice(0, MAX_LISTED),
    unexplained: r ? r.change - explained : null,
    method: `${method}; noise read from ${r?.placebos ?? 0} earlier comparisons of the same months`,
    dimensions: o.used.map((u) => u.dimension),
    warnings,
  };
  return { ...answer, sentence: driversSentence(answer), lead: leadOf(answer) };
}
