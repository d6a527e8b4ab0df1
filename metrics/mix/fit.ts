// The media-mix regression: KPI = intercept + trend + yearly seasonality + controls + Σ β_c ·
// saturation(adstock(spend_c)), with β_c ≥ 0, a ridge pull toward each channel's ROI prior (or,
// without one, a shrinkage toward no effect whose strength the channels set: `shrinkageFor`), and
// experiments as extra observations of a channel's effect over their weeks. Each channel's shape
// (carry-over, half-saturation, steepness) is chosen from a grid by least squares, one channel at
// a time. Every candidate feature is known before the KPI is, so their cross-products are
// computed once and each fit is a small solve: a bootstrap can refit hundreds of times. Pure.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { choleskySolve } from './cholesky.ts';
import { carryOverCost } from './cell.ts';
import { changepointTrend } from './changepoints.ts';
import { ALPHAS, feature, GAMMAS, type Shape, THETAS } from './transform.ts';

export const SHAPES: Shape[] = THETAS.flatMap((theta) =>
  GAMMAS.flatMap((gamma) => ALPHAS.map((alpha) => ({ theta, gamma, alpha }))),
);

/** Delayed carry-over: the effect peaks 1–3 weeks after the spend, spread by θ around the peak. */
export const DELAYED_SHAPES: Shape[] = [1, 2, 3].flatMap((delay) =>
  [0.3, 0.5, 0.7].flatMap((theta) =>
    GAMMAS.flatMap((gamma) => ALPHAS.map((alpha) => ({ theta, gamma, alpha, delay }))),
  ),
);

/** How carry-over may run: geometric only, or geometric and delayed shapes both on the grid. */
export type CarryOver = 'geometric' | 'delayed';

/** The grid a fit chooses shapes from (delayed: the geometric shapes first, then the delayed ones). */
export const shapesFor = (carryOver: CarryOver = 'geometric'): Shape[] =>
  carryOver === 'delayed' ? [...SHAPES, ...DELAYED_SHAPES] : SHAPES;

export interface MixInput {
  kpi: readonly number[];
  /** Each channel's spend, and what the model reads instead when given (impressions): `exposure`. */
  media: ReadonlyArray<{
    channel: string;
    spend: readonly number[];
    exposure?: readonly number[];
    /**
     * What the model reads (exposure when given, else spend) in the periods just before the first,
     * oldest first: carried over into the first periods as Robyn and Meridian do, not started at 0.
     */
    before?: readonly number[];
  }>;
  controls: ReadonlyArray<{ name: string; values: readonly number[] }>;
  /** Observed effects of a channel over weeks [from, to] (indices), with their standard error. */
  experiments: ReadonlyArray<{ channel: string; from: number; to: number; lift: number; se: number; id?: string }>;
  /** ROI prior per channel (KPI per unit of spend): the fit is pulled toward the mean, by its sd. */
  priors: Readonly<Record<string, { mean: number; sd: number }>>;
  /** Periods in a year: 52.18 for weeks (the default), 365.25 for days. */
  perYear?: number;
  /** The baseline trend's form (default linear; fitMixModel chooses it by time-slice cross-validation). */
  trend?: TrendForm;
  /** Yearly harmonics in the baseline (default 2; fitMixModel chooses 2 or 4 the same way). */
  harmonics?: number;
  /** Carry-over shapes on the grid (default geometric; fitMixModel chooses by the same cross-validation). */
  carryOver?: CarryOver;
  /**
   * Per channel without an ROI prior, the variance of a normal prior at 0 on its coefficient
   * (`shrinkageFor` sets it from the channels themselves). Absent: no shrinkage.
   */
  shrinkage?: Readonly<Record<string, number>>;
}

/**
 * How the baseline's trend may bend: a straight line, a curve (a squared term), a line with a kink
 * at each quarter of the period, or a line whose slope changes where the KPI's did (changepoints.ts,
 * Prophet's trend as Robyn uses it); across geos, a week effect every geo shares (`weekly`).
 */
export type TrendForm = 'linear' | 'curved' | 'bent' | 'changepoints' | 'weekly';
export const TREND_FORMS: TrendForm[] = ['linear', 'curved', 'bent', 'changepoints'];

