// Does the month of the year matter for this metric? Tested on the whole history (at least two
// years), after removing the trend: a permutation test of the between-month variance. When it
// matters, the month effects are removed before the heading is measured and added back to the
// projection; when it does not, the result says so with its p-value.
import { seasonalityWords } from '../words/heading.ts';
import { mulberry32 } from './random.ts';
import { seasonalTheilSen, type Point } from './trend.ts';
import type { Seasonality } from './types.ts';

export const MIN_SEASONAL_PERIODS = 24;
const PERMUTATIONS = 199;

/** Σ over months of (sum of the month's residuals)² / its count: months 1–12, in that order. */
function betweenMonthVariance(
  residuals: number[],
  months: ArrayLike<number>,
  sums: Float64Array,
  counts: Float64Array,
): number {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < residuals.length; i++) {
    const m = months[i]!;
    sums[m]! += residuals[i]!;
    counts[m]!++;
  }
  let total = 0;
  for (let m = 0; m < sums.length; m++) if (counts[m]) total += (sums[m]! * sums[m]!) / counts[m]!;
  return total;
}

export function testSeasonality(points: Array<Point & { month: number }>): Seasonality {
  if (points.length < MIN_SEASONAL_PERIODS) {
    return {
      tested: false,
      p_value: null,
      adjusted: false,
      effects: null,
      note: seasonalityWords.untested(MIN_SEASONAL_PERIODS, points.length),
    };
  }
  const trend = seasonalTheilSen(points);
  const residuals = points.map((p) => p.v - (trend.intercept + trend.slope * p.t));
  const months = points.map((p) => p.month);
  // Scratch for the 199 permutations (months are 1–12).
  const sums = new Float64Array(13);
  const counts = new Float64Array(13);
  const observed = betweenMonthVariance(residuals, months, sums, counts);
  const rand = mulberry32(points.length * 7919);
  let atLeast = 0;
  const shuffled = Int32Array.from(months);
  for (let k = 0; k < PERMUTATIONS; k++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const swap = shuffled[i]!;
      shuffled[i] = shuffled[j]!;
      shuffled[j] = swap;
    }
    // A tie counts as at least as large: a shuffle that swaps two whole months gives the same value,
    // up to the order its terms were added in.
    if (betweenMonthVariance(residuals, shuffled, sums, counts) >= observed * (1 - 1e-12)) atLeast++;
  }
  const p = (atLeast + 1) / (PERMUTATIONS + 1);
  if (p >= 0.05) {
    return {
      tested: true,
      p_value: p,
      adjusted: false,
      effects: null,
      note: seasonalityWords.notSeasonal(p),
    };
  }
  const effects: Record<number, number> = {};
  for (let m = 1; m <= 12; m++) {
    const own = residuals.filter((_, i) => months[i] === m);
    effects[m] = own.length ? own.reduce((a, b) => a + b, 0) / own.length : 0;
  }
  const mean = Object.values(effects).reduce((a, b) => a + b, 0) / 12;
  for (let m = 1; m <= 12; m++) effects[m] = effects[m]! - mean;
  return {
    tested: true,
    p_value: p,
    adjusted: true,
    effects,
    note: seasonalityWords.seasonal(p),
  };
}
