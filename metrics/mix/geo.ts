// The media-mix model across regions (geos), as Meridian fits one: each geo's KPI, scaled by the
// geo's size, is a geo level + a week effect shared by every geo + controls + each channel's
// saturation(adstock(spend per unit of size)), with one carry-over and saturation shape per
// channel for all geos. Channel effects are pooled partially: a national effect per channel, and
// each geo's own effect drawn toward it as far as its own weeks cannot tell them apart (a
// normal–normal hierarchy whose spread across geos is estimated from the geos, as James–Stein).
// The week effects take everything every geo shares (season, trend, national news), so effects
// are read from how geos differ week by week. Intervals come from resampling whole geos (a
// cluster bootstrap) and refitting everything, shapes included. Pure.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { mulberry32, normal } from '../heading/random.ts';
import { choleskySolve } from './cholesky.ts';
import { effectiveTests, noEffectP } from './effectiveTests.ts';
import { carryOverCost, fitWeights, gridPrior, pick, shapeCells } from './cell.ts';
import { SHAPES } from './fit.ts';
import { adstock, halfSaturation, hill, type Shape, steadyResponse } from './transform.ts';

export interface GeoMixInput {
  geos: readonly string[];
  /** KPI per geo, period by period ([geo][period]). */
  kpi: ReadonlyArray<readonly number[]>;
  /** Each channel's spend per geo and period, and what the model reads instead when given (impressions). */
  media: ReadonlyArray<{
    channel: string;
    spend: ReadonlyArray<readonly number[]>;
    exposure?: ReadonlyArray<readonly number[]>;
    /** What the model reads per geo in the periods just before the first, oldest first (its carry-over). */
    before?: ReadonlyArray<readonly number[]>;
  }>;
  /** Controls that vary by geo ([geo][period]); national ones are taken by the week effects. */
  controls: ReadonlyArray<{ name: string; values: ReadonlyArray<readonly number[]> }>;
  /**
   * Each geo's size (population): effects and spend are compared per unit of it. Without it, a
   * geo's size is its average KPI.
   */
  size?: readonly number[];
  /** ROI prior per channel (KPI per unit of spend), as in the national model. */
  priors: Readonly<Record<string, { mean: number; sd: number }>>;
  /** Lift tests: a channel's national effect over periods [from, to], with its standard error. */
  experiments?: ReadonlyArray<{ channel: string; from: number; to: number; lift: number; se: number; id?: string }>;
}

export interface GeoOptions {
  seed?: number;
  draws?: number;
  progress?: (done: number) => void;
}

/** One channel's effect in one geo: the partially pooled ROI and its interval. */
export interface GeoChannel {
  channel: string;
  spend: number;
  contribution: number;
  roi: number | null;
  roi_ci: [number, number] | null;
}

export interface GeoFit {
  geos: Array<{ geo: string; size: number; channels: GeoChannel[] }>;
  /** Per channel: how much geos' effects differ beyond their noise (sd of effect ÷ national effect). */
  spread: Record<string, number | null>;
}

