// Where a goal's metric will be in its due month, as one predictive distribution: the combination
// of simple forecasters in ensemble.ts, fitted on the whole monthly history, weighted and sized
// by its own rolling-origin errors, on the log scale for quantities that cannot go below zero
// (with a tenth from the series' own scale when it spans more than a hundredfold: scales.ts),
// and kept inside the metric's domain. Every figure of a reading (chance, forecast, band, course,
// milestones) is read from this one distribution. The level-step search stays here: the reading
// names a step, and the heading's 12-month slope is measured after it. Pure; calibration is
// measured on planted worlds (test/metrics/forecast.test.ts) and on real series (bench/forecast.ts).
import { scaledEnsemble } from './scales.ts';
import { solveLinear } from './solve.ts';
import { MIN_SEASONAL_PERIODS, testSeasonality } from './seasonality.ts';
import type { Seasonality } from './types.ts';
import { forecastWords } from '../words/heading.ts';

export interface SeriesPoint {
  /** Months from the last period (0 = last, negative before). */
  t: number;
  v: number;
  /** Month of the year, 1–12. */
  month: number;
}

export interface LevelShift {
  /** t of the first period after the step. */
  t: number;
  magnitude: number;
  f: number;
}

export interface ForecastModel {
  /** The predictive distribution h months after the last period (seasonal effect of that month included). */
  at(h: number): { value: number; low: number; high: number };
  /** The forecast's median h months on (cheaper than `at`). */
  median(h: number): number;
  /** Where the forecast puts the metric now: the level pace and course are measured from. */
  level: number;
  /** P(value in h months meets the target). */
  probability(h: number, target: number, direction: 'up' | 'down'): number;
  models: Array<{ name: string; weight: number }>;
  shift: LevelShift | null;
  seasonality: Seasonality;
  notes: string[];
  method: string;
}

/** Up to 20 years of history feed the forecast (month-of-year indices need several years). */
const MAX_HISTORY = 240;
/** The level-step search and the heading's seasonal test look at the last three years. */
const RECENT = 36;

// ---------------------------------------------------------------- small least squares

function inverse(a: number[][]): number[][] | null {
  const n = a.length;
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const col = solveLinear(
      a,
      a.map((_, i) => (i === j ? 1 : 0)),
    );
    if (!col) return null;
    cols.push(col);
  }
  return a.map((_, i) => cols.map((c) => c[i]!));
}

interface Ols {
  coef: number[];
  xtxInv: number[][];
  resid: number[];
}

/** Least squares of y on the rows of x (plain loops: a level-shift search runs this for every month). */
function ols(x: number[][], y: number[]): Ols | null {
  const p = x[0]!.length;
  const xtx: number[][] = [];
  const xty: number[] = [];
  for (let i = 0; i < p; i++) {
    const row: number[] = [];
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (const r of x) s += r[i]! * r[j]!;
      row.push(s);
    }
    xtx.push(row);
    let s = 0;
    for (let k = 0; k < x.length; k++) s += x[k]![i]! * y[k]!;
    xty.push(s);
  }
  const xtxInv = inverse(xtx);
  const coef = solveLinear(xtx, xty);
  if (!coef || !xtxInv) return null;
  const resid = y.map((v, k) => {
    let fitted = 0;
    for (let i = 0; i < p; i++) fitted += x[k]![i]! * coef[i]!;
    return v - fitted;
  });
  return { coef, xtxInv, resid };
}

const rss = (r: number[]) => r.reduce((s, x) => s + x * x, 0);

/** Lag-1 autocorrelation of residuals, kept in [0, 0.9]: negative values are treated as none. */
function lag1(resid: number[]): number {
  if (resid.length < 4) return 0;
  const num = resid.slice(1).reduce((s, r, i) => s + r * resid[i]!, 0);
  const den = rss(resid);
  return den > 0 ? Math.min(0.9, Math.max(0, num / den)) : 0;
}

type Design = (t: number) => number[];

// ---------------------------------------------------------------- level shifts