function trendExtras(t: number[], weeks: number, trend: TrendForm): number[][] {
  const x = (i: number) => i / Math.max(1, weeks - 1);
  if (trend === 'curved') return [t.map((i) => (x(i) - 0.5) ** 2)];
  if (trend === 'bent') return [1, 2, 3].map((k) => t.map((i) => Math.max(0, x(i) - k / 4)));
  return [];
}

/** A column rescaled so its fitted weeks run over [0, 1] (as the straight trend's do). */
function unitRange(v: number[], rows: number): number[] {
  const seen = v.slice(0, rows);
  const lo = Math.min(...seen);
  const range = Math.max(...seen) - lo || 1;
  return v.map((x) => (x - lo) / range);
}

/** Columns that are not media: intercept, trend, yearly harmonics (two by default), each control (standardized). */
export function baseColumns(
  weeks: number,
  controls: MixInput['controls'],
  perYear = 52.18,
  trend: TrendForm = 'linear',
  harmonics = 2,
  kpi?: { values: readonly number[]; rows: number },
) {
  const t = Array.from({ length: weeks }, (_, i) => i);
  const harmonic = (k: number, f: (x: number) => number) => t.map((i) => f((2 * Math.PI * k * i) / perYear));
  const standardize = (v: readonly number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) || 1;
    return v.map((x) => (x - m) / sd);
  };
  const extra = trendExtras(t, weeks, trend);
  return {
    names: [
      'intercept',
      'trend',
      ...extra.map(() => 'trend'),
      ...Array.from({ length: 2 * harmonics }, () => 'season'),
      ...controls.map((c) => c.name),
    ],
    columns: [
      t.map(() => 1),
      trend === 'changepoints' && kpi
        ? unitRange(changepointTrend(kpi.values, kpi.rows, weeks, perYear, harmonics).values, kpi.rows)
        : t.map((i) => i / Math.max(1, weeks - 1)),
      ...extra,
      ...Array.from({ length: harmonics }, (_, k) => [harmonic(k + 1, Math.sin), harmonic(k + 1, Math.cos)]).flat(),
      ...controls.map((c) => standardize(c.values)),
    ],
  };
}

const dot = (a: readonly number[], b: readonly number[], rows: number) => {
  let s = 0;
  for (let i = 0; i < rows; i++) s += a[i]! * b[i]!;
  return s;
};

/** Everything a fit needs that does not depend on the KPI. */
export interface Prepared {
  rows: number;
  base: number[][];
  baseNames: string[];
  channels: string[];
  /** The grid of shapes, as `candidates` and `Fit.shapes` index it. */
  shapes: Shape[];
  /** Per channel, per shape: the shape, its feature and its K. */
  candidates: Array<Array<{ shape: Shape; values: number[]; k: number }>>;
  /**
   * The cross-product of two columns of the pool (base, then each channel's shapes in order),
   * computed when first asked and kept: a fit reads the base and the shapes it tries against the
   * shapes picked, a small part of every pair.
   */
  gram: (a: number, b: number) => number;
  /** The base columns' cross-products (B × B), the same in every trial of a fit. */
  baseGram: Float64Array;
  pool: number[][];
  spendTotals: number[];
}

export function prepare(input: MixInput, rows: number): Prepared {
  const { names, columns } = baseColumns(
    input.kpi.length,
    input.controls,
    input.perYear,
    input.trend,
    input.harmonics,
    {
      values: input.kpi,
      rows,
    },
  );
  const shapes = shapesFor(input.carryOver);
  const candidates = input.media.map((m) =>
    shapes.map((shape) => ({ shape, ...feature(m.exposure ?? m.spend, shape, m.before) })),
  );
  return prepared(input, rows, names, columns, shapes, candidates);
}

/**
 * The same fit's inputs with one given shape per channel (a bootstrap refit's shapes drawn off the
 * grid; a number is a grid shape, its feature reused): the base columns and their cross-products
 * are the fit's own; `Fit.shapes` is then all 0.
 */
export function withShapes(prep: Prepared, input: MixInput, shapes: ReadonlyArray<Shape | number>): Prepared {
  const candidates = input.media.map((m, c) => {
    const s = shapes[c]!;
    return [
      typeof s === 'number' ? prep.candidates[c]![s]! : { shape: s, ...feature(m.exposure ?? m.spend, s, m.before) },
    ];
  });
  // The base columns and the grid's features keep their cross-products from the fit's own cache;
  // only a drawn shape's column is multiplied out.
  const B = prep.base.length;
  const S = prep.candidates[0]!.length;
  const origin = [...prep.base.map((_, i) => i), ...shapes.map((s, c) => (typeof s === 'number' ? B + c * S + s : -1))];
  return prepared(input, prep.rows, prep.baseNames, prep.base, [], candidates, { origin, prep });
}

