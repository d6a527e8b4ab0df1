// Ridge-penalised logistic and linear regression on grouped rows with one-hot covariates: each
// row is a covariate pattern (the indices of its active columns, 0 the intercept) with counts
// and sums, so a million customers fit as a few thousand patterns. The small penalty keeps a
// pattern that everyone (or nobody) in it was reached from sending a coefficient to infinity;
// the intercept is not penalised. Pure.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/** Active columns of each row: 0 (the intercept) and one column per covariate. */
export type Features = readonly (readonly number[])[];

export const RIDGE = 1;

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export function linearPredictor(active: readonly number[], beta: Float64Array): number {
  let eta = 0;
  for (const j of active) eta += beta[j]!;
  return eta;
}

/** Solve (H + λI′) step = g, with I′ the identity but for the intercept. */
function solve(hessian: Float64Array, gradient: Float64Array, p: number): Float64Array {
  const h = new Matrix(p, p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) h.set(a, b, hessian[a * p + b]! + (a === b ? (a ? RIDGE : 1e-9) : 0));
  // An unused column (a level absent from these rows) has only the penalty: its coefficient stays 0.
  const cholesky = new CholeskyDecomposition(h);
  return Float64Array.from(cholesky.solve(Matrix.columnVector(Array.from(gradient))).to1DArray());
}

/** Accumulate weight × xxᵀ for one sparse row. */
function addOuter(hessian: Float64Array, active: readonly number[], weight: number, p: number): void {
  for (const a of active) for (const b of active) hessian[a * p + b]! += weight;
}

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** The penalised log-likelihood the fit climbs: Σ [y·η − m·log(1 + e^η)] − λ/2 Σ β_j² (j ≥ 1). */
function penalisedLikelihood(
  features: Features,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  beta: Float64Array,
): number {
  let ll = 0;
  for (let i = 0; i < features.length; i++) {
    const m = trials[i]!;
    if (!m) continue;
    const eta = linearPredictor(features[i]!, beta);
    ll += events[i]! * eta - m * softplus(eta);
  }
  for (let j = 1; j < beta.length; j++) ll -= 0.5 * RIDGE * beta[j]! ** 2;
  return ll;
}

/** A Newton step is never longer than this in any coefficient (log-odds): a trust region. */
const MAX_STEP = 4;

export interface LogisticFit {
  beta: Float64Array;
  /** Whether the steps settled (every coefficient moved by less than 1e-8 in the last one). */
  converged: boolean;
  iterations: number;
}

/**
 * Logistic regression of `events` out of `trials` per row: Newton–Raphson on the ridge-penalised
 * log-likelihood with step control. A step is shortened to MAX_STEP and then halved until the
 * penalised likelihood does not fall, so nearly separable data (1% reached, most of them in a few
 * patterns) climb to the penalised optimum instead of overshooting: plain Newton steps sent the
 * intercept to −8·10¹² on the CPS comparison and every propensity to 0.
 */
export function fitLogisticDetailed(
  features: Features,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  p: number,
): LogisticFit {
  let total = 0;
  let hits = 0;
  for (let i = 0; i < features.length; i++) {
    total += trials[i]!;
    hits += events[i]!;
  }
  let beta = new Float64Array(p);
  if (!total) return { beta, converged: true, iterations: 0 };
  const base = Math.min(Math.max(hits / Math.max(total, 1), 1e-6), 1 - 1e-6);
  beta[0] = Math.log(base / (1 - base));
  let current = penalisedLikelihood(features, events, trials, beta);
  for (let iteration = 1; iteration <= 100; iteration++) {
    const step = newtonStep(features, events, trials, beta, p);
    const longest = step.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    let scale = longest > MAX_STEP ? MAX_STEP / longest : 1;
    let next = beta;
    let value = current;
    for (let halving = 0; halving < 40; halving++, scale /= 2) {
      next = beta.map((b, j) => b + scale * step[j]!);
      value = penalisedLikelihood(features, events, trials, next);
      if (value >= current - 1e-12 * Math.max(1, Math.abs(current))) break;
    }
    const moved = longest * scale;
    beta = next;
    current = value;
    if (moved < 1e-8) return { beta, converged: true, iterations: iteration };
  }
  return { beta, converged: false, iterations: 100 };
}

function newtonStep(
  features: Features,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  beta: Float64Array,
  p: number,
): Float64Array {
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  for (let j = 1; j < p; j++) gradient[j] = -RIDGE * beta[j]!;
  for (let i = 0; i < features.length; i++) {
    const m = trials[i]!;
    if (!m) continue;
    const active = features[i]!;
    const mu = sigmoid(linearPredictor(active, beta));
    const residual = events[i]! - m * mu;
    for (const j of active) gradient[j]! += residual;
    addOuter(hessian, active, m * mu * (1 - mu), p);
  }
  return solve(hessian, gradient, p);
}

/** The coefficients of fitLogisticDetailed. */
export function fitLogistic(features: Features, events: ArrayLike<number>, trials: ArrayLike<number>, p: number) {
  return fitLogisticDetailed(features, events, trials, p).beta;
}

/** Least squares of y on the features, each row standing for `weights` customers whose y sum to `sums`. */
export function fitLinear(features: Features, weights: ArrayLike<number>, sums: ArrayLike<number>, p: number) {
  const hessian = new Float64Array(p * p);
  const right = new Float64Array(p);
  for (let i = 0; i < features.length; i++) {
    const w = weights[i]!;
    if (!w) continue;
    const active = features[i]!;
    addOuter(hessian, active, w, p);
    for (const j of active) right[j]! += sums[i]!;
  }
  if (!(hessian[0]! > 0)) return new Float64Array(p);
  return solve(hessian, right, p);
}

export const probability = (active: readonly number[], beta: Float64Array) => sigmoid(linearPredictor(active, beta));