/** What one fit (point or bootstrap refit) says, evaluated on every geo. */
export interface GeoRead {
  shapes: number[];
  /** Per channel: the pooled coefficient in scaled units, and each geo's. */
  beta: number[];
  geoBeta: number[][];
  gamma: number[];
  /** Per geo, per channel: contribution in KPI units. */
  contribution: number[][];
  noise: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Everything that does not depend on which geos are drawn: features, their within-geo cross-products. */
export interface GeoPrepared {
  G: number;
  T: number;
  C: number;
  K: number;
  P: number;
  size: number[];
  /** Shapes per channel, the same count S for each: the grid first, then shapes drawn between its points. */
  S: number;
  shapes: Shape[][];
  /** Raw features, [geo][column][t] flattened: channel c shape s at column c·S+s, then controls. */
  raw: Float64Array;
  /** The same, centred within each geo. */
  centred: Float64Array;
  /** The scaled KPI centred within each geo, [geo][t]. */
  y: Float64Array;
  /**
   * Σ_t of two within-geo centred columns in geo g, computed when first read and kept: a fit reads
   * each channel's shapes against the others' current ones, a small part of all P² pairs.
   */
  gram(g: number, i: number, j: number): number;
  xy: Float64Array[];
  yy: number[];
  /** Per channel and shape: the half-saturation K, in (exposure per unit of size). */
  k: number[][];
  spend: number[][];
}

function features(input: GeoMixInput, size: number[], T: number, shapes: Shape[][]) {
  const G = input.geos.length;
  const C = input.media.length;
  const K = input.controls.length;
  const S = shapes[0]?.length ?? 0;
  const P = C * S + K;
  const raw = new Float64Array(G * P * T);
  const k: number[][] = [];
  input.media.forEach((m, c) => {
    const exposure = m.exposure ?? m.spend;
    k.push(
      shapes[c]!.map((shape, s) => {
        const perHead = (xs: readonly number[] | undefined, g: number) => (xs ?? []).map((x) => x / size[g]!);
        const stocked = exposure.map((row, g) => adstock(perHead(row, g), shape.theta, 0, perHead(m.before?.[g], g)));
        // One half-saturation for every geo, in exposure per unit of size: a shared curve.
        const half = halfSaturation(stocked.flat(), shape.gamma);
        stocked.forEach((row, g) => {
          const at = (g * P + c * S + s) * T;
          for (let t = 0; t < T; t++) raw[at + t] = hill(row[t]!, half, shape.alpha);
        });
        return half;
      }),
    );
  });
  input.controls.forEach((ctl, j) => {
    const all = ctl.values.flat();
    const mean = sum(all) / all.length;
    const sd = Math.sqrt(sum(all.map((v) => (v - mean) ** 2)) / all.length) || 1;
    ctl.values.forEach((row, g) => {
      const at = (g * P + C * S + j) * T;
      for (let t = 0; t < T; t++) raw[at + t] = (row[t]! - mean) / sd;
    });
  });
  return { G, C, K, P, S, raw, k };
}

export function prepareGeo(input: GeoMixInput, shapes: Shape[][] = input.media.map(() => SHAPES)): GeoPrepared {
  const T = input.kpi[0]!.length;
  // A geo's size is its average KPI: effects are compared per unit of size (as per capita).
  const size = input.kpi.map((row, g) => Math.max(input.size?.[g] ?? Math.abs(sum(row) / T), 1e-9));
  const { G, C, K, P, S, raw, k } = features(input, size, T, shapes);
  const centred = new Float64Array(raw.length);
  const y = new Float64Array(G * T);
  const xy: Float64Array[] = [];
  const yy: number[] = [];
  for (let g = 0; g < G; g++) {
    const my = sum(input.kpi[g]!) / T / size[g]!;
    for (let t = 0; t < T; t++) y[g * T + t] = input.kpi[g]![t]! / size[g]! - my;
    for (let j = 0; j < P; j++) {
      const at = (g * P + j) * T;
      let m = 0;
      for (let t = 0; t < T; t++) m += raw[at + t]!;
      m /= T;
      for (let t = 0; t < T; t++) centred[at + t] = raw[at + t]! - m;
    }
    const gy = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      const ai = (g * P + i) * T;
      let s = 0;
      for (let t = 0; t < T; t++) s += centred[ai + t]! * y[g * T + t]!;
      gy[i] = s;
    }
    let s = 0;
    for (let t = 0; t < T; t++) s += y[g * T + t]! ** 2;
    xy.push(gy);
    yy.push(s);
  }
  const cache = Array.from({ length: G }, () => new Float64Array(P * P).fill(Number.NaN));
  const gram = (g: number, i: number, j: number) => {
    const kept = cache[g]!;
    let v = kept[i * P + j]!;
    if (Number.isNaN(v)) {
      const ai = (g * P + i) * T;
      const aj = (g * P + j) * T;
      v = 0;
      for (let t = 0; t < T; t++) v += centred[ai + t]! * centred[aj + t]!;
      kept[i * P + j] = v;
      kept[j * P + i] = v;
    }
    return v;
  };
  const spend = input.media.map((m) => m.spend.map((row) => sum(row)));
  return { G, T, C, K, P, S, shapes, size, raw, centred, y, gram, xy, yy, k, spend };
}

/**
 * The cross-products with week effects taken out, for geos weighted w (counts in a bootstrap
 * draw): Σ w_g·G_g − W·Σ_t ā_t ā_t', ā_t the weighted mean over geos of the within-geo centred
 * columns (two-way fixed effects on a balanced panel, exactly).
 */