function prepared(
  input: MixInput,
  rows: number,
  names: string[],
  columns: number[][],
  shapes: Shape[],
  candidates: Prepared['candidates'],
  from?: { origin: number[]; prep: Prepared },
): Prepared {
  const pool = [...columns, ...candidates.flatMap((c) => c.map((f) => f.values))];
  const size = pool.length;
  const cache = new Float64Array(size * size).fill(Number.NaN);
  const gram = (a: number, b: number) => {
    let v = cache[a * size + b]!;
    if (Number.isNaN(v)) {
      const [oa, ob] = from ? [from.origin[a]!, from.origin[b]!] : [-1, -1];
      v = oa >= 0 && ob >= 0 ? from!.prep.gram(oa, ob) : dot(pool[a]!, pool[b]!, rows);
      cache[a * size + b] = v;
      cache[b * size + a] = v;
    }
    return v;
  };
  const B = columns.length;
  let baseGram = from?.prep.baseGram;
  if (!baseGram) {
    baseGram = new Float64Array(B * B);
    for (let a = 0; a < B; a++) for (let b = 0; b < B; b++) baseGram[a * B + b] = gram(a, b);
  }
  return {
    rows,
    base: columns,
    baseGram,
    baseNames: names,
    channels: input.media.map((m) => m.channel),
    shapes,
    candidates,
    gram,
    pool,
    spendTotals: input.media.map((m) => m.spend.slice(0, rows).reduce((a, b) => a + b, 0)),
  };
}

export interface Fit {
  shapes: number[];
  /** Coefficients: base columns, then one per channel. */
  beta: number[];
  sse: number;
  /** What the fit minimises: the squared error plus the experiments' and priors' terms. */
  objective: number;
}

interface Extra {
  /** Σ w·(s·β − target)² per channel (experiments, priors) = β²·diagonal − 2β·right + constant. */
  diagonal: number[];
  right: number[];
  constant: number[];
}

/** Least squares with media coefficients held ≥ 0 (a channel whose best coefficient is negative is set to 0). */
function solveFor(
  prep: Prepared,
  pick: number[],
  xy: (i: number) => number,
  yy: number,
  extra: Extra,
  dropped: ReadonlySet<number> = new Set(),
): Fit {
  const B = prep.base.length;
  const index = [...prep.base.map((_, i) => i), ...pick.map((s, c) => B + c * prep.candidates[0]!.length + s)];
  const active = index.map((_, i) => !dropped.has(i - B));
  for (;;) {
    const used = index.map((_, i) => i).filter((i) => active[i]);
    const p = used.length;
    const h = new Float64Array(p * p);
    const r = new Array<number>(p);
    const ridge = new Array<number>(p);
    for (let a = 0; a < p; a++) {
      const i = used[a]!;
      r[a] = xy(index[i]!) + (i >= B ? extra.right[i - B]! : 0);
      ridge[a] = i >= B ? extra.diagonal[i - B]! : i ? 1e-6 : 1e-9;
      for (let b = a; b < p; b++) {
        const j = used[b]!;
        // Base columns against each other are the same in every trial: read from the block kept.
        const g = i < B && j < B ? prep.baseGram[i * B + j]! : prep.gram(index[i]!, index[j]!);
        h[a * p + b] = g + (a === b ? ridge[a]! : 0);
        h[b * p + a] = h[a * p + b]!;
      }
    }
    const solution = choleskySolve(h, p, r);
    const beta = index.map(() => 0);
    used.forEach((i, a) => {
      beta[i] = solution[a]!;
    });
    const negative = used.filter((i) => i >= B && beta[i]! < 0).sort((a, b) => beta[a]! - beta[b]!);
    if (negative.length) {
      active[negative[0]!] = false;
      continue;
    }
    // SSE = y'y − 2β'X'y + β'X'Xβ, and the system solved says X'Xβ = r − ridge·β: no second pass
    // over the cross-products (the extra rows and penalty left out: this compares shapes).
    let sse = yy;
    for (let a = 0; a < p; a++) {
      const b = solution[a]!;
      sse += -2 * b * xy(index[used[a]!]!) + b * (r[a]! - ridge[a]! * b);
    }
    const objective =
      sse +
      prep.channels.reduce((a, _, c) => {
        const b = beta[B + c]!;
        return a + b * b * extra.diagonal[c]! - 2 * b * extra.right[c]! + extra.constant[c]!;
      }, 0);
    return { shapes: pick, beta, sse, objective };
  }
}

