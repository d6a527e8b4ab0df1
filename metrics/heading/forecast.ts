// Where a goal's metric will be in its due month, as a probability distribution: a few simple
// models on the (seasonally adjusted) monthly history, weighted by how well each forecast the
// series' own recent past, with intervals widened for autocorrelated noise and for any error the
// models' own formulas understate. Pure; the calibration is tested on planted worlds
// (test/metrics/forecast.test.ts) and stated in the README.
import jstat from 'jstat';
import { MIN_SEASONAL_PERIODS, testSeasonality, type Seasonality } from './seasonality.ts';
import { median } from './trend.ts';

export interface SeriesPoint {
  /** Months from the last period (0 = last, negative before). */
  t: number;
  v: number;
  /** Month of the year, 1–12. */
  month: number;
}

interface Predictive {
  mean: number;
  sd: number;
  df: number;
}

/** One fitted model: its predictive distribution at month `t` (on the history's scale, 0 = its last month). */
interface Fitted {
  name: string;
  predict(t: number): Predictive;
  /** Bayesian information criterion of the fit (for weights when too short a history has no holdout). */
  bic: number;
  /** Points it was fitted on. */
  n: number;
}

const bicOf = (residuals: number[], params: number) =>
  residuals.length * Math.log(Math.max(rss(residuals), 1e-300) / residuals.length) +
  params * Math.log(residuals.length);

export interface LevelShift {
  /** t of the first period after the step. */
  t: number;
  magnitude: number;
  f: number;
}

export interface ForecastModel {
  /** The predictive distribution h months after the last period (seasonal effect of that month included). */
  at(h: number): { value: number; low: number; high: number };
  /** P(value in h months meets the target). */
  probability(h: number, target: number, direction: 'up' | 'down'): number;
  models: Array<{ name: string; weight: number }>;
  shift: LevelShift | null;
  seasonality: Seasonality;
  notes: string[];
  method: string;
}

const MAX_HISTORY = 36;
const SHORT_WINDOW = 12;
const LEVEL_WINDOW = 6;
const MIN_FIT = 6;

// ---------------------------------------------------------------- small least squares