/** The weighted mean over geos, week by week, of every within-geo centred column, then of the KPI. */
function weekMeans(prep: GeoPrepared, w: number[]): Float64Array {
  const { G, T, P } = prep;
  const W = sum(w);
  const mean = new Float64Array((P + 1) * T);
  for (let g = 0; g < G; g++) {
    if (!w[g]) continue;
    for (let j = 0; j < P; j++) {
      const at = (g * P + j) * T;
      for (let t = 0; t < T; t++) mean[j * T + t] = mean[j * T + t]! + (w[g]! * prep.centred[at + t]!) / W;
    }
    for (let t = 0; t < T; t++) mean[P * T + t] = mean[P * T + t]! + (w[g]! * prep.y[g * T + t]!) / W;
  }
  return mean;
}

/** Every geo weighted once: the week means a fit on all geos reads (computed once per prepared panel). */
const allGeos = new WeakMap<GeoPrepared, Float64Array>();
function unweightedMeans(prep: GeoPrepared): Float64Array {
  let mean = allGeos.get(prep);
  if (!mean) {
    mean = weekMeans(
      prep,
      Array.from({ length: prep.G }, () => 1),
    );
    allGeos.set(prep, mean);
  }
  return mean;
}

/** The panel's cross-products for geos weighted w, with week effects taken out (see `weighted`). */
export interface Moments {
  /** Entry (i, j) of the cross-product matrix, computed when first asked for. */
  gram(i: number, j: number): number;
  xy: Float64Array;
  yy: number;
  rows: number;
}

export function weighted(prep: GeoPrepared, w: number[]): Moments {
  const { T, P } = prep;
  const W = sum(w);
  const mean = weekMeans(prep, w);
  const used = w.flatMap((x, g) => (x ? [g] : []));
  const product = (i: number, j: number) => {
    let s = 0;
    for (let t = 0; t < T; t++) s += mean[i * T + t]! * mean[j * T + t]!;
    return W * s;
  };
  const xy = new Float64Array(P);
  let yy = 0;
  for (const g of used) {
    for (let i = 0; i < P; i++) xy[i] = xy[i]! + w[g]! * prep.xy[g]![i]!;
    yy += w[g]! * prep.yy[g]!;
  }
  for (let i = 0; i < P; i++) xy[i] = xy[i]! - product(i, P);
  yy -= product(P, P);
  // A refit reads a few columns against a few others (each channel's shapes against the other
  // channels' current ones), not all P² pairs: each entry is summed over the geos when first read.
  const gram = new Float64Array(P * P).fill(Number.NaN);
  return {
    gram(i, j) {
      const at = i * P + j;
      let v = gram[at]!;
      if (Number.isNaN(v)) {
        v = -product(i, j);
        for (const g of used) v += w[g]! * prep.gram(g, i, j);
        gram[at] = v;
        gram[j * P + i] = v;
      }
      return v;
    },
    xy,
    yy,
    rows: W * T,
  };
}

interface Solved {
  shapes: number[];
  beta: number[];
  gamma: number[];
  sse: number;
  objective: number;
}

/** Each prepared input's window effects, by channel, shape and weeks: computed once (see windowEffect). */
const windowEffects = new WeakMap<GeoPrepared, Map<string, number>>();

/** Σ_g size_g Σ_t∈[from, to] feature: what one unit of a channel's pooled β adds nationally over those weeks. */
export function windowEffect(prep: GeoPrepared, c: number, shape: number, from = 0, to = prep.T - 1): number {
  // Read for every channel by every trial solve (tens of thousands in a fit), and the same for any
  // draw's weights: kept per prepared input.
  let kept = windowEffects.get(prep);
  if (!kept) {
    kept = new Map();
    windowEffects.set(prep, kept);
  }
  const key = `${c},${shape},${from},${to}`;
  let effect = kept.get(key);
  if (effect === undefined) {
    effect = 0;
    for (let g = 0; g < prep.G; g++) {
      const at = (g * prep.P + c * prep.S + shape) * prep.T;
      for (let t = from; t <= to; t++) effect += prep.size[g]! * prep.raw[at + t]!;
    }
    kept.set(key, effect);
  }
  return effect;
}