/**
 * An experiment's standard error as the fit weighs it: never below 2% of its lift, nor below a
 * tenth of the weekly noise summed over its weeks. A test reported with lift_se 1e-5 would
 * otherwise take the fit over, bending every other week to match it.
 */
export function experimentSe(e: { lift: number; se: number; from: number; to: number }, noise: number): number {
  return Math.max(e.se, 0.02 * Math.abs(e.lift), 0.1 * Math.sqrt(noise * (e.to - e.from + 1)));
}

/** The extra rows for experiments and priors, for the shapes picked. */
function extrasFor(prep: Prepared, input: MixInput, pick: number[], noise: number): Extra {
  const diagonal = prep.channels.map(() => 1e-6);
  const right = prep.channels.map(() => 0);
  const constant = prep.channels.map(() => 0);
  prep.channels.forEach((channel, c) => {
    const values = prep.candidates[c]![pick[c]!]!.values;
    const prior = input.priors[channel];
    const shrink = input.shrinkage?.[channel];
    if (!prior && shrink && shrink > 0) diagonal[c]! += noise / shrink;
    // Summed only when a prior needs it: this runs for every shape tried.
    const effectPerBeta = prior ? values.slice(0, prep.rows).reduce((a, b) => a + b, 0) : 0;
    if (prior && effectPerBeta > 0 && prep.spendTotals[c]! > 0) {
      // ROI = β · Σh / Σspend, so a prior on ROI is one on β with scale Σspend / Σh.
      const scale = prep.spendTotals[c]! / effectPerBeta;
      const weight = noise / (prior.sd * scale) ** 2;
      diagonal[c]! += weight;
      right[c]! += weight * prior.mean * scale;
      constant[c]! += weight * (prior.mean * scale) ** 2;
    }
    for (const e of input.experiments.filter((x) => x.channel === channel && x.se > 0)) {
      const s = values.slice(e.from, e.to + 1).reduce((a, b) => a + b, 0);
      const weight = noise / experimentSe(e, noise) ** 2;
      diagonal[c]! += weight * s * s;
      right[c]! += weight * s * e.lift;
      constant[c]! += weight * e.lift * e.lift;
    }
  });
  return { diagonal, right, constant };
}

/**
 * Choose each channel's shape (coordinate descent over the grid, `sweeps` passes from `start`)
 * and fit. `noise` (the residual variance) weighs experiments and priors against the weeks, and,
 * with `carryOverPrior`, the carry-over prior (cell.ts) against the squared error: the shapes are
 * then the most likely given both (the error plus 2σ² × −log each shape's prior density).
 */