function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function inverse(a: number[][]): number[][] | null {
  const n = a.length;
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const col = solve(
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

function ols(x: number[][], y: number[]): Ols | null {
  const p = x[0]!.length;
  const xtx = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => x.reduce((s, r) => s + r[i]! * r[j]!, 0)),
  );
  const xty = Array.from({ length: p }, (_, i) => x.reduce((s, r, k) => s + r[i]! * y[k]!, 0));
  const xtxInv = inverse(xtx);
  const coef = solve(xtx, xty);
  if (!coef || !xtxInv) return null;
  const resid = y.map((v, k) => v - x[k]!.reduce((s, xi, i) => s + xi * coef[i]!, 0));
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

// ---------------------------------------------------------------- models

type Design = (t: number) => number[];

/**
 * Linear trend (and a step, when one was found) by least squares, after setting aside at most two
 * outlying periods (|residual| > 4 robust σ). Errors may be AR(1): the forecast carries the last
 * residual forward by ρ^h, and the parameters' variance is inflated by (1 + ρ) / (1 − ρ).
 */
function trendModel(name: string, points: SeriesPoint[], design: Design): Fitted | null {
  if (points.length < MIN_FIT) return null;
  const fit0 = ols(
    points.map((p) => design(p.t)),
    points.map((p) => p.v),
  );
  if (!fit0) return null;
  const robust = 1.4826 * median(fit0.resid.map(Math.abs));
  const outliers = fit0.resid
    .map((r, i) => ({ r: Math.abs(r), i }))
    .filter(({ r }) => robust > 0 && r > 4 * robust)
    .sort((a, b) => b.r - a.r)
    .slice(0, 2)
    .map(({ i }) => i);
  const kept = points.filter((_, i) => !outliers.includes(i));
  const fit = outliers.length
    ? ols(
        kept.map((p) => design(p.t)),
        kept.map((p) => p.v),
      )
    : fit0;
  if (!fit) return null;
  const p = fit.coef.length;
  const df = Math.max(1, kept.length - p);
  const sigma = Math.sqrt(rss(fit.resid) / df);
  const rho = lag1(fit.resid);
  const tLast = points.at(-1)!.t;
  const lastResid = kept.at(-1)!.t === tLast ? fit.resid.at(-1)! : 0;
  const inflation = (1 + rho) / (1 - rho);
  return {
    name,
    bic: bicOf(fit.resid, p + 1),
    n: kept.length,
    predict(t) {
      const h = Math.max(0, t - tLast);
      const x0 = design(t);
      const mean = x0.reduce((s, xi, i) => s + xi * fit.coef[i]!, 0) + rho ** h * lastResid;
      const lev = x0.reduce((s, xi, i) => s + xi * x0.reduce((t, xj, j) => t + fit.xtxInv[i]![j]! * xj, 0), 0);
      // Noise still to come (all of it without autocorrelation) plus the fitted line's own uncertainty.
      const variance = sigma ** 2 * (1 - rho ** (2 * h) + inflation * lev);
      return { mean, sd: Math.sqrt(Math.max(variance, 1e-18)), df };
    },
  };
}

/** The level of the last few periods, flat: a series that wanders without a trend. */
function levelModel(points: SeriesPoint[], window: number): Fitted | null {
  const recent = points.slice(-window);
  if (recent.length < 4) return null;
  const mean = recent.reduce((s, p) => s + p.v, 0) / recent.length;
  const resid = recent.map((p) => p.v - mean);
  const df = recent.length - 1;
  const sigma = Math.sqrt(rss(resid) / df);
  const m = recent.length;
  return {
    name: `level of the last ${m} months`,
    bic: bicOf(resid, 2),
    n: m,
    predict: () => ({ mean, sd: sigma * Math.sqrt(1 + 1 / m), df }),
  };
}

/**
 * A trend that bends once (y = a + b·t + c·max(0, t − k)), at the month that fits best with at
 * least 4 months after it: a course that changed speed recently, projected at its new speed with
 * that speed's own (wide) uncertainty.
 */
function hingeModel(points: SeriesPoint[]): Fitted | null {
  const n = points.length;
  if (n < 10) return null;
  let best: { k: number; r: number } | null = null;
  for (let i = 3; i <= n - 4; i++) {
    const k = points[i]!.t;
    const fit = ols(
      points.map((p) => [1, p.t, Math.max(0, p.t - k)]),
      points.map((p) => p.v),
    );
    if (fit && (!best || rss(fit.resid) < best.r)) best = { k, r: rss(fit.resid) };
  }
  if (!best) return null;
  const k = best.k;
  return trendModel(`trend that bent ${-k} months ago`, points, (t) => [1, t, Math.max(0, t - k)]);
}

// ---------------------------------------------------------------- level shifts

const STEP_SIGMAS = 3;
/** Andrews (1993): 5% critical value of the sup-F test, one break parameter, 15% trimming. */
const ANDREWS_5PCT = 8.85;
const linear: Design = (t) => [1, t];
const wave: Design = (t) => [1, t, Math.sin((2 * Math.PI * t) / 12), Math.cos((2 * Math.PI * t) / 12)];
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
  for (let k = trim; k <= n - trim; k++) {
    const at = points[k]!.t;
    const fit = ols(
      points.map((p) => stepped(at)(p.t)),
      points.map((p) => p.v),
    );
    if (!fit) continue;
    // Autocorrelation left once the step is in the model (an unmodelled step looks like autocorrelation).
    // Lag-1 autocorrelation is biased low in short series; Kendall's correction adds (1 + 3ρ) / n.
    const raw = lag1(fit.resid);
    const rho = Math.min(0.9, raw + (1 + 3 * raw) / n);
    const f = ((rss(base.resid) - rss(fit.resid)) / (rss(fit.resid) / (n - 3))) * ((1 - rho) / (1 + rho));
    const sd = Math.sqrt(rss(fit.resid) / (n - 3));
    if (!best || f > best.f) best = { t: at, magnitude: fit.coef[2]!, f, sd };
  }
  // Autocorrelated noise wanders in long excursions that pass the F test; a step must also be
  // large against the noise (2.5σ), which the wandering of AR(1) noise at ρ = 0.6 rarely is.
  if (!best || best.f <= ANDREWS_5PCT || Math.abs(best.magnitude) < STEP_SIGMAS * best.sd) return null;
  return { t: best.t, magnitude: best.magnitude, f: best.f };
}

// ---------------------------------------------------------------- weighting by the past

const HOLDOUT_ORIGINS = 6;
const HOLDOUT_STEPS = 6;