/**
 * ROI priors and lift tests as ridge terms on β: ROI = β · Σ_g size_g Σ_t f ÷ spend, and a test's
 * national lift over its weeks = β · Σ_g size_g Σ_t∈test f, each weighed by the noise over its error².
 */
function priorTerms(prep: GeoPrepared, input: GeoMixInput, shapes: number[], noise: number) {
  return input.media.map((m, c) => {
    const terms = { diagonal: 1e-9, right: 0, constant: 0 };
    const add = (scale: number, target: number, se: number) => {
      const weight = noise / se ** 2;
      terms.diagonal += weight * scale * scale;
      terms.right += weight * scale * target;
      terms.constant += weight * target * target;
    };
    const prior = input.priors[m.channel];
    const spend = sum(prep.spend[c]!);
    const effect = windowEffect(prep, c, shapes[c]!);
    if (prior && spend > 0 && effect > 0) add(effect / spend, prior.mean, prior.sd);
    for (const e of input.experiments ?? [])
      if (e.channel === m.channel && e.se > 0)
        add(windowEffect(prep, c, shapes[c]!, e.from, e.to), e.lift, Math.max(e.se, 0.02 * Math.abs(e.lift)));
    return terms;
  });
}

/** Least squares on the picked shapes and the controls, channel effects held ≥ 0. */
export function solve(
  prep: GeoPrepared,
  input: GeoMixInput,
  moments: Moments,
  shapes: number[],
  noise: number,
  without = -1,
): Solved {
  const { C, K, S } = prep;
  const index = [...shapes.map((s, c) => c * S + s), ...Array.from({ length: K }, (_, j) => C * S + j)];
  const terms = priorTerms(prep, input, shapes, noise);
  const active = index.map((_, i) => i !== without);
  for (;;) {
    const used = index.map((_, i) => i).filter((i) => active[i]);
    const p = used.length;
    const h = new Float64Array(p * p);
    const r = used.map((i) => moments.xy[index[i]!]! + (i < C ? terms[i]!.right : 0));
    used.forEach((i, a) => {
      used.forEach((j, b) => {
        const ridge = a === b ? (i < C ? terms[i]!.diagonal : 1e-9) : 0;
        h[a * p + b] = moments.gram(index[i]!, index[j]!) + ridge;
      });
    });
    const solution = choleskySolve(h, p, r);
    const coef = index.map(() => 0);
    used.forEach((i, a) => {
      coef[i] = solution[a]!;
    });
    const negative = used.filter((i) => i < C && coef[i]! < 0).sort((a, b) => coef[a]! - coef[b]!);
    if (negative.length) {
      active[negative[0]!] = false;
      continue;
    }
    let sse = moments.yy;
    for (const i of used) {
      sse -= 2 * coef[i]! * moments.xy[index[i]!]!;
      for (const j of used) sse += coef[i]! * coef[j]! * moments.gram(index[i]!, index[j]!);
    }
    const penalty = sum(terms.map((x, c) => coef[c]! ** 2 * x.diagonal - 2 * coef[c]! * x.right + x.constant));
    return { shapes, beta: coef.slice(0, C), gamma: coef.slice(C), sse, objective: sse + penalty };
  }
}

/**
 * Each channel's shape by coordinate descent over the grid, from `start`; with `carryOverPrior`,
 * the most likely given the data and the carry-over prior (cell.ts): the objective plus 2σ² × −log
 * of each shape's prior density.
 */
export function fitShapes(
  prep: GeoPrepared,
  input: GeoMixInput,
  moments: Moments,
  start: number[],
  sweeps: number,
  noise: number,
  carryOverPrior = false,
): Solved {
  // Each channel's shapes' penalties, once: the loop below reads them for every trial.
  const penalty = prep.shapes.map((list) =>
    list.map((shape) => (carryOverPrior ? carryOverCost(shape.theta, noise) : 0)),
  );
  const cost = (shapes: number[]) => shapes.reduce((a, s, c) => a + penalty[c]![s]!, 0);
  let best = solve(prep, input, moments, [...start], noise);
  let bestScore = best.objective + cost(best.shapes);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let changed = false;
    for (let c = 0; c < prep.C; c++)
      for (let s = 0; s < prep.S; s++) {
        if (s === best.shapes[c]) continue;
        const trial = [...best.shapes];
        trial[c] = s;
        const fit = solve(prep, input, moments, trial, noise);
        const score = fit.objective + cost(trial);
        if (score < bestScore - 1e-9 * Math.abs(bestScore)) {
          best = fit;
          bestScore = score;
          changed = true;
        }
      }
    if (!changed) break;
  }
  return best;
}

