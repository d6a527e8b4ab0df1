// The effect of a channel on the customers it reached (ATT), doubly robust: augmented inverse-
// probability weighting with cross-fitting. Per fold, a propensity model (who is reached, given
// the pre-exposure facts) and an outcome model (what the not-reached achieve, given the same)
// are fitted on the other folds; the reached customers' residuals against the outcome model are
// compared with the not-reached customers' residuals weighted by e/(1 − e). The answer is right
// when either model is right. Survey outcomes are observed only for those who answered: each
// answer is also weighted by 1 / P(answering | facts, reached), fitted the same way.
// Data arrive grouped by covariate pattern, so every sum below is exact. Pure.
import { Z95 } from '../normal.ts';
import type { Overlap } from './diagnostics.ts';
import {
  type Features,
  fitLinear,
  fitLogistic,
  fitLogisticDetailed,
  linearPredictor,
  probability,
} from './regression.ts';

export interface PatternCell {
  fold: number;
  /** Index into the features. */
  pattern: number;
  exposed: boolean;
  /** Customers. */
  n: number;
  /** Customers with an outcome (everyone, unless the outcome is a survey answer). */
  responders: number;
  sum: number;
  sumsq: number;
}

/**
 * The same cells by column, as cellsByChannel builds them: no object per cell (27,000 objects a
 * channel on 50,000 customers, made and collected, were a fifth of the comparison's time).
 */
export interface CellColumns {
  length: number;
  fold: Int32Array;
  pattern: Int32Array;
  /** 1 for the reached, 0 for the others. */
  exposed: Uint8Array;
  n: Float64Array;
  responders: Float64Array;
  sum: Float64Array;
  sumsq: Float64Array;
}

export function cellColumns(cells: readonly PatternCell[]): CellColumns {
  return {
    length: cells.length,
    fold: Int32Array.from(cells, (c) => c.fold),
    pattern: Int32Array.from(cells, (c) => c.pattern),
    exposed: Uint8Array.from(cells, (c) => (c.exposed ? 1 : 0)),
    n: Float64Array.from(cells, (c) => c.n),
    responders: Float64Array.from(cells, (c) => c.responders),
    sum: Float64Array.from(cells, (c) => c.sum),
    sumsq: Float64Array.from(cells, (c) => c.sumsq),
  };
}

export interface DoublyRobust {
  lift: number | null;
  se: number | null;
  ci: [number, number] | null;
  /**
   * The standard error a test of no effect uses: `se`, except for a 0/1 outcome, where it is taken at
   * a lift of 0 (see scoreInterval), so the p-value agrees with the interval about 0.
   */
  null_se: number | null;
  /** Reached customers compared (those not trimmed). */
  compared_exposed: number;
  dropped_exposed: number;
  /** What the reached customers' mean outcome would have been without the channel. */
  counterfactual: number | null;
  overlap: Overlap;
  response_rate: { reached: number; not_reached: number } | null;
  /** False when a fold's propensity fit did not settle in its steps: the weights are then not trusted. */
  propensity_settled: boolean;
  /**
   * Inverse-probability weighting alone, on the same propensities and compared customers: a second
   * estimator that leans on the propensity model only, where the doubly robust one needs either.
   */
  ipw: { lift: number; se: number; ci: [number, number] } | null;
}

export interface DoublyRobustOptions {
  folds: number;
  /** Weight each answer by 1 / P(answer): for survey outcomes. */
  weightResponses: boolean;
}

/** Reached customers whose propensity is above this have no comparable not-reached customers. */
export const TRIM_ABOVE = 0.98;

/** Per fold and pattern (index fold · P + pattern), per arm. */
class Table {
  readonly n: Float64Array;
  readonly r: Float64Array;
  readonly s: Float64Array;
  readonly q: Float64Array;
  constructor(size: number) {
    this.n = new Float64Array(size);
    this.r = new Float64Array(size);
    this.s = new Float64Array(size);
    this.q = new Float64Array(size);
  }
  add(i: number, cells: CellColumns, c: number): void {
    this.n[i]! += cells.n[c]!;
    this.r[i]! += cells.responders[c]!;
    this.s[i]! += cells.sum[c]!;
    this.q[i]! += cells.sumsq[c]!;
  }
  /** Everything outside fold k, per pattern. */
  outside(field: 'n' | 'r' | 's', k: number, folds: number, patterns: number): Float64Array {
    const out = new Float64Array(patterns);
    for (let f = 0; f < folds; f++) {
      if (f === k) continue;
      const values = this[field];
      for (let x = 0; x < patterns; x++) out[x]! += values[f * patterns + x]!;
    }
    return out;
  }
}

interface Nuisance {
  /** Propensity, outcome model for the not-reached, and response weights of each arm, per fold · pattern. */
  e: Float64Array;
  m: Float64Array;
  a: Float64Array;
  b: Float64Array;
  /** Whether every fold's propensity fit settled (see regression.ts). */
  settled: boolean;
}