const STEP_SIGMAS = 3;
/** Andrews (1993): 5% critical value of the sup-F test, one break parameter, 15% trimming. */
const ANDREWS_5PCT = 8.85;
const linear: Design = (t) => [1, t];
const stepped =
  (at: number): Design =>
  (t) => [1, t, t >= at ? 1 : 0];

/**
 * The one step in level (with a common slope) that explains the series best, kept only when its
 * F statistic beats Andrews' (1993) 5% critical value for an unknown break date (8.85 with 15%
 * trimming), deflated for autocorrelated noise. Only asked of two years or more: under that a
 * yearly cycle can pass for a step (see forecastModel).
 */
export function findLevelShift(points: SeriesPoint[]): LevelShift | null {
  const n = points.length;
  if (n < 10) return null;
  const base = ols(
    points.map((p) => linear(p.t)),
    points.map((p) => p.v),
  );
  if (!base) return null;
  const trim = Math.max(3, Math.ceil(0.15 * n));
  let best: (LevelShift & { sd: number }) | null = null;
  const values = points.map((p) => p.v);
  const baseRss = rss(base.resid);
  for (let k = trim; k <= n - trim; k++) {
    const at = points[k]!.t;
    const fit = ols(
      points.map((p) => stepped(at)(p.t)),
      values,
    );
    if (!fit) continue;
    // Autocorrelation left once the step is in the model (an unmodelled step looks like autocorrelation).
    // Lag-1 autocorrelation is biased low in short series; Kendall's correction adds (1 + 3ρ) / n.
    const raw = lag1(fit.resid);
    const rho = Math.min(0.9, raw + (1 + 3 * raw) / n);
    const fitRss = rss(fit.resid);
    const f = ((baseRss - fitRss) / (fitRss / (n - 3))) * ((1 - rho) / (1 + rho));
    const sd = Math.sqrt(fitRss / (n - 3));
    if (!best || f > best.f) best = { t: at, magnitude: fit.coef[2]!, f, sd };
  }
  // Autocorrelated noise wanders in long excursions that pass the F test; a step must also be
  // large against the noise (2.5σ), which the wandering of AR(1) noise at ρ = 0.6 rarely is.
  if (!best || best.f <= ANDREWS_5PCT || Math.abs(best.magnitude) < STEP_SIGMAS * best.sd) return null;
  return { t: best.t, magnitude: best.magnitude, f: best.f };
}

/**
 * @param history monthly values, oldest first, `t` counted from the last (0)
 * @param bounded the values the metric can take (true: a ratio, [0, 1]): forecasts and bands stay inside
 */
/** The values a metric can take: forecasts, bands and backtests never leave them. */
export interface Domain {
  min?: number;
  max?: number;
}

const RATIO_DOMAIN: Domain = { min: 0, max: 1 };

/**
 * A unit's domain: ratios in [0, 1], percents in [0, 100], scores such as NPS in [−100, 100],
 * money, counts and days never below 0 (a revenue forecast once reached −625,293).
 */
export function domainOf(unit: string): Domain {
  switch (unit) {
    case 'ratio':
      return RATIO_DOMAIN;
    case 'percent':
      return { min: 0, max: 100 };
    case 'score':
      return { min: -100, max: 100 };
    case 'currency':
    case 'count':
    case 'days':
      return { min: 0 };
    default:
      return {};
  }
}

/**
 * The unit's domain, less any edge the metric's own history has already crossed: a currency metric
 * that went below zero (net of refunds, a margin) is not forecast as if it could not.
 */
export function observedDomain(unit: string, history: ReadonlyArray<{ v: number }>): Domain {
  const { min, max } = domainOf(unit);
  return {
    ...(min !== undefined && history.every((p) => p.v >= min) ? { min } : {}),
    ...(max !== undefined && history.every((p) => p.v <= max) ? { max } : {}),
  };
}

const HORIZONS = 24;

