// What a channel's adjusted lift rests on, and how far to trust it: the shape of the overlap
// between reached and not-reached customers (computed by the estimator, aipw.ts), an E-value
// (how strong an unmeasured confounder would have to be to explain the effect away), and
// Benjamini–Hochberg q-values across every lift on the page. Pure.
import { erfc } from '../normal.ts';

export interface Overlap {
  /** The lowest and highest fitted chance of being reached among the compared. */
  propensity_range: [number, number] | null;
  /** Effective number of not-reached customers behind the comparison (Kish, of the ATT weights). */
  ess: number | null;
  /** Share of reached customers left out (nobody comparable was left unreached). */
  dropped_share: number;
}

/** E-value of a risk ratio (VanderWeele & Ding 2017): RR + √(RR(RR − 1)), on the side away from 1. */
export function eValueOfRatio(rr: number): number {
  const r = rr >= 1 ? rr : 1 / rr;
  return r + Math.sqrt(r * (r - 1));
}

export interface EValue {
  /** For the estimate itself. */
  point: number;
  /** For the interval's end nearest to no effect (1 when the interval holds no effect). */
  ci: number;
}

/**
 * The E-value of a lift. A share (retention, CSAT) uses the risk ratio against the compared
 * not-reached rate; a score or an amount (NPS, revenue) the standardized difference d through
 * RR ≈ exp(0.91·d) (VanderWeele & Ding's approximation for continuous outcomes).
 */
export function eValueOf(
  lift: number,
  ci: [number, number],
  kind: 'share' | 'continuous',
  baseline: number,
  sd: number,
): EValue | null {
  const toRatio = (difference: number) =>
    kind === 'share' ? (baseline + difference) / baseline : Math.exp((0.91 * difference) / sd);
  if (kind === 'share' ? !(baseline > 0) : !(sd > 0)) return null;
  const point = eValueOfRatio(toRatio(lift));
  const nearest = ci[0] <= 0 && ci[1] >= 0 ? 0 : Math.abs(ci[0]) < Math.abs(ci[1]) ? ci[0] : ci[1];
  return { point, ci: nearest === 0 ? 1 : eValueOfRatio(toRatio(nearest)) };
}

/** Benjamini–Hochberg adjusted p-values (q-values), in the order given; null stays null. */
export function bhQValues(pValues: Array<number | null>): Array<number | null> {
  const ranked = pValues
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null)
    .sort((a, b) => a.p - b.p);
  const m = ranked.length;
  const q: Array<number | null> = pValues.map(() => null);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    running = Math.min(running, (ranked[k]!.p * m) / (k + 1));
    q[ranked[k]!.i] = running;
  }
  return q;
}

/** Two-sided p-value of a normal z. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}
