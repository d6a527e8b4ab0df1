// How many independent tests a search over correlated candidates amounts to (Li & Ji 2005): from
// the eigenvalues λ of the candidates' correlation matrix, M_eff = Σ [λ ≥ 1] + (λ − ⌊λ⌋). A grid
// of 72 carry-over and saturation shapes whose features move almost together is a handful of
// tests, not 72: Bonferroni over the grid would call a real channel "no effect" far too often. Pure.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { erfc } from '../normal.ts';

/**
 * The chance that noise alone improves a fit by `drop` with the best of `tests` effective
 * candidates: one-sided, Bonferroni, the noise variance inflated by (1 + ρ)/(1 − ρ) for residuals
 * that run on (ρ their lag-1 autocorrelation, held to 0–0.9). What the national and the geo mix
 * model both read to say a channel is not told apart from none.
 */
export function noEffectP(drop: number, noise: number, rho: number, tests: number): number {
  const r = Math.max(0, Math.min(0.9, rho));
  const effective = (noise * (1 + r)) / (1 - r);
  return Math.min(1, (tests * erfc(Math.sqrt(Math.max(0, drop) / effective / 2))) / 2);
}

/** M_eff for `m` candidates whose covariance is `cov(i, j)`; candidates without variance are left out. */
export function effectiveTests(m: number, cov: (i: number, j: number) => number): number {
  const kept = Array.from({ length: m }, (_, i) => i).filter((i) => cov(i, i) > 1e-12);
  if (kept.length <= 1) return 1;
  const sd = kept.map((i) => Math.sqrt(cov(i, i)));
  const r = new Matrix(kept.length, kept.length);
  kept.forEach((i, a) => {
    kept.forEach((j, b) => {
      r.set(a, b, a === b ? 1 : cov(i, j) / (sd[a]! * sd[b]!));
    });
  });
  const eigen = new EigenvalueDecomposition(r, { assumeSymmetric: true }).realEigenvalues;
  const total = eigen.reduce((acc, l) => {
    // Rounded first: an eigenvalue of 5 computed as 4.9999999999 would count as 1 + 0.99…
    const v = Math.round(Math.abs(l) * 1e9) / 1e9;
    return acc + (v >= 1 ? 1 : 0) + (v - Math.floor(v));
  }, 0);
  return Math.max(1, Math.min(kept.length, total));
}