/** Fit the models on the other folds and predict for fold k, for every pattern fold k holds. */
function crossFit(t1: Table, t0: Table, features: Features, p: number, options: DoublyRobustOptions): Nuisance {
  const P = features.length;
  const K = options.folds;
  const out = {
    e: new Float64Array(K * P),
    m: new Float64Array(K * P),
    a: new Float64Array(K * P).fill(1),
    b: new Float64Array(K * P).fill(1),
    settled: true,
  };
  // The response model sees whether a customer was reached as one more column.
  const withArm = options.weightResponses ? [...features, ...features.map((f) => [...f, p])] : [];
  // Each fold's fits start where the previous fold's ended: the rows differ by a fifth, so the
  // optimum is close and Newton reaches it in fewer steps, with the same chances to the fit's
  // tolerance (test/channels/regression.test.ts).
  let lastPropensity: Float64Array | undefined;
  let lastResponse: Float64Array | undefined;
  for (let k = 0; k < K; k++) {
    const n1 = t1.outside('n', k, K, P);
    const n0 = t0.outside('n', k, K, P);
    const both = n1.map((v, x) => v + n0[x]!);
    const fitted = fitLogisticDetailed(features, n1, both, p, lastPropensity);
    const propensity = fitted.beta;
    if (!fitted.converged) out.settled = false;
    else lastPropensity = propensity;
    const outcome = fitLinear(features, t0.outside('r', k, K, P), t0.outside('s', k, K, P), p);
    const response = options.weightResponses
      ? fitLogistic(
          withArm,
          [...t0.outside('r', k, K, P), ...t1.outside('r', k, K, P)],
          [...n0, ...n1],
          p + 1,
          lastResponse,
        )
      : null;
    if (response) lastResponse = response;
    for (let x = 0; x < P; x++) {
      const i = k * P + x;
      if (!t1.n[i] && !t0.n[i]) continue;
      out.e[i] = probability(features[x]!, propensity);
      out.m[i] = linearPredictor(features[x]!, outcome);
      if (response) {
        out.a[i] = 1 / Math.max(probability(withArm[P + x]!, response), 1e-3);
        out.b[i] = 1 / Math.max(probability(withArm[x]!, response), 1e-3);
      }
    }
  }
  return out;
}

/** Σ w²(y − c)² over a cell's responders, from its sums. */
const squares = (w: number, r: number, s: number, q: number, c: number) => w * w * (q - 2 * c * s + r * c * c);

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one estimator read top to bottom: sums, then variance.
export function doublyRobustAtt(
  cells: readonly PatternCell[] | CellColumns,
  features: Features,
  p: number,
  options: DoublyRobustOptions,
): DoublyRobust {
  const P = features.length;
  const K = options.folds;
  const t1 = new Table(K * P);
  const t0 = new Table(K * P);
  const columns = Array.isArray(cells) ? cellColumns(cells) : (cells as CellColumns);
  for (let c = 0; c < columns.length; c++)
    (columns.exposed[c] ? t1 : t0).add(columns.fold[c]! * P + columns.pattern[c]!, columns, c);
  const { e, m, a, b, settled } = crossFit(t1, t0, features, p, options);
  // First pass: the weighted residual means of each arm, among the compared.
  let w1 = 0;
  let w0 = 0;
  let res1 = 0;
  let res0 = 0;
  let y1 = 0;
  let y0 = 0;
  let reached = 0;
  let dropped = 0;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let kishSquares = 0;
  const totals = { n1: 0, n0: 0, r1: 0, r0: 0 };
  for (let i = 0; i < K * P; i++) {
    totals.n1 += t1.n[i]!;
    totals.n0 += t0.n[i]!;
    totals.r1 += t1.r[i]!;
    totals.r0 += t0.r[i]!;
    if (!t1.n[i] && !t0.n[i]) continue;
    if (e[i]! > TRIM_ABOVE) {
      dropped += t1.n[i]!;
      continue;
    }
    low = Math.min(low, e[i]!);
    high = Math.max(high, e[i]!);
    reached += t1.n[i]!;
    const odds = (e[i]! / (1 - e[i]!)) * b[i]!;
    w1 += a[i]! * t1.r[i]!;
    res1 += a[i]! * (t1.s[i]! - t1.r[i]! * m[i]!);
    y1 += a[i]! * t1.s[i]!;
    w0 += odds * t0.r[i]!;
    res0 += odds * (t0.s[i]! - t0.r[i]! * m[i]!);
    y0 += odds * t0.s[i]!;
    kishSquares += odds * odds * t0.r[i]!;
  }
  const response_rate =
    totals.n1 && totals.n0 ? { reached: totals.r1 / totals.n1, not_reached: totals.r0 / totals.n0 } : null;
  const overlap: Overlap = {
    propensity_range: reached ? [low, high] : null,
    ess: w0 > 0 ? (w0 * w0) / kishSquares : null,
    dropped_share: totals.n1 ? dropped / totals.n1 : 0,
  };
  const none = { lift: null, se: null, null_se: null, ci: null, counterfactual: null, ipw: null } as const;
  const base = {
    compared_exposed: reached,
    dropped_exposed: dropped,
    overlap,
    response_rate,
    propensity_settled: settled,
  };
  if (!(w1 > 0) || !(w0 > 0)) return { ...base, ...none };
  const mu1 = res1 / w1;
  const mu0 = res0 / w0;
  // Second pass: the variance of the influence function (nuisances held fixed; the score is
  // orthogonal to them, which is what cross-fitting buys).
  let variance = 0;
  let ipwVariance = 0;
  const [mean1, mean0] = [y1 / w1, y0 / w0];
  for (let i = 0; i < K * P; i++) {
    if ((!t1.n[i] && !t0.n[i]) || e[i]! > TRIM_ABOVE) continue;
    const odds = (e[i]! / (1 - e[i]!)) * b[i]!;
    variance += squares(a[i]!, t1.r[i]!, t1.s[i]!, t1.q[i]!, m[i]! + mu1) / (w1 * w1);
    variance += squares(odds, t0.r[i]!, t0.s[i]!, t0.q[i]!, m[i]! + mu0) / (w0 * w0);
    ipwVariance += squares(a[i]!, t1.r[i]!, t1.s[i]!, t1.q[i]!, mean1) / (w1 * w1);
    ipwVariance += squares(odds, t0.r[i]!, t0.s[i]!, t0.q[i]!, mean0) / (w0 * w0);
  }
  const ipwSe = Math.sqrt(Math.max(0, ipwVariance));
  const ipw =
    ipwSe > 0
      ? {
          lift: mean1 - mean0,
          se: ipwSe,
          ci: [mean1 - mean0 - Z95 * ipwSe, mean1 - mean0 + Z95 * ipwSe] as [number, number],
        }
      : null;
  const lift = mu1 - mu0;
  const wald = Math.sqrt(Math.max(0, variance));
  // The reached customers' (answer-weighted) mean, less the lift.
  const counterfactual = y1 / w1 - lift;
  if (!(wald > 0)) return { ...base, ...none };
  const binary = isZeroOne(t1, t0);
  const score = binary ? scoreInterval(lift, variance, controlSpread(t0, e, m, b, mu0, w0)) : null;
  return {
    ...base,
    lift,
    se: wald,
    null_se: score ? score.se : wald,
    ci: score ? score.ci : [lift - Z95 * wald, lift + Z95 * wald],
    counterfactual,
    ipw,
  };
}

