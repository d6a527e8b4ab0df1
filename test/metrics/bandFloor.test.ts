// The band is never surer than the forecasters' disagreement allows (DISAGREEMENT_FLOOR in
// metrics/heading/ensemble.ts): its 97.5% point sits at least 2 × 1.96 times their usual
// disagreement from the median. A combination's past errors can be small because its forecasters'
// errors cancelled; the floor keeps the band from trusting that.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnsemble, type Ensemble } from '../../metrics/heading/ensemble.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';

const monthsOf = (values: number[]) => values.map((_, i) => (i % 12) + 1);

/** The smallest 97.5% distance from the median over horizons 1–18, in units of the disagreement. */
function tightest(e: Ensemble): number {
  const onScale = (v: number) => (e.scale === 'log' ? Math.log(v) : v);
  let least = Number.POSITIVE_INFINITY;
  for (let h = 1; h <= 18; h++) {
    const d = e.disagreement(h);
    if (!(d > 0)) continue;
    least = Math.min(least, (onScale(e.quantile(h, 0.975)) - onScale(e.median(h))) / d);
  }
  return least;
}

/**
 * Growth slowing down, with a yearly cycle: the two-year trend runs ahead of the series, last
 * year's same month behind it, and the combination's past errors are small beside the forecasters'
 * disagreement (without the floor the band's 97.5% point sat 3.1 disagreements out).
 */
function slowingGrowth(seed: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: 96 }, (_, t) =>
    Math.exp(4 + 1.2 * Math.log(1 + t / 6) + 0.3 * Math.sin((2 * Math.PI * t) / 12) + 0.01 * normal(rand)),
  );
}

// t's 97.5% point is 1.96 at the least; the band's scale is at least twice the disagreement.
const LEAST = 2 * 1.96 * 0.999;

describe("the band's floor", () => {
  it('holds where the forecasters cancelled one another in the past', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const y = slowingGrowth(seed);
      const e = buildEnsemble(y, monthsOf(y), { log: true });
      expect(e.disagreement(6)).toBeGreaterThan(0);
      expect(tightest(e)).toBeGreaterThanOrEqual(LEAST);
    }
  });

  it('holds on any series (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 80 }),
        fc.boolean(),
        (values, log) => {
          const e = buildEnsemble(values, monthsOf(values), { log });
          expect(tightest(e)).toBeGreaterThanOrEqual(LEAST);
        },
      ),
      { numRuns: 150 },
    );
  });
});
