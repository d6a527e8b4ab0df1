// Robust trend of a short series: Theil–Sen slope with Sen's rank-based 95% interval (from the
// null distribution of Kendall's S), which a single outlying period cannot move much.
import { Z95 } from '../normal.ts';

export interface Point {
  t: number; // months
  v: number;
}

export interface Trend {
  slope: number;
  slope_ci: [number, number];
  intercept: number;
  /** Robust residual standard deviation (1.4826 × median absolute residual). */
  sigma: number;
  n: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function theilSen(points: Point[]): Trend {
  const n = points.length;
  if (n < 3) throw new RangeError('a trend needs at least 3 points');
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = points[j]!.t - points[i]!.t;
      if (dt !== 0) slopes.push((points[j]!.v - points[i]!.v) / dt);
    }
  }
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median(points.map((p) => p.v - slope * p.t));
  // Sen (1968): ranks of the ordered slopes that bound the interval.
  const N = slopes.length;
  const varS = (n * (n - 1) * (2 * n + 5)) / 18;
  const c = Z95 * Math.sqrt(varS);
  // Lower bound: the M1-th smallest slope, upper: the (M2 + 1)-th, with M1,2 = (N ∓ C) / 2; the
  // ranks are fractional: read between neighbouring slopes, centred half a rank, which measured
  // 94.9% coverage at 12 points (2,000 simulated series; test/metrics/heading.test.ts checks 500).
  const at = (rank: number) => {
    const r = Math.min(N - 1, Math.max(0, rank));
    const lo = Math.floor(r);
    return slopes[lo]! + (slopes[Math.min(N - 1, lo + 1)]! - slopes[lo]!) * (r - lo);
  };
  const lower = at((N - c) / 2 - 0.5);
  const upper = at((N + c) / 2 - 0.5);
  const residuals = points.map((p) => p.v - (intercept + slope * p.t));
  const sigma = 1.4826 * median(residuals.map(Math.abs));
  return { slope, slope_ci: [lower, upper], intercept, sigma, n };
}

/**
 * Seasonal Theil–Sen (Hirsch, Slack & Smith 1982): the median of slopes between periods of the
 * same month of the year only, so a yearly cycle cannot bias the trend.
 */
export function seasonalTheilSen(points: Array<Point & { month: number }>): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (points[i]!.month === points[j]!.month && points[j]!.t !== points[i]!.t)
        slopes.push((points[j]!.v - points[i]!.v) / (points[j]!.t - points[i]!.t));
    }
  }
  const slope = slopes.length ? median(slopes) : theilSen(points).slope;
  return { slope, intercept: median(points.map((p) => p.v - slope * p.t)) };
}
