// The bench's intervals (bench/forecastUncertainty.ts) on planted goals whose calibration is known:
// outcomes drawn with exactly the stated chance, or with a chance 15 points higher.
import { describe, expect, it } from 'vitest';
import { brierOf, eceOf, type GoalScore } from '../../bench/forecastScore.ts';
import { repsFor, uncertainty } from '../../bench/forecastUncertainty.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

/** `series` series × 3 due dates × 5 targets; a shared draw per series and due date, as a real future is. */
function planted(series: number, seed: number, lift = 0): { stated: GoalScore[]; sharp: GoalScore[] } {
  const rand = mulberry32(seed);
  const stated: GoalScore[] = [];
  const sharp: GoalScore[] = [];
  for (let s = 0; s < series; s++)
    for (const due of [6, 12, 18]) {
      const centre = rand();
      const u = rand();
      for (const step of [-0.3, -0.15, 0, 0.15, 0.3]) {
        const truth = Math.min(1, Math.max(0, centre - step));
        const met = u < Math.min(1, truth + lift);
        const g = { series: `s${s}`, origin: 36, cutoff: 0, due };
        stated.push({ ...g, p: truth, met });
        // Knows the outcome better: halfway from the stated chance to it.
        sharp.push({ ...g, p: (truth + (met ? 1 : 0)) / 2, met });
      }
    }
  return { stated, sharp };
}

describe('intervals for the forecast bench', () => {
  it('a calibrated forecaster sits inside the noise of calibration, which shrinks with more series', () => {
    const few = planted(60, 1);
    const many = planted(800, 2);
    const uFew = uncertainty({ bearing: few.stated }, 'bearing');
    const uMany = uncertainty({ bearing: many.stated }, 'bearing');
    expect(eceOf(few.stated)).toBeLessThanOrEqual(uFew.calibratedEce.p95);
    expect(eceOf(many.stated)).toBeLessThanOrEqual(uMany.calibratedEce.p95);
    expect(uMany.calibratedEce.mean).toBeLessThan(uFew.calibratedEce.mean / 2);
    expect(uFew.calibratedEce.mean).toBeGreaterThan(0.02);
    // The interval holds the figure it is around.
    expect(uFew.ece.bearing!.low).toBeLessThanOrEqual(eceOf(few.stated));
    expect(uFew.ece.bearing!.high).toBeGreaterThanOrEqual(eceOf(few.stated));
  });

  it('a forecaster 15 points too low is told apart from chance', () => {
    const { stated } = planted(300, 3, 0.15);
    const u = uncertainty({ bearing: stated }, 'bearing');
    expect(eceOf(stated)).toBeGreaterThan(0.08);
    expect(u.ece.bearing!.low).toBeGreaterThan(u.calibratedEce.p95);
  });

  it('the Brier difference is paired: zero against itself, and a better peer is found better', () => {
    const { stated, sharp } = planted(200, 4);
    const u = uncertainty({ bearing: stated, same: stated.map((g) => ({ ...g })), sharp }, 'bearing');
    expect(u.brierDifference.same).toEqual({ value: 0, low: 0, high: 0 });
    expect(u.brierDifference.sharp!.value).toBeCloseTo(brierOf(stated) - brierOf(sharp), 12);
    expect(u.brierDifference.sharp!.low).toBeGreaterThan(0);
    expect(u.brier.sharp!.high).toBeLessThan(u.brier.bearing!.high);
  });

  it("a set of M4's size is resampled fewer times (never under 200), and says how many", () => {
    // The shipped sets (11,505 and 5,490 goals) keep 1,000; M4's 48,000 series × 15 goals get 200.
    expect([repsFor(11_505), repsFor(100_000), repsFor(250_000), repsFor(720_000)]).toEqual([1000, 1000, 400, 200]);
    const { stated } = planted(40, 5);
    const seen: number[] = [];
    const u = uncertainty({ bearing: stated }, 'bearing', (done, of) => {
      expect(of).toBe(2000);
      seen.push(done);
    });
    expect(u.resamples).toBe(1000);
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