function probabilityIn(domain: Domain, target: number, direction: 'up' | 'down', chance: () => number): number {
  // A target at or beyond the domain's edge: certain or impossible, whatever the spread.
  if (direction === 'up') {
    if (domain.min !== undefined && target <= domain.min) return 1;
    if (domain.max !== undefined && target > domain.max) return 0;
  } else {
    if (domain.max !== undefined && target >= domain.max) return 1;
    if (domain.min !== undefined && target < domain.min) return 0;
  }
  return chance();
}

/**
 * @param history monthly values, oldest first, `t` counted from the last (0)
 * @param bounded the values the metric can take (true: a ratio, [0, 1]): forecasts and bands stay inside
 */
export function forecastModel(history: SeriesPoint[], bounded: boolean | Domain): ForecastModel {
  const all = history.slice(-MAX_HISTORY);
  const recent = all.slice(-RECENT);
  const domain = bounded === true ? RATIO_DOMAIN : bounded === false ? {} : bounded;
  const notes: string[] = [];
  const shift = recent.length >= MIN_SEASONAL_PERIODS ? findLevelShift(recent) : null;
  const stepFree = (p: SeriesPoint) => (shift && p.t < shift.t ? p.v + shift.magnitude : p.v);
  const seasonality = testSeasonality(recent.map((p) => ({ ...p, v: stepFree(p) })));
  const positive = domain.min !== undefined && domain.min >= 0;
  const ens = scaledEnsemble(
    all.map((p) => p.v),
    all.map((p) => p.month),
    { positive, horizons: HORIZONS },
  );
  if (ens.scale === 'log') notes.push(forecastWords.logScale);
  if (ens.ownScale) notes.push(forecastWords.mixedScale(ens.ownScale.range, ens.ownScale.share));
  if (ens.cycleMonths) notes.push(forecastWords.seasonal(Math.floor(ens.cycleMonths / 12)));
  else if (all.length < MIN_SEASONAL_PERIODS) notes.push(forecastWords.tooShortForSteps(all.length));
  else if (!ens.seasonalTest) notes.push(forecastWords.tooShortForCycle(all.length));
  if (shift) notes.push(forecastWords.step(shift.magnitude, -shift.t));
  const clamp = (v: number) =>
    Math.min(domain.max ?? Number.POSITIVE_INFINITY, Math.max(domain.min ?? Number.NEGATIVE_INFINITY, v));
  return {
    at: (h) => ({
      value: clamp(ens.median(h)),
      low: clamp(ens.quantile(h, 0.025)),
      high: clamp(ens.quantile(h, 0.975)),
    }),
    median: (h) => clamp(ens.median(h)),
    level: clamp(ens.level),
    probability: (h, target, direction) => {
      const chance = () => (direction === 'up' ? ens.atLeast(h, target) : ens.cdf(h, target));
      return Math.min(1, Math.max(0, probabilityIn(domain, target, direction, chance)));
    },
    models: ens.models,
    shift,
    seasonality,
    notes,
    method: forecastWords.method,
  };
}

/** Forecasts kept for the goals after the first: at most this many series at once. */
const KEPT_MODELS = 256;
const kept = new Map<string, ForecastModel>();

/**
 * `forecastModel`, kept for the next goal on the same series. Goals on one metric and filter share
 * their history and differ only in target and due date, and the model (four forecasters fitted at
 * many origins) is nearly all of a reading's time: an overview of 1,044 goals on 12 series fitted
 * 1,044 models. Keyed by every value the model reads; the model is never changed after it is made.
 */
export function sharedForecastModel(history: SeriesPoint[], domain: Domain): ForecastModel {
  const key = JSON.stringify([domain.min ?? null, domain.max ?? null, history.map((p) => [p.t, p.v, p.month])]);
  const found = kept.get(key);
  if (found) {
    // Most recently used last, so the oldest goes first when the map is full.
    kept.delete(key);
    kept.set(key, found);
    return found;
  }
  const model = forecastModel(history, domain);
  kept.set(key, model);
  if (kept.size > KEPT_MODELS) kept.delete(kept.keys().next().value!);
  return model;
}

/** Forget every kept forecast (the bench's worst case: every goal on a series of its own). */
export function forgetForecastModels(): void {
  kept.clear();
}