/**
 * Each geo's own channel effects, drawn toward the pooled ones: what its weeks say beyond the
 * shared week effects and controls, weighed against how much geos differ (τ², estimated from the
 * geos' own estimates less their noise). Returns per geo the posterior mean and sd per channel.
 */
function poolGeos(prep: GeoPrepared, fit: Solved, noise: number) {
  const { G, T, C, K, P, S } = prep;
  const weekMean = unweightedMeans(prep);
  const dot = (a: Float64Array, b: Float64Array) => {
    let v = 0;
    for (let t = 0; t < T; t++) v += a[t]! * b[t]!;
    return v;
  };
  // Typed arrays and loops: read twice per refit, for every geo (arrays of T made per pair were
  // a quarter of a geo fit's time).
  const own = Array.from({ length: G }, (_, g) => {
    // What the geo's KPI does beyond the week effects and the controls: u = y − ȳ_t − γ·(z − z̄_t).
    const u = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let v = prep.y[g * T + t]! - weekMean[P * T + t]!;
      for (let j = 0; j < K; j++)
        v -= fit.gamma[j]! * (prep.centred[(g * P + C * S + j) * T + t]! - weekMean[(C * S + j) * T + t]!);
      u[t] = v;
    }
    const x = fit.shapes.map((s, c) => {
      const at = (g * P + c * S + s) * T;
      const mean = (c * S + s) * T;
      const col = new Float64Array(T);
      for (let t = 0; t < T; t++) col[t] = prep.centred[at + t]! - weekMean[mean + t]!;
      return col;
    });
    const xx = new Matrix(C, C);
    for (let a = 0; a < C; a++)
      for (let b = a; b < C; b++) {
        const v = dot(x[a]!, x[b]!);
        xx.set(a, b, v);
        xx.set(b, a, v);
      }
    const xu = x.map((col) => dot(col, u));
    return { xx, xu };
  });
  const tau2 = spreadAcross(own, fit.beta, noise);
  return own.map(({ xx, xu }) => {
    const h = new Matrix(C, C);
    for (let a = 0; a < C; a++)
      for (let b = 0; b < C; b++) h.set(a, b, xx.get(a, b) / noise + (a === b ? 1 / tau2[a]! : 0));
    const inverse = new CholeskyDecomposition(h).solve(Matrix.eye(C));
    const right = Matrix.columnVector(xu.map((v, c) => v / noise + fit.beta[c]! / tau2[c]!));
    return {
      mean: inverse.mmul(right).to1DArray(),
      sd: Array.from({ length: C }, (_, c) => Math.sqrt(inverse.get(c, c))),
    };
  });
}

/** τ² per channel: the variance of geos' own estimates less their average sampling variance (floored). */
function spreadAcross(own: Array<{ xx: Matrix; xu: number[] }>, beta: number[], noise: number): number[] {
  const C = beta.length;
  const estimates: number[][] = beta.map(() => []);
  const variances: number[][] = beta.map(() => []);
  for (const { xx, xu } of own) {
    const ridge = xx.clone();
    let informative = true;
    for (let c = 0; c < C; c++) {
      if (!(xx.get(c, c) > 1e-12)) informative = false;
      ridge.set(c, c, xx.get(c, c) * (1 + 1e-9) + 1e-12);
    }
    if (!informative) continue;
    const inverse = new CholeskyDecomposition(ridge).solve(Matrix.eye(C));
    const b = inverse.mmul(Matrix.columnVector(xu)).to1DArray();
    for (let c = 0; c < C; c++) {
      estimates[c]!.push(b[c]!);
      variances[c]!.push(noise * inverse.get(c, c));
    }
  }
  return beta.map((bc, c) => {
    const e = estimates[c]!;
    const floor = Math.max(1e-6 * bc * bc, 1e-12);
    if (e.length < 5) return floor;
    const m = sum(e) / e.length;
    const spread = sum(e.map((v) => (v - m) ** 2)) / (e.length - 1) - sum(variances[c]!) / e.length;
    return Math.max(spread, floor);
  });
}