/** Every outcome is 0 or 1 (y² = y in every cell, and no cell sums above its count). */
function isZeroOne(t1: Table, t0: Table): boolean {
  for (const t of [t1, t0])
    for (let i = 0; i < t.n.length; i++) if (t.q[i] !== t.s[i] || t.s[i]! > t.r[i]! || t.s[i]! < 0) return false;
  return true;
}

/**
 * The binomial spread of the not-reached side's term if the not-reached customers' means were
 * shifted by d: Σ w²·r·μ(1 − μ) / w0², μ = their fitted mean + d, kept in [0, 1].
 */
function controlSpread(t0: Table, e: Float64Array, m: Float64Array, b: Float64Array, mu0: number, w0: number) {
  const weights: number[] = [];
  const means: number[] = [];
  for (let i = 0; i < t0.n.length; i++) {
    if (!t0.r[i] || e[i]! > TRIM_ABOVE) continue;
    const odds = (e[i]! / (1 - e[i]!)) * b[i]!;
    weights.push((odds * odds * t0.r[i]!) / (w0 * w0));
    means.push(m[i]! + mu0);
  }
  return (d: number) => {
    let v = 0;
    for (let j = 0; j < weights.length; j++) {
      const mu = Math.min(1, Math.max(0, means[j]! + d));
      v += weights[j]! * mu * (1 - mu);
    }
    return v;
  };
}

/**
 * For a 0/1 outcome the interval is the set of lifts L a score test does not reject: the spread of
 * the not-reached side is taken at the means L implies (theirs shifted by lift − L), not at the
 * estimated ones, as Wilson's interval does for one proportion. With few comparable not-reached
 * customers whose outcome sits near 0 or 1, the estimate and its estimated spread move together (a
 * sample where they all stayed reads a low lift and a small error); the Wald interval then misses
 * low, this one does not. The empirical spread is kept and only the change the hypothesis implies is
 * added. The standard error it returns is the one at L = 0, for the test of no effect.
 */
function scoreInterval(
  lift: number,
  variance: number,
  spread: (d: number) => number,
): { se: number; ci: [number, number] } {
  const at = spread(0);
  const varianceAt = (L: number) => Math.max(variance + spread(lift - L) - at, 1e-300);
  const rejects = (L: number) => (lift - L) ** 2 > Z95 * Z95 * varianceAt(L);
  const end = (direction: 1 | -1) => {
    let inside = lift;
    let step = Z95 * Math.sqrt(variance);
    let outside = lift + direction * step;
    while (!rejects(outside) && Math.abs(outside - lift) < 4) {
      inside = outside;
      step *= 2;
      outside = lift + direction * step;
    }
    for (let k = 0; k < 60; k++) {
      const mid = (inside + outside) / 2;
      if (rejects(mid)) outside = mid;
      else inside = mid;
    }
    return inside;
  };
  return { se: Math.sqrt(varianceAt(0)), ci: [end(-1), end(1)] };
}