type Builder = (points: SeriesPoint[]) => Fitted | null;

/**
 * Each model refitted at the last few origins and scored on what came next (up to 6 months
 * ahead): its mean squared error picks its weight, and the ratio of squared errors to its own
 * predicted variance (when above 1) widens its intervals.
 */
function scoreOnHoldout(
  points: SeriesPoint[],
  fitAt: (origin: number) => Fitted | null,
  horizon: number,
): { mse: number; widen: number } {
  const steps = Math.min(HOLDOUT_STEPS, Math.max(1, horizon));
  let se = 0;
  let z2 = 0;
  let count = 0;
  for (let o = points.length - 1 - steps; o >= points.length - 1 - steps - HOLDOUT_ORIGINS; o--) {
    if (o < 11) break;
    const model = fitAt(o);
    if (!model) continue;
    for (const future of points.slice(o + 1, o + 1 + steps)) {
      const pred = model.predict(future.t);
      se += (future.v - pred.mean) ** 2;
      z2 += (future.v - pred.mean) ** 2 / pred.sd ** 2;
      count++;
    }
  }
  if (!count) return { mse: Number.NaN, widen: 1 };
  return { mse: se / count, widen: Math.min(4, Math.max(1, z2 / count)) };
}

// ---------------------------------------------------------------- the forecast

function studentCdf(x: number, df: number): number {
  return jstat.jStat.studentt.cdf(x, Math.max(1, df));
}