/** A fit read on every geo: contributions from each geo's pooled effect (never below 0). */
function readGeo(
  prep: GeoPrepared,
  fit: Solved,
  noise: number,
  rand?: () => number,
  pooled = poolGeos(prep, fit, noise),
): GeoRead {
  const geoBeta = pooled.map((p) => p.mean.map((m, c) => Math.max(0, rand ? m + p.sd[c]! * normal(rand) : m)));
  const contribution = geoBeta.map((b, g) =>
    b.map((bc, c) => {
      const at = (g * prep.P + c * prep.S + fit.shapes[c]!) * prep.T;
      let f = 0;
      for (let t = 0; t < prep.T; t++) f += prep.raw[at + t]!;
      return prep.size[g]! * bc * f;
    }),
  );
  return { shapes: fit.shapes, beta: fit.beta, geoBeta, gamma: fit.gamma, contribution, noise };
}

export interface GeoModelFit {
  prep: GeoPrepared;
  point: GeoRead;
  /** The pooled geo effects alone (national totals) per bootstrap refit, and with each geo's own noise drawn. */
  draws: GeoRead[];
  geoDraws: GeoRead[];
  /** Residual variance of the scaled KPI. */
  noise: number;
  /** Per channel: the chance of a fit this much better than without it when it has no effect. */
  p_value: number[];
  residual_autocorrelation: number;
  residuals: Float64Array;
}

/**
 * Whether each channel's effect is told apart from none: how much worse the fit is with the
 * channel held at 0, against what the best of the grid's shapes finds in noise alone (a one-sided
 * test, Bonferroni over the shapes' effective number, effectiveTests.ts; the noise inflated for
 * residuals that run on within a geo).
 * The bootstrap cannot say this: each refit picks the shape that fits its noise best, so a channel
 * without effect still reads a little above 0.
 */
function evidenceFor(
  prep: GeoPrepared,
  input: GeoMixInput,
  moments: Moments,
  fit: Solved,
  noise: number,
  residuals: Float64Array,
): number[] {
  const rho = lagOne(residuals, prep.G, prep.T);
  return fit.beta.map((_, c) => {
    const drop = solve(prep, input, moments, fit.shapes, noise, c).objective - fit.objective;
    // The panel's moments are already free of geo levels and week effects: their covariance.
    const S = prep.S;
    const tests = effectiveTests(S, (i, j) => moments.gram(c * S + i, c * S + j));
    return noEffectP(drop, noise, rho, tests);
  });
}

/** The average lag-1 autocorrelation of residuals within geos. */
function lagOne(r: Float64Array, G: number, T: number): number {
  let num = 0;
  let den = 0;
  for (let g = 0; g < G; g++)
    for (let t = 0; t < T; t++) {
      const v = r[g * T + t]!;
      den += v * v;
      if (t) num += v * r[g * T + t - 1]!;
    }
  return den > 0 ? num / den : 0;
}

const START = SHAPES.findIndex((s) => s.theta === 0.4 && s.gamma === 1 && s.alpha === 1);

/** Two-way residuals of a fit: the scaled KPI less the week effects, the controls and the pooled channels. */
function residualsOf(prep: GeoPrepared, fit: Solved): Float64Array {
  const { G, T, C, K, P, S } = prep;
  const mean = unweightedMeans(prep);
  const out = new Float64Array(G * T);
  const index = [...fit.shapes.map((s, c) => c * S + s), ...Array.from({ length: K }, (_, j) => C * S + j)];
  const coef = [...fit.beta, ...fit.gamma];
  for (let g = 0; g < G; g++)
    for (let t = 0; t < T; t++) {
      let v = prep.y[g * T + t]! - mean[P * T + t]!;
      index.forEach((j, i) => {
        v -= coef[i]! * (prep.centred[(g * P + j) * T + t]! - mean[j * T + t]!);
      });
      out[g * T + t] = v;
    }
  return out;
}

/** Shapes drawn between the grid's points per channel (see `between`). */
const BETWEEN = 16;

/**
 * Shapes between the grid's points, where the data put them: per channel, BETWEEN times a grid
 * point drawn by how well it fits with the other channels held (exp(−Δ/2σ²), as the national
 * refits draw), then a shape anywhere in that point's cell (cell.ts). The refits then choose among
 * the grid and these, so a planted θ of 0.55 or γ of 1.5 is a shape they can land on.
 */
