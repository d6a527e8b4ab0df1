// The shared gap by cut-off (bench/forecastShift.ts) on planted goals whose truth is known: a shock
// that lifts every series' chance after one cut-off, and a forecaster too sure of itself everywhere.
import { describe, expect, it } from 'vitest';
import { eceOf, type GoalScore } from '../../bench/forecastScore.ts';
import { sharedShift } from '../../bench/forecastShift.ts';
import { uncertainty } from '../../bench/forecastUncertainty.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * 400 series at cut-offs 0 and 12, 3 due dates × 5 targets each, one shared draw per series, cut-off
 * and due date. The true chance is `truth`; the forecaster states `stated(truth)`; after cut-off 12
 * every series' true chance is lifted by `shock` on the log-odds scale (a period every series shares).
 */
function planted(seed: number, stated: (t: number) => number, shock: number): GoalScore[] {
  const rand = mulberry32(seed);
  const goals: GoalScore[] = [];
  for (let s = 0; s < 400; s++)
    for (const cutoff of [0, 12])
      for (const due of [6, 12, 18]) {
        const centre = 0.05 + 0.9 * rand();
        const u = rand();
        for (const step of [-0.2, -0.1, 0, 0.1, 0.2]) {
          const truth = Math.min(0.99, Math.max(0.01, centre - step));
          const real = cutoff === 12 ? logistic(logit(truth) + shock) : truth;
          goals.push({ series: `s${s}`, origin: 60 - cutoff, cutoff, due, p: stated(truth), met: u < real });
        }
      }
  return goals;
}

describe('the gap every series shares after a cut-off', () => {
  it('finds a shock at the cut-off it hit, and the chances are calibrated once it is taken out', () => {
    const goals = planted(7, (t) => t, 0.8);
    const shift = sharedShift(goals);
    const u = uncertainty({ bearing: goals }, 'bearing');
    // A lift of 0.8 on the log-odds scale moves a chance of ½ to 0.69: the gap is well over 0.1.
    expect(shift.gap['12']).toBeGreaterThan(0.1);
    expect(shift.gap['12']).toBeGreaterThan(u.calibratedGap);
    expect(Math.abs(shift.gap['0']!)).toBeLessThanOrEqual(u.calibratedGap);
    expect(eceOf(goals)).toBeGreaterThan(u.calibratedEce.p95);
    expect(shift.eceWithin).toBeLessThanOrEqual(u.calibratedEceWithin.p95);
    // Taking one number out per cut-off fits a little of the noise: the floor drops, but not by half.
    expect(u.calibratedEceWithin.mean).toBeLessThanOrEqual(u.calibratedEce.mean);
    expect(u.calibratedEceWithin.mean).toBeGreaterThan(u.calibratedEce.mean / 2);
  });

  it('leaves a forecaster too sure of itself as miscalibrated as it was', () => {
    const goals = planted(8, (t) => logistic(2 * logit(t)), 0);
    const shift = sharedShift(goals);
    const u = uncertainty({ bearing: goals }, 'bearing');
    // No period effect: each gap within twice what chance alone gives one time in 20.
    for (const g of Object.values(shift.gap)) expect(Math.abs(g)).toBeLessThanOrEqual(2 * u.calibratedGap);
    expect(shift.eceWithin).toBeGreaterThan(u.calibratedEceWithin.p95);
    expect(shift.eceWithin).toBeGreaterThan(0.8 * eceOf(goals));
  });

  it('changes nothing for a calibrated forecaster in a period like its past', () => {
    const goals = planted(9, (t) => t, 0);
    const shift = sharedShift(goals);
    expect(Math.abs(shift.eceWithin - eceOf(goals))).toBeLessThan(0.01);
  });
});
