// The changepoint trend (metrics/mix/changepoints.ts): Prophet's piecewise-linear trend with a
// Laplace prior on each change of slope. It follows a slope change the data insist on, keeps a
// straight line straight, and goes on past the weeks fitted at the last slope.
import { describe, expect, it } from 'vitest';
import { changepointTrend } from '../../metrics/mix/changepoints.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';

const noisy = (f: (t: number) => number, n: number, sd: number, seed = 1) => {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, t) => f(t) + sd * normal(rand));
};

describe('the changepoint trend', () => {
  it('follows a ramp that stops (flat after week 20) and carries the last slope past the data', () => {
    const kpi = noisy((t) => 1000 + 20 * Math.min(t, 20), 104, 5);
    // No yearly cycle beside it: over two years a cycle and a ramp can trade shapes (the model refits both).
    const { values: trend, changes } = changepointTrend(kpi, 104, 120, 52.18, 0);
    expect(changes).toBeGreaterThan(0);
    expect(trend).toHaveLength(120);
    // Early: climbing about 20 a week; late: flat (within a few units a week).
    expect((trend[15]! - trend[5]!) / 10).toBeGreaterThan(14);
    expect(Math.abs((trend[100]! - trend[60]!) / 40)).toBeLessThan(1.5);
    expect(Math.abs(trend[103]! - 1400)).toBeLessThan(25);
    // Past the data: the last slope, held.
    expect(trend[119]! - trend[110]!).toBeCloseTo((trend[103]! - trend[94]!) * 1, 0);
  });

  it('keeps a straight line straight: no change of slope survives its prior', () => {
    const kpi = noisy((t) => 500 + 3 * t, 104, 10, 7);
    const { values: trend, changes } = changepointTrend(kpi, 104, 104, 52.18, 2);
    expect(changes).toBe(0);
    const second = trend.slice(2).map((v, i) => v - 2 * trend[i + 1]! + trend[i]!);
    expect(Math.max(...second.map(Math.abs))).toBeLessThan(0.3);
    expect((trend[103]! - trend[0]!) / 103).toBeCloseTo(3, 0);
  });

  it('reads only the weeks it is given (a held-out window cannot leak into it)', () => {
    const kpi = noisy((t) => 1000 + (t >= 80 ? 50 * (t - 80) : 0), 104, 5, 3);
    const fitted = changepointTrend(kpi, 78, 104, 52.18, 2).values;
    const same = changepointTrend(
      [...kpi.slice(0, 78), ...Array.from({ length: 26 }, () => 0)],
      78,
      104,
      52.18,
      2,
    ).values;
    expect(fitted).toEqual(same);
  });
});