function between(
  grid: GeoPrepared,
  input: GeoMixInput,
  moments: Moments,
  fit: Solved,
  noise: number,
  rand: () => number,
): Shape[][] {
  const cells = shapeCells(SHAPES);
  const prior = gridPrior(SHAPES);
  return input.media.map((_, c) => {
    const objectives = SHAPES.map((_, s) => {
      const trial = [...fit.shapes];
      trial[c] = s;
      return solve(grid, input, moments, trial, noise).objective;
    });
    const weights = fitWeights(objectives, noise, prior);
    return Array.from({ length: BETWEEN }, () => cells.draw(SHAPES[pick(weights, rand())]!, rand));
  });
}

const everyGeo = (prep: GeoPrepared): Moments =>
  weighted(
    prep,
    Array.from({ length: prep.G }, () => 1),
  );

export function fitGeo(input: GeoMixInput, options: GeoOptions = {}): GeoModelFit {
  const grid = prepareGeo(input);
  const onGrid = everyGeo(grid);
  const rough = onGrid.yy / Math.max(1, onGrid.rows);
  const first = fitShapes(
    grid,
    input,
    onGrid,
    input.media.map(() => START),
    3,
    rough,
  );
  // Rows less the geo levels, the week effects, four parameters per channel and the controls.
  const dof = grid.G * grid.T - grid.G - grid.T + 1 - 4 * grid.C - grid.K;
  const noise = first.sse / Math.max(1, dof);
  const gridFit = fitShapes(grid, input, onGrid, first.shapes, 2, noise, true);
  // The grid comes first in every channel's list, so the grid fit's shapes keep their indices.
  const drawn = between(grid, input, onGrid, gridFit, noise, mulberry32((options.seed ?? 1) + 7919));
  const prep = prepareGeo(
    input,
    drawn.map((extra) => [...SHAPES, ...extra]),
  );
  const all = everyGeo(prep);
  // The point stays the grid's best fit (as in the national model): letting it choose among the drawn
  // shapes too read planted ROIs with a third more error (40 regional worlds: tv 0.27 against 0.19).
  const fit = solve(prep, input, all, gridFit.shapes, noise);
  const point = readGeo(prep, fit, noise);
  const draws = options.draws ?? 200;
  const rand = mulberry32(options.seed ?? 1);
  const out: GeoRead[] = [];
  const geoOut: GeoRead[] = [];
  for (let d = 0; d < draws; d++) {
    const w = Array.from({ length: prep.G }, () => 0);
    for (let i = 0; i < prep.G; i++) {
      const g = Math.floor(rand() * prep.G);
      w[g] = w[g]! + 1;
    }
    // A lift test is a measurement too: each refit draws it again within its error.
    const drawn = {
      ...input,
      experiments: input.experiments?.map((e) => ({ ...e, lift: e.lift + e.se * normal(rand) })),
    };
    const refit = fitShapes(prep, drawn, weighted(prep, w), fit.shapes, 1, noise, true);
    const pooled = poolGeos(prep, refit, noise);
    out.push(readGeo(prep, refit, noise, undefined, pooled));
    geoOut.push(readGeo(prep, refit, noise, rand, pooled));
    options.progress?.((d + 1) / draws);
  }
  const residuals = residualsOf(prep, fit);
  const p_value = evidenceFor(prep, input, all, fit, noise, residuals);
  const residual_autocorrelation = lagOne(residuals, prep.G, prep.T);
  return { prep, point, draws: out, geoDraws: geoOut, noise, residuals, p_value, residual_autocorrelation };
}

/** The national response to steady weekly spend spread over geos by size: one Hill curve. */
export function nationalCurve(prep: GeoPrepared, read: GeoRead, c: number) {
  const shape: Shape = prep.shapes[c]![read.shapes[c]!]!;
  const total = sum(prep.size);
  const beta = sum(read.geoBeta.map((b, g) => prep.size[g]! * b[c]!));
  const k = prep.k[c]![read.shapes[c]!]! * total;
  return { beta, k, shape, at: (s: number) => steadyResponse(s, beta, k, shape) };
}