export function fitMix(
  prep: Prepared,
  input: MixInput,
  y: readonly number[],
  start: number[],
  sweeps: number,
  noise: number,
  carryOverPrior = false,
): Fit {
  const xy = crossWith(prep, y);
  const yy = dot(y, y, prep.rows);
  const pick = [...start];
  const fitWith = (p: number[]) => solveFor(prep, p, xy, yy, extrasFor(prep, input, p, noise));
  const prior =
    carryOverPrior && sweeps > 0 && prep.shapes.length
      ? prep.shapes.map((shape) => carryOverCost(shape.theta, noise))
      : null;
  const score = (fit: Fit) => fit.objective + (prior ? fit.shapes.reduce((a, s) => a + prior[s]!, 0) : 0);
  let best = fitWith(pick);
  let bestScore = score(best);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let changed = false;
    for (let c = 0; c < prep.channels.length; c++) {
      for (let s = 0; s < prep.shapes.length; s++) {
        if (s === pick[c]) continue;
        const trial = [...pick];
        trial[c] = s;
        const fit = fitWith(trial);
        const trialScore = score(fit);
        if (trialScore < bestScore - 1e-9 * Math.abs(bestScore)) {
          best = fit;
          bestScore = trialScore;
          pick[c] = s;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return best;
}

/**
 * How much to shrink each channel toward no effect: channels' effects in the KPI's units per
 * standard deviation of their feature share one normal prior at 0 whose variance is estimated
 * from the channels themselves (method of moments, as James–Stein: the spread of the estimates
 * less their own noise), never below the channels' average sampling variance, so a weak channel
 * is pulled at most halfway to 0 and never removed. Returns each channel's prior variance on β.
 */
export function shrinkageFor(prep: Prepared, fit: Fit, noise: number): Record<string, number> {
  // Estimating how spread effects are takes three channels or more (as James–Stein's does).
  if (prep.channels.length < 3) return {};
  const B = prep.base.length;
  const index = [...prep.base.map((_, i) => i), ...fit.shapes.map((s, c) => B + c * prep.candidates[0]!.length + s)];
  const gram = new Matrix(index.length, index.length);
  index.forEach((i, a) => {
    index.forEach((j, b) => {
      gram.set(a, b, prep.gram(i, j) + (a === b ? 1e-9 : 0));
    });
  });
  let inverse: Matrix;
  try {
    inverse = new CholeskyDecomposition(gram).solve(Matrix.eye(index.length));
  } catch {
    return {};
  }
  const rows = prep.rows;
  const sds = prep.channels.map((_, c) => {
    const v = prep.candidates[c]![fit.shapes[c]!]!.values.slice(0, rows);
    const m = v.reduce((a, b) => a + b, 0) / rows;
    return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / rows);
  });
  const effects = prep.channels.map((_, c) => fit.beta[B + c]! * sds[c]!);
  const variances = prep.channels.map((_, c) => noise * inverse.get(B + c, B + c) * sds[c]! ** 2);
  const meanVar = variances.reduce((a, b) => a + b, 0) / variances.length;
  const spread = effects.reduce((a, b) => a + b * b, 0) / effects.length - meanVar;
  const tau2 = Math.max(spread, meanVar);
  return Object.fromEntries(prep.channels.map((ch, c) => [ch, sds[c]! > 0 ? tau2 / sds[c]! ** 2 : 0]));
}

/**
 * How well each shape fits, channel by channel with the others held at `shapes`: the objective of
 * every (channel, shape). exp(−Δ/2σ²) of it is each shape's weight given the data, what a
 * bootstrap draws shapes from, so the intervals carry how poorly the data pin a shape down.
 */
export function shapeObjectives(
  prep: Prepared,
  input: MixInput,
  y: readonly number[],
  shapes: number[],
  noise: number,
): number[][] {
  const xy = crossWith(prep, y);
  const yy = dot(y, y, prep.rows);
  return prep.channels.map((_, c) =>
    prep.shapes.map((_, s) => {
      const trial = [...shapes];
      trial[c] = s;
      return solveFor(prep, trial, xy, yy, extrasFor(prep, input, trial, noise)).objective;
    }),
  );
}

/**
 * How much worse the fit is with each channel held at 0 (its shape and the others' kept): the
 * objective's rise, channel by channel. What a test of "no effect" reads.
 */
export function dropCosts(prep: Prepared, input: MixInput, y: readonly number[], fit: Fit, noise: number): number[] {
  const xy = crossWith(prep, y);
  const yy = dot(y, y, prep.rows);
  const extra = extrasFor(prep, input, fit.shapes, noise);
  return prep.channels.map((_, c) => solveFor(prep, fit.shapes, xy, yy, extra, new Set([c])).objective - fit.objective);
}

/** Each pool column's cross-product with y, computed when first asked (a refit reads a few). */
function crossWith(prep: Prepared, y: readonly number[]): (i: number) => number {
  const cache = new Float64Array(prep.pool.length).fill(Number.NaN);
  return (i) => {
    let v = cache[i]!;
    if (Number.isNaN(v)) {
      v = dot(prep.pool[i]!, y, prep.rows);
      cache[i] = v;
    }
    return v;
  };
}

/** Fitted values of a fit, week by week (all weeks, not only the rows fitted). */
export function fitted(prep: Prepared, fit: Fit): number[] {
  const B = prep.base.length;
  const weeks = prep.base[0]!.length;
  return Array.from({ length: weeks }, (_, t) => {
    let v = 0;
    for (let i = 0; i < B; i++) v += fit.beta[i]! * prep.base[i]![t]!;
    prep.channels.forEach((_, c) => {
      v += fit.beta[B + c]! * prep.candidates[c]![fit.shapes[c]!]!.values[t]!;
    });
    return v;
  });
}
