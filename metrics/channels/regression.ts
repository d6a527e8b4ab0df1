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

/**
 * Logistic regression of `events` out of `trials` per row, by Newton–Raphson (IRLS) on the
 * penalised log-likelihood. Returns the coefficients.
 */
export function fitLogistic(features: Features, events: ArrayLike<number>, trials: ArrayLike<number>, p: number) {
  let total = 0;
  let hits = 0;
  for (let i = 0; i < features.length; i++) {
    total += trials[i]!;
    hits += events[i]!;
  }
  const beta = new Float64Array(p);
  if (!total) return beta;
  const base = Math.min(Math.max(hits / Math.max(total, 1), 1e-6), 1 - 1e-6);
  beta[0] = Math.log(base / (1 - base));
  for (let iteration = 0; iteration < 50; iteration++) {
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
    const step = solve(hessian, gradient, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-9) break;
  }
  return beta;
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