function mixtureQuantile(parts: Array<Predictive & { w: number }>, q: number): number {
  const cdf = (x: number) => parts.reduce((s, p) => s + p.w * studentCdf((x - p.mean) / p.sd, p.df), 0);
  let lo = Math.min(...parts.map((p) => p.mean - 20 * p.sd));
  let hi = Math.max(...parts.map((p) => p.mean + 20 * p.sd));
  // 50 halvings of a 40σ bracket leave it narrower than 1e-13 σ.
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
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

export function forecastModel(history: SeriesPoint[], bounded: boolean | Domain): ForecastModel {
  const all = history.slice(-MAX_HISTORY);
  const notes: string[] = [];
  const long = all.length >= MIN_SEASONAL_PERIODS;
  // A step is looked for first (a step in the middle of two years can pass for a yearly cycle),
  // then the cycle on the series with the step taken out. Under two years neither can be told
  // from the other, so neither is modelled and the intervals carry both.
  const shift = long ? findLevelShift(all) : null;
  const level = (p: SeriesPoint) => (shift && p.t < shift.t ? p.v + shift.magnitude : p.v);
  const seasonality = testSeasonality(all.map((p) => ({ ...p, v: level(p) })));
  const effect = (month: number) => seasonality.effects?.[month] ?? 0;
  const points = all.map((p) => ({ ...p, v: p.v - effect(p.month) }));
  if (!long)
    notes.push(
      `${all.length} months of history: under 24, a yearly cycle cannot be told apart from a level shift or a ` +
        'trend, so neither is modelled and the interval is wider',
    );
  if (shift)
    notes.push(
      `a level step of ${shift.magnitude >= 0 ? '+' : ''}${shift.magnitude.toPrecision(2)} ${-shift.t} months ago: ` +
        'the forecast starts from the level after it and never projects across it',
    );
  const after = (ps: SeriesPoint[]) =>
    shift && ps.some((p) => p.t >= shift.t) ? ps.filter((p) => p.t >= shift.t) : ps;
  const builders: Builder[] = long
    ? [
        // The recent trend: the last 12 months, or the months since a step.
        (ps) =>
          trendModel(
            `trend of the last ${Math.min(SHORT_WINDOW, after(ps).length)} months`,
            after(ps).slice(-SHORT_WINDOW),
            linear,
          ),
        // The long trend: the whole window, with the step when one was found.
        (ps) =>
          shift && ps.some((p) => p.t >= shift.t) && ps.filter((p) => p.t < shift.t).length >= 3
            ? trendModel(`trend of ${ps.length} months with a step`, ps, stepped(shift.t))
            : trendModel(`trend of ${ps.length} months`, ps, linear),
        (ps) => levelModel(after(ps), LEVEL_WINDOW),
        (ps) => (shift ? null : hingeModel(ps)),
      ]
    : [
        (ps) => trendModel(`trend of ${ps.length} months`, ps, linear),
        (ps) => levelModel(ps, ps.length),
        // One yearly wave (sine and cosine of the month): two numbers a short history can carry.
        (ps) => (ps.length >= 12 ? trendModel(`trend and a yearly wave over ${ps.length} months`, ps, wave) : null),
      ];
  return combine(points, builders, effect, bounded, { shift, seasonality, notes });
}

function combine(
  points: SeriesPoint[],
  builders: Builder[],
  effect: (month: number) => number,
  bounded: boolean | Domain,
  facts: { shift: LevelShift | null; seasonality: Seasonality; notes: string[] },
): ForecastModel {
  const lastMonth = points.at(-1)!.month;
  const models = builders
    .map((build) => ({ model: build(points), build }))
    .filter((m): m is { model: Fitted; build: Builder } => m.model !== null);
  // Each model is refitted once per past origin, whatever the horizons asked (a band asks many).
  const fits = models.map((m) => {
    const memo = new Map<number, Fitted | null>();
    return (o: number) => {
      if (!memo.has(o)) memo.set(o, m.build(points.slice(0, o + 1)));
      return memo.get(o)!;
    };
  });
  const scored = (h: number) => {
    const s = models.map((m, i) => ({ ...m, ...scoreOnHoldout(points, fits[i]!, h) }));
    const known = s.filter((m) => Number.isFinite(m.mse) && m.mse > 0);
    // Too short a history to hold any months out: weights from the fits themselves (BIC), which
    // compare only models fitted on the same months.
    const sameData = s.every((m) => m.model.n === s[0]!.model.n);
    const bestBic = Math.min(...s.map((m) => m.model.bic));
    const weights =
      known.length === s.length
        ? s.map((m) => 1 / m.mse)
        : sameData
          ? s.map((m) => Math.exp(-(m.model.bic - bestBic) / 2))
          : s.map(() => 1);
    // A series with no variance fits every model exactly (BIC −∞ for all): weights would be NaN.
    const finite = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
    const total = finite.reduce((a, b) => a + b, 0);
    return s.map((m, i) => ({ ...m, w: total > 0 ? finite[i]! / total : 1 / s.length }));
  };
  const cache = new Map<number, ReturnType<typeof scored>>();
  const weighted = (h: number) => {
    const key = Math.min(HOLDOUT_STEPS, Math.max(1, Math.round(h)));
    if (!cache.has(key)) cache.set(key, scored(key));
    return cache.get(key)!;
  };
  const parts = (h: number) => {
    const month = ((((lastMonth - 1 + Math.round(h)) % 12) + 12) % 12) + 1;
    return weighted(h).map((m) => {
      const p = m.model.predict(h);
      const mean = p.mean + effect(month);
      // No variance at all (a flat series) is a certainty, not 0/0: a spread too small to matter.
      const floor = 1e-9 * Math.max(1, Math.abs(mean));
      const sd = p.sd * Math.sqrt(m.widen);
      return { mean, sd: Number.isFinite(sd) && sd > floor ? sd : floor, df: p.df, w: m.w };
    });
  };
  const domain = bounded === true ? RATIO_DOMAIN : bounded === false ? {} : bounded;
  const clamp = (v: number) =>
    Math.min(domain.max ?? Number.POSITIVE_INFINITY, Math.max(domain.min ?? Number.NEGATIVE_INFINITY, v));
  return {
    at(h) {
      const ps = parts(h);
      const value = ps.reduce((s, p) => s + p.w * p.mean, 0);
      return { value: clamp(value), low: clamp(mixtureQuantile(ps, 0.025)), high: clamp(mixtureQuantile(ps, 0.975)) };
    },
    probability(h, target, direction) {
      const below = parts(h).reduce((s, p) => s + p.w * studentCdf((target - p.mean) / p.sd, p.df), 0);
      const p = direction === 'up' ? 1 - below : below;
      return Math.min(1, Math.max(0, p));
    },
    models: weighted(HOLDOUT_STEPS).map((m) => ({ name: m.model.name, weight: m.w })),
    shift: facts.shift,
    seasonality: facts.seasonality,
    notes: facts.notes,
    method:
      'a weighted mix of a 12-month trend, the whole window’s trend (with any level step), a trend that bent once ' +
      'and the recent level, each ' +
      'weighted by its own errors forecasting the last months; AR(1)-aware intervals (Student t), widened when the ' +
      'errors say they were too narrow',
  };
}
