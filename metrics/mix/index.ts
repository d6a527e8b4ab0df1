// The media-mix model over the database: the KPI from any metric definition (week grain by
// default, day allowed), each `media` channel's spend per period, the controls named from
// `observations`, and the `experiments` on that KPI; fitted by metrics/mix/model.ts and kept in
// the result cache until the data change.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { cacheKey } from '../cacheKeys.ts';
import type { Catalog } from '../catalog.ts';
import type { Unit } from '../definition.ts';
import { runSeries } from '../series.ts';
import type { MixInput } from './fit.ts';
import { offload } from '../offload/pool.ts';
import type { FittedCurve, MixModel } from './model.ts';
import type { GeoSection } from './geoModel.ts';
import { experimentsOn, geoFit, geoPlan } from './geoInputs.ts';
import { mediaRows, warmSlot } from './mediaRows.ts';
import {
  calibrationOf,
  type Experiment,
  MIN_PERIODS,
  type MixRequest,
  PER_YEAR,
  priorsOf,
  WARM_UP,
} from './request.ts';

export type { MixRequest } from './request.ts';
import type { Allocation, Bounds } from './optimize.ts';

export interface MixAnswer extends Omit<MixModel, 'weekly' | 'curves' | 'recent' | 'experiments' | 'channels'> {
  /** Each channel, and what the model read for it: its spend, or its impressions when the data give them. */
  channels: Array<MixModel['channels'][number] & { modelled_on: 'spend' | 'impressions' }>;
  kpi: string;
  /** The KPI's unit (its definition's), for writing its amounts. */
  unit: Unit;
  grain: 'week' | 'day';
  periods: { from: string; to: string; count: number };
  controls: string[];
  /** The ROI priors the fit was pulled toward (bearing.yaml mix.priors). */
  priors: Record<string, { roi: number; sd: number }>;
  /** Each experiment on this KPI, beside what the model says about its weeks (null when not used). */
  experiments: Array<
    Experiment & { model_lift: number | null; model_lift_ci: [number, number] | null; agrees: boolean | null }
  >;
  /** With media by geo: the geo model's own findings (each geo's ROI); null for a national fit. */
  geo: GeoSection | null;
  /** Period by period: actual, fitted, baseline and each channel's contribution; held-out periods flagged. */
  series: Array<
    { period: string; actual: number; fitted: number; baseline: number; holdout: boolean } & {
      channels: Record<string, number>;
    }
  >;
}

