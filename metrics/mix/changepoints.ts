// A trend that may change its slope where the KPI did, read from the KPI alone before the media
// are fitted: Prophet's piecewise-linear trend as Robyn uses it (a trend column beside the media).
// 25 possible changepoints spread over the first 80% of the weeks fitted; each change of slope has
// a Laplace prior of scale 0.05 (in the KPI scaled by its largest value over the time scaled to
// [0, 1]), Prophet's defaults, so only changes the data insist on are kept (an L1 penalty, solved
// by coordinate descent, the noise it is weighed against re-estimated from the fit). The yearly
// cycle is fitted beside it and left out of the column. Beyond the weeks fitted the trend goes on
// at its last slope. Pure.

const CHANGEPOINTS = 25;
const RANGE = 0.8;
const PRIOR_SCALE = 0.05;
const SWEEPS = 400;
const NOISE_ROUNDS = 3;

/**
 * The trend of `kpi[0…rows)` as a column over `length` weeks, and how many changes of slope it kept
 * (none: the column is a straight line).
 * @param harmonics yearly sine/cosine pairs fitted beside the trend (not in the column)
 */
export function changepointTrend(
  kpi: readonly number[],
  rows: number,
  length: number,
  perYear: number,
  harmonics: number,
): { values: number[]; changes: number } {
  const scale = Math.max(...kpi.slice(0, rows).map(Math.abs)) || 1;
  const y = kpi.slice(0, rows).map((v) => v / scale);
  const span = Math.max(1, rows - 1);
  const x = (i: number) => i / span;
  const cuts = Array.from({ length: CHANGEPOINTS }, (_, j) => ((j + 1) / (CHANGEPOINTS + 1)) * RANGE);
  const columns = (i: number) => [
    1,
    x(i),
    ...cuts.map((s) => Math.max(0, x(i) - s)),
    ...Array.from({ length: harmonics }, (_, k) => {
      const a = (2 * Math.PI * (k + 1) * i) / perYear;
      return [Math.sin(a), Math.cos(a)];
    }).flat(),
  ];
  const X = Array.from({ length: rows }, (_, i) => columns(i));
  const P = X[0]!.length;
  const penalised = (p: number) => p >= 2 && p < 2 + CHANGEPOINTS;
  // The penalty weighs a change of slope against the noise, and the noise is what the trend leaves:
  // start from the fit with no change, then re-estimate both a few times (as a joint fit would).
  const penalties = (l: number) => Array.from({ length: P }, (_, p) => (penalised(p) ? l : 0));
  const kept = (beta: number[]) => beta.filter((b, p) => penalised(p) && b !== 0).length;
  let beta = lasso(X, y, penalties(Number.POSITIVE_INFINITY));
  for (let k = 0; k < NOISE_ROUNDS; k++) {
    const sigma2 = residualVariance(X, y, beta, P - CHANGEPOINTS + kept(beta));
    beta = lasso(X, y, penalties(sigma2 / PRIOR_SCALE), beta);
  }
  const values = Array.from({ length }, (_, i) => {
    let v = beta[0]! + beta[1]! * x(i);
    for (let j = 0; j < CHANGEPOINTS; j++) v += beta[2 + j]! * Math.max(0, x(i) - cuts[j]!);
    return v * scale;
  });
  return { values, changes: kept(beta) };
}

function residualVariance(X: number[][], y: number[], beta: number[], params: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    let f = 0;
    for (let p = 0; p < beta.length; p++) f += X[i]![p]! * beta[p]!;
    s += (y[i]! - f) ** 2;
  }
  return s / Math.max(1, y.length - params);
}

/**
 * Minimises ½‖y − Xβ‖² + Σ λ_p |β_p| by cyclic coordinate descent (λ_p = ∞: β_p held at 0;
 * λ_p = 0: unpenalised), on the cross-products X'X and X'y: a coordinate's step reads P numbers,
 * not the n weeks.
 */
function lasso(X: number[][], y: number[], lambda: number[], start?: number[]): number[] {
  const n = y.length;
  const P = lambda.length;
  const gram = new Float64Array(P * P);
  const xy = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    for (let p = 0; p < P; p++) {
      xy[p] = xy[p]! + row[p]! * y[i]!;
      for (let q = p; q < P; q++) gram[p * P + q] = gram[p * P + q]! + row[p]! * row[q]!;
    }
  }
  for (let p = 0; p < P; p++) for (let q = 0; q < p; q++) gram[p * P + q] = gram[q * P + p]!;
  const beta = start ? [...start] : new Array<number>(P).fill(0);
  for (let p = 0; p < P; p++) if (lambda[p] === Number.POSITIVE_INFINITY) beta[p] = 0;
  // g = X'X β, kept up to date as coordinates move.
  const g = new Float64Array(P);
  for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) g[p] = g[p]! + gram[p * P + q]! * beta[q]!;
  const scale = Math.max(...beta.map(Math.abs), 1);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let moved = 0;
    for (let p = 0; p < P; p++) {
      const norm = gram[p * P + p]!;
      if (lambda[p] === Number.POSITIVE_INFINITY || norm === 0) continue;
      const rho = xy[p]! - g[p]! + norm * beta[p]!;
      const l = lambda[p]!;
      const next = rho > l ? (rho - l) / norm : rho < -l ? (rho + l) / norm : 0;
      const d = next - beta[p]!;
      if (d !== 0) {
        for (let q = 0; q < P; q++) g[q] = g[q]! + gram[q * P + p]! * d;
        beta[p] = next;
        moved = Math.max(moved, Math.abs(d));
      }
    }
    if (moved < 1e-10 * scale) break;
  }
  return beta;
}
