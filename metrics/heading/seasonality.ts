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

function betweenMonthVariance(residuals: number[], months: number[]): number {
  const sums = new Map<number, { s: number; n: number }>();
  residuals.forEach((r, i) => {
    const m = sums.get(months[i]!) ?? { s: 0, n: 0 };
    m.s += r;
    m.n += 1;
    sums.set(months[i]!, m);
  });
  let total = 0;
  for (const { s, n } of sums.values()) total += (s * s) / n;
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
  const observed = betweenMonthVariance(residuals, months);
  const rand = mulberry32(points.length * 7919);
  let atLeast = 0;
  const shuffled = [...months];
  for (let k = 0; k < PERMUTATIONS; k++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    if (betweenMonthVariance(residuals, shuffled) >= observed) atLeast++;
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