/** A comma-separated list of control names as typed (URL, CLI), trimmed, empty entries dropped. */
export const controlList = (text?: string): string[] =>
  (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

/** The answer, and what the optimiser needs from the same fit (kept together in the result cache). */
export interface MixFitted {
  answer: MixAnswer;
  curves: MixModel['curves'];
  recent: MixModel['recent'];
}

export function fittedMix(
  db: Database,
  catalog: Catalog,
  request: MixRequest,
  progress?: (share: number) => void,
): Promise<MixFitted> {
  // One key however the request was spelled (the API's query, its body, the CLI), naming the KPI's
  // definition: an edited definition is a new fit.
  const key = cacheKey.mix(
    {
      kpi: request.kpi,
      grain: request.grain ?? 'week',
      from: request.from,
      to: request.to,
      controls: request.controls ?? [],
      seed: request.seed ?? 1,
      draws: request.draws ?? 200,
      national: request.national ?? false,
    },
    catalog.resolve,
    request.priors ?? {},
  );
  return db.cached(key, () => computeMix(db, catalog, request, progress), { stored: true });
}

export async function runMix(
  db: Database,
  catalog: Catalog,
  request: MixRequest,
  progress?: (share: number) => void,
): Promise<MixAnswer> {
  return (await fittedMix(db, catalog, request, progress)).answer;
}

/** At most this many observations are scored as possible controls (each costs three small fits). */
const MAX_CANDIDATES = 12;

/**
 * Every observation not already a control that could be one: not the KPI itself, present in at
 * least a quarter of the periods, and varying. Scored by the model (`control_suggestions`).
 */
async function candidateControls(
  db: Database,
  bucket: string,
  periods: string[],
  rows: Array<{ value: number | null }>,
  request: MixRequest,
): Promise<Array<{ name: string; values: number[] }>> {
  // One query for every candidate's series (the most observed names first), not one per name.
  const found = await db.all<{ name: string; period: string; value: number }>(
    `WITH top AS (
       SELECT name, row_number() OVER (ORDER BY count(*) DESC, name) AS rank FROM observations GROUP BY name
       ORDER BY rank LIMIT ${MAX_CANDIDATES + 10})
     SELECT name, ${bucket} AS period, avg(value) AS value FROM observations JOIN top USING (name)
     GROUP BY name, rank, period ORDER BY rank`,
  );
  const byName = new Map<string, Map<string, number>>();
  for (const f of found) {
    if (!byName.has(f.name)) byName.set(f.name, new Map());
    byName.get(f.name)!.set(f.period, f.value);
  }
  const kpi = rows.map((r) => r.value!);
  const out: Array<{ name: string; values: number[] }> = [];
  for (const [name, byPeriod] of byName) {
    if ((request.controls ?? []).includes(name) || out.length >= MAX_CANDIDATES) continue;
    const series = periods.map((p) => byPeriod.get(p) ?? 0);
    const present = periods.filter((p) => byPeriod.has(p)).length;
    const varies = series.some((v) => v !== series[0]);
    if (present < periods.length / 4 || !varies || Math.abs(correlation(series, kpi)) > 0.99) continue;
    out.push({ name, values: series });
  }
  return out;
}

/**
 * Each channel's spend per modelled period, its impressions when it gives them for every row it
 * has, and what the model reads (impressions, else spend) in the WARM_UP periods before the first:
 * their carry-over reaches the first periods.
 */
async function mediaSeries(db: Database, bucket: string, grain: 'week' | 'day', periods: string[]) {
  const index = new Map(periods.map((p, i) => [p, i]));
  const range = { from: periods[0]!, to: periods.at(-1)! };
  const spendRows = await mediaRows(db, bucket, grain, range, false);
  const channels = [...new Set(spendRows.filter((r) => index.has(r.period)).map((r) => r.channel))];
  const spendOf = new Map(channels.map((c) => [c, periods.map(() => 0)]));
  const exposureOf = new Map(channels.map((c) => [c, periods.map(() => 0)]));
  const warm = () => new Map(channels.map((c) => [c, Array.from({ length: WARM_UP }, () => 0)]));
  const spendBefore = warm();
  const exposureBefore = warm();
  const withoutImpressions = new Set<string>();
  for (const r of spendRows) {
    if (!spendOf.has(r.channel)) continue;
    const i = index.get(r.period);
    if (i === undefined) {
      const slot = warmSlot(r);
      if (slot === null) continue;
      spendBefore.get(r.channel)![slot] = r.spend;
      exposureBefore.get(r.channel)![slot] = r.impressions ?? 0;
      continue;
    }
    spendOf.get(r.channel)![i] = r.spend;
    if (r.impressions === null) withoutImpressions.add(r.channel);
    else exposureOf.get(r.channel)![i] = r.impressions;
  }
  for (const c of channels)
    if (withoutImpressions.has(c) || !exposureOf.get(c)!.some((x) => x > 0)) exposureOf.delete(c);
  const beforeOf = new Map(channels.map((c) => [c, (exposureOf.has(c) ? exposureBefore : spendBefore).get(c)!]));
  return { spendOf, exposureOf, beforeOf };
}

async function loadInputs(db: Database, catalog: Catalog, request: MixRequest) {
  const grain = request.grain ?? 'week';
  const metric = catalog.get(request.kpi);
  if (!metric) throw new BearingError('unknown-metric', `no metric named "${request.kpi}"`);
  const series = await runSeries(db, metric, { grain, from: request.from, to: request.to }, catalog.resolve);
  const rows = series.rows.filter((r) => r.complete && r.value !== null);
  if (rows.length < MIN_PERIODS[grain])
    throw new BearingError(
      'not-enough-data',
      `the mix model needs at least ${MIN_PERIODS[grain]} complete ${grain}s of ${request.kpi}; it has ${rows.length}`,
    );
  const periods = rows.map((r) => r.period);
  const bucket = `strftime(date_trunc('${grain}', date), '%Y-%m-%d')`;
  const { spendOf, exposureOf, beforeOf } = await mediaSeries(db, bucket, grain, periods);
  const controls = [];
  for (const name of request.controls ?? []) {
    const values = await db.all<{ period: string; value: number }>(
      `SELECT ${bucket} AS period, avg(value) AS value FROM observations WHERE name = $name GROUP BY 1`,
      { name },
    );
    if (!values.length)
      throw new BearingError('unknown-control', `no observations named "${name}" to use as a control`);
    const byPeriod = new Map(values.map((v) => [v.period, v.value]));
    const series = periods.map((p) => byPeriod.get(p) ?? 0);
    // The KPI explaining itself fits perfectly and leaves every channel at 0 (R² 1.000): refused.
    if (
      Math.abs(
        correlation(
          series,
          rows.map((r) => r.value!),
        ),
      ) > 0.9999
    )
      throw new BearingError(
        'kpi-as-control',
        `control "${name}" is the KPI itself (its values move exactly with ${request.kpi}'s): a model cannot ` +
          'explain the KPI by itself; choose other controls',
      );
    controls.push({ name, values: series });
  }
  const candidates = await candidateControls(db, bucket, periods, rows, request);
  const experiments = await experimentsOn(db, request.kpi);
  return { grain, rows, periods, spendOf, exposureOf, beforeOf, controls, candidates, experiments };
}

/** Pearson's correlation of two equally long series (0 when either is constant). */
function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * A control that is non-zero in a handful of periods is an event: its effect rests on those
 * periods alone, and a channel busy in the same weeks borrows or lends them.
 */
function eventWarnings(
  controls: Array<{ name: string; values: number[] }>,
  grain: string,
  perUnit: MixModel['baseline']['per_unit'],
): string[] {
  const n = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  return controls.flatMap((c) => {
    const active = c.values.filter((v) => v !== 0).length;
    const effect = perUnit[c.name];
    const read = effect
      ? ` (read as ${n(effect.value)} per unit of it, 95% interval ${n(effect.ci[0])} to ${n(effect.ci[1])})`
      : '';
    return active > 0 && active < Math.max(5, 0.05 * c.values.length)
      ? [
          `control ${c.name} is non-zero in only ${active} of ${c.values.length} ${grain}s: it acts as an event ` +
            `flag, and its effect${read} (and any channel active in the same weeks) rests on those weeks alone`,
        ]
      : [];
  });
}

async function computeMix(
  db: Database,
  catalog: Catalog,
  request: MixRequest,
  progress?: (share: number) => void,
): Promise<MixFitted> {
  const plan = await geoPlan(db, catalog, request);
  if (plan.geos) {
    const g = await geoFit(db, catalog, request, progress);
    return assemble(request, unitOf(catalog, request.kpi), { ...g, warnings: [...plan.warnings, ...g.warnings] });
  }
  const { grain, rows, periods, spendOf, exposureOf, beforeOf, controls, candidates, experiments } = await loadInputs(
    db,
    catalog,
    request,
  );
  const warnings = [...plan.warnings];
  const media: MixInput['media'][number][] = [];
  for (const [channel, spend] of spendOf) {
    const active = spend.filter((s) => s > 0).length;
    if (active < 8) {
      warnings.push(`${channel}: spend in only ${active} periods; not estimable, left out of the model`);
      continue;
    }
    media.push({ channel, spend, exposure: exposureOf.get(channel), before: beforeOf.get(channel) });
  }
  if (!media.length) throw new BearingError('nothing-to-model', 'no media channel has spend in 8 or more periods');
  const calibrating = calibrationOf(experiments, periods, media, warnings);
  const model = await offload(
    'mix-fit',
    {
      model: {
        kpi: rows.map((r) => r.value!),
        media,
        controls,
        experiments: calibrating,
        priors: priorsOf(request),
        perYear: PER_YEAR[grain],
      },
      options: { seed: request.seed, draws: request.draws, candidates },
    },
    { progress },
  );
  warnings.unshift(...eventWarnings(controls, grain, model.baseline.per_unit));
  const exposure = new Set(exposureOf.keys());
  return assemble(request, unitOf(catalog, request.kpi), {
    grain,
    periods,
    controls,
    experiments,
    calibrating,
    exposure,
    warnings,
    model,
  });
}

const unitOf = (catalog: Catalog, kpi: string): Unit => catalog.get(kpi)?.definition.unit ?? 'count';

/** The answer from either fit (national or across geos), and what the optimiser needs. */
function assemble(
  request: MixRequest,
  unit: Unit,
  f: {
    grain: 'week' | 'day';
    periods: string[];
    controls: Array<{ name: string }>;
    experiments: Experiment[];
    calibrating: Array<{ id?: string }>;
    exposure: Set<string>;
    warnings: string[];
    model: MixModel & { geo?: GeoSection };
  },
): MixFitted {
  const { model, periods } = f;
  const holdout = model.fit.holdout_weeks;
  const { weekly, curves, recent, experiments: checks, geo, ...rest } = model;
  const checkOf = new Map(f.calibrating.map((e, i) => [e.id, checks[i]!]));
  const answer: MixAnswer = {
    kpi: request.kpi,
    unit,
    grain: f.grain,
    periods: { from: periods[0]!, to: periods.at(-1)!, count: periods.length },
    controls: f.controls.map((c) => c.name),
    priors: request.priors ?? {},
    experiments: f.experiments.map((e) => ({
      ...e,
      ...(checkOf.get(e.experiment_id) ?? { model_lift: null, model_lift_ci: null, agrees: null }),
    })),
    ...rest,
    channels: rest.channels.map((c) =>
      f.exposure.has(c.channel)
        ? {
            ...c,
            modelled_on: 'impressions' as const,
            notes: [
              ...c.notes,
              'modelled on impressions; ROI, curves and the optimiser in money at the last year’s cost per ' +
                'impression',
            ],
          }
        : { ...c, modelled_on: 'spend' as const },
    ),
    warnings: [...f.warnings, ...model.warnings],
    series: weekly.map((w, t) => ({ period: periods[t]!, ...w, holdout: t >= periods.length - holdout })),
    geo: geo ?? null,
  };
  return { answer, curves, recent };
}

export interface OptimizeMixRequest extends MixRequest {
  budget?: number;
  bounds?: Record<string, Partial<Bounds>>;
  fixed?: string[];
  target?: number;
}

/** The steady-state weekly allocation of the fitted model (metrics/mix/optimize.ts), named per channel. */
export async function optimizeMix(
  db: Database,
  catalog: Catalog,
  request: OptimizeMixRequest,
): Promise<Allocation & { kpi: string; unit: Unit; assumptions: string[] }> {
  const { budget, bounds, fixed, target, ...model } = request;
  // Refused before the fit: a request that cannot be answered costs nothing.
  for (const [channel, b] of Object.entries(bounds ?? {}))
    if (b.min !== undefined && b.max !== undefined && b.min > b.max)
      throw new BearingError(
        'bad-amount',
        `the bounds of ${channel} are the wrong way round: min ${b.min} > max ${b.max}`,
      );
  // A channel no media row names cannot be modelled: refused before the fit too, so a typo in
  // --fixed or --bound does not wait for one (a channel left out by the fit is found after it).
  const named = [...Object.keys(bounds ?? {}), ...(fixed ?? [])];
  if (named.length) {
    const inData = (await db.all<{ channel: string }>('SELECT DISTINCT channel FROM media ORDER BY 1')).map(
      (r) => r.channel,
    );
    const missing = named.find((name) => !inData.includes(name));
    if (missing !== undefined)
      throw new BearingError(
        'unknown-channel',
        `no modelled channel "${missing}": no media rows name it (channels in the data: ${inData.join(', ')})`,
      );
  }
  const { answer, curves, recent } = await fittedMix(db, catalog, model);
  const channels = answer.channels.map((c) => c.channel);
  for (const name of named)
    if (!channels.includes(name))
      throw new BearingError('unknown-channel', `no modelled channel "${name}" (modelled: ${channels.join(', ')})`);
  let plan: Allocation;
  try {
    plan = await offload('mix-optimize', {
      channels,
      current: recent.spend,
      point: curves.point,
      draws: curves.draws,
      baseline: recent.baseline,
      budget,
      bounds,
      fixed,
      target,
    });
  } catch (error) {
    if (error instanceof BearingError) throw error;
    throw new BearingError('bad-amount', (error as Error).message);
  }
  return {
    kpi: request.kpi,
    unit: answer.unit,
    ...plan,
    assumptions: [
      'steady state: each weekly spend held long enough for carry-over to settle',
      'a channel without bounds of its own moves between half and twice today’s spend (--bound CHANNEL=0: opens it)',
      'the fitted response curves hold outside the spend levels seen, which they may not far beyond them',
      `today = the last year's average weekly spend per channel; the KPI includes the baseline (${answer.grain}ly)`,
    ],
  };
}

/** Each modelled channel's fitted response curve (for the customer-level what-if), by channel. */
export async function fittedCurves(
  db: Database,
  catalog: Catalog,
  request: MixRequest,
): Promise<Map<string, FittedCurve>> {
  const { answer, curves, recent } = await fittedMix(db, catalog, request);
  return new Map(
    answer.channels.map((c, i) => [
      c.channel,
      {
        kpi: answer.kpi,
        weekly_now: recent.spend[i]!,
        point: curves.point[i]!,
        draws: curves.draws.map((d) => d[i]!),
      },
    ]),
  );
}
