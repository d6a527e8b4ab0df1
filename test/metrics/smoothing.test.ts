// The simple forecasters the heading's forecast combines choose their smoothing weights from the
// data. Until 2026-12-06 simple exponential smoothing kept its first weight (0.02) on every series
// (a comparison with Infinity − Infinity); these worlds tell a weight near 1 from one near 0.
import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import { dampedTrend, ses } from '../../metrics/heading/smoothing.ts';

const world = (seed: number, n: number, step: (prev: number, e: number, i: number) => number, first = 10) => {
  const rand = mulberry32(seed);
  const y = [first];
  for (let i = 1; i < n; i++) y.push(step(y[i - 1]!, normal(rand), i));
  return y;
};

describe('smoothing weights chosen from the data', () => {
  it('on a random walk the level follows the last value; on noise around 10 it stays near 10', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const walk = world(seed, 60, (prev, e) => prev + e);
      const last = walk.length - 1;
      // A weight near 1: the forecast is within a tenth of a step of the last value.
      expect(Math.abs(ses(walk).forecast(last, 1) - walk[last]!)).toBeLessThan(0.35);
      const noise = world(seed, 60, (_, e) => 10 + e);
      // A small weight: the forecast is near the mean (its standard error is ~0.13), not the last draw.
      expect(Math.abs(ses(noise).forecast(last, 1) - 10)).toBeLessThan(0.6);
    }
  });

  it('a wild first month weighs less on the weight: the starting level is fitted, not taken from it', () => {
    let far = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const y = world(seed, 48, (_, e) => 10 + e, 40);
      // Started at 40, a small weight leans toward it for years, so a larger one wins and chases the
      // last draw: forecasts more than 0.6 from 10 in 111 of 200 worlds (none without the wild month).
      if (Math.abs(ses(y).forecast(y.length - 1, 1) - 10) > 0.6) far++;
    }
    // Fitted, the start still pays for the wild month's error, so it does not vanish: 60 of 200.
    expect(far).toBeLessThanOrEqual(80);
  });

  it('the damped trend reads the slope of a line, not a noisy first step', () => {
    for (let seed = 1; seed <= 20; seed++) {
      // A line rising 0.5 a month with noise of 1, whose second month jumps 6 down.
      const y = world(seed, 36, (_, e, i) => 10 + 0.5 * i + e + (i === 1 ? -6 : 0));
      const last = y.length - 1;
      const ahead = dampedTrend(y).forecast(last, 6) - dampedTrend(y).forecast(last, 1);
      // Five more months at 0.5 a month would add 2.5; damping takes some of it, a falling slope all.
      expect(ahead).toBeGreaterThan(0.5);
      expect(ahead).toBeLessThan(3.5);
    }
  });
});
