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

/** Solve (H + λI′) step = g, with I′ the identity but for the intercept. H holds its upper triangle only. */
function solve(hessian: Float64Array, gradient: Float64Array, p: number): Float64Array {
  const h = new Matrix(p, p);
  for (let a = 0; a < p; a++)
    for (let b = a; b < p; b++) {
      const value = hessian[a * p + b]! + (a === b ? (a ? RIDGE : 1e-9) : 0);
      h.set(a, b, value);
      h.set(b, a, value);
    }
  // An unused column (a level absent from these rows) has only the penalty: its coefficient stays 0.
  const cholesky = new CholeskyDecomposition(h);
  return Float64Array.from(cholesky.solve(Matrix.columnVector(Array.from(gradient))).to1DArray());
}

/**
 * The rows' active columns in two flat arrays (row i's are columns[start[i]] … columns[start[i + 1] − 1]),
 * sorted: one pass over them is a few typed-array reads, not a walk of thousands of small arrays. Kept
 * per features array: every fold and channel of a comparison fits on the same one.
 */
interface Packed {
  start: Int32Array;
  columns: Int32Array;
}
const packedRows = new WeakMap<Features, Packed>();

function pack(features: Features): Packed {
  let packed = packedRows.get(features);
  if (packed) return packed;
  const start = new Int32Array(features.length + 1);
  for (let i = 0; i < features.length; i++) start[i + 1] = start[i]! + features[i]!.length;
  const columns = new Int32Array(start[features.length]!);
  for (let i = 0; i < features.length; i++) {
    const sorted = [...features[i]!].sort((a, b) => a - b);
    columns.set(sorted, start[i]!);
  }
  packed = { start, columns };
  packedRows.set(features, packed);
  return packed;
}

/** Each row's linear predictor, written into `eta`. */
function predictors(rows: Packed, beta: Float64Array, eta: Float64Array): void {
  const { start, columns } = rows;
  for (let i = 0; i < eta.length; i++) {
    let sum = 0;
    for (let s = start[i]!, e = start[i + 1]!; s < e; s++) sum += beta[columns[s]!]!;
    eta[i] = sum;
  }
}

/** Accumulate weight × xxᵀ for one sparse row, upper triangle only (columns are sorted). */
function addOuter(hessian: Float64Array, rows: Packed, i: number, weight: number, p: number): void {
  const { start, columns } = rows;
  const e = start[i + 1]!;
  for (let s = start[i]!; s < e; s++) {
    const row = columns[s]! * p;
    for (let t = s; t < e; t++) hessian[row + columns[t]!]! += weight;
  }
}

/**
 * The penalised log-likelihood the fit climbs: Σ [y·η − m·log(1 + e^η)] − λ/2 Σ β_j² (j ≥ 1). Each
 * row's e^−|η| is kept in `tail`: the next Newton step reads its probabilities from it instead of
 * taking the exponential again.
 */
function penalisedLikelihood(
  eta: Float64Array,
  tail: Float64Array,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  beta: Float64Array,
): number {
  let ll = 0;
  for (let i = 0; i < eta.length; i++) {
    const m = trials[i]!;
    if (!m) continue;
    const x = eta[i]!;
    const e = Math.exp(-Math.abs(x));
    tail[i] = e;
    // log(1 + e^x), written so that neither branch overflows.
    ll += events[i]! * x - m * (Math.max(x, 0) + Math.log1p(e));
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
 * intercept to −8·10¹² on the CPS comparison and every propensity to 0. `from` starts the climb
 * elsewhere than at the overall rate, such as at a fit on nearly the same rows (the other folds):
 * the optimum is the same, reached in fewer steps.
 */
export function fitLogisticDetailed(
  features: Features,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  p: number,
  from?: Float64Array,
): LogisticFit {
  let total = 0;
  let hits = 0;
  for (let i = 0; i < features.length; i++) {
    total += trials[i]!;
    hits += events[i]!;
  }
  let beta = new Float64Array(p);
  if (!total) return { beta, converged: true, iterations: 0 };
  if (from && from.length === p && from.every(Number.isFinite)) beta.set(from);
  else {
    const base = Math.min(Math.max(hits / Math.max(total, 1), 1e-6), 1 - 1e-6);
    beta[0] = Math.log(base / (1 - base));
  }
  const rows = pack(features);
  let eta = new Float64Array(features.length);
  let tail = new Float64Array(features.length);
  let trial = new Float64Array(features.length);
  let trialTail = new Float64Array(features.length);
  predictors(rows, beta, eta);
  let current = penalisedLikelihood(eta, tail, events, trials, beta);
  for (let iteration = 1; iteration <= 100; iteration++) {
    const step = newtonStep(rows, eta, tail, events, trials, beta, p);
    const longest = step.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    let scale = longest > MAX_STEP ? MAX_STEP / longest : 1;
    let next = beta;
    let value = current;
    for (let halving = 0; halving < 40; halving++, scale /= 2) {
      next = beta.map((b, j) => b + scale * step[j]!);
      predictors(rows, next, trial);
      value = penalisedLikelihood(trial, trialTail, events, trials, next);
      if (value >= current - 1e-12 * Math.max(1, Math.abs(current))) break;
    }
    const moved = longest * scale;
    beta = next;
    current = value;
    [eta, trial] = [trial, eta];
    [tail, trialTail] = [trialTail, tail];
    if (moved < 1e-8) return { beta, converged: true, iterations: iteration };
  }
  return { beta, converged: false, iterations: 100 };
}

function newtonStep(
  rows: Packed,
  eta: Float64Array,
  tail: Float64Array,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  beta: Float64Array,
  p: number,
): Float64Array {
  const hessian = new Float64Array(p * p);
  const gradient = new Float64Array(p);
  const { start, columns } = rows;
  for (let j = 1; j < p; j++) gradient[j] = -RIDGE * beta[j]!;
  for (let i = 0; i < eta.length; i++) {
    const m = trials[i]!;
    if (!m) continue;
    const mu = eta[i]! >= 0 ? 1 / (1 + tail[i]!) : tail[i]! / (1 + tail[i]!);
    const residual = events[i]! - m * mu;
    for (let s = start[i]!, e = start[i + 1]!; s < e; s++) gradient[columns[s]!]! += residual;
    addOuter(hessian, rows, i, m * mu * (1 - mu), p);
  }
  return solve(hessian, gradient, p);
}

/** The coefficients of fitLogisticDetailed. */
export function fitLogistic(
  features: Features,
  events: ArrayLike<number>,
  trials: ArrayLike<number>,
  p: number,
  from?: Float64Array,
) {
  return fitLogisticDetailed(features, events, trials, p, from).beta;
}

/** Least squares of y on the features, each row standing for `weights` customers whose y sum to `sums`. */
export function fitLinear(features: Features, weights: ArrayLike<number>, sums: ArrayLike<number>, p: number) {
  const hessian = new Float64Array(p * p);
  const right = new Float64Array(p);
  const rows = pack(features);
  for (let i = 0; i < features.length; i++) {
    const w = weights[i]!;
    if (!w) continue;
    addOuter(hessian, rows, i, w, p);
    for (let s = rows.start[i]!, e = rows.start[i + 1]!; s < e; s++) right[rows.columns[s]!]! += sums[i]!;
  }
  if (!(hessian[0]! > 0)) return new Float64Array(p);
  return solve(hessian, right, p);
}

export const probability = (active: readonly number[], beta: Float64Array) => sigmoid(linearPredictor(active, beta));
