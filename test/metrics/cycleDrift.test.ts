// The forecast's yearly cycle: read from recent years, and scored in the past as it would have been
// read then. Planted series with a known cycle; the real-series figures are in docs/heading.md.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnsemble } from '../../metrics/heading/ensemble.ts';
import { forecastModel } from '../../metrics/heading/forecast.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import { dampedTrend, ses, straightTrend, theta } from '../../metrics/heading/smoothing.ts';

describe('the yearly cycle behind the forecast', () => {
  // The past origins are scored by the same forecasters re-run on the series as it was adjusted
  // then: re-run on the very series they were fitted on, they must give the same forecasts from its
  // last point (a re-run keeps only its end state), and a re-run of a re-run keeps the same weights.
  it('a forecaster re-run with its own smoothing weights on its own series forecasts the same', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 8, maxLength: 60 }), (y) => {
        const last = y.length - 1;
        const prefix = y.slice(0, 6);
        for (const s of [ses(y), theta(y), dampedTrend(y), straightTrend(y, 24)]) {
          const again = s.rerun([...y]);
          for (const h of [1, 5, 12]) {
            expect(again.forecast(last, h)).toBeCloseTo(s.forecast(last, h), 9);
            expect(again.rerun(prefix).forecast(5, h)).toBe(s.rerun(prefix).forecast(5, h));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  // Twenty years in which December's lift grows steadily from nothing to +30% (0.26 on the log
  // scale). Next December is 0.27 above the rest; the whole history's average December is about 0.13
  // above (half the lift short), the last nine years' about 0.20. The forecast must land nearer the
  // recent years' cycle than the whole history's (it missed by 0.091 on average with the whole history).
  it('reads a drifting cycle from recent years, not the whole history', () => {
    const n = 240;
    const lift = (t: number) => (0.26 * t) / n;
    const misses: number[] = [];
    for (let k = 0; k < 50; k++) {
      const r = mulberry32(7 + k);
      const y: number[] = [];
      const months: number[] = [];
      for (let t = 0; t < n; t++) {
        y.push(Math.exp(4 + (t % 12 === 11 ? lift(t) : 0) + 0.03 * normal(r)));
        months.push((t % 12) + 1);
      }
      const e = buildEnsemble(y, months, { log: true });
      // The history ends in a December: 12 months on is the next (month index n + 11).
      misses.push(Math.log(e.median(12)) - (4 + lift(n + 11)));
    }
    const mean = misses.reduce((a, b) => a + b, 0) / misses.length;
    expect(mean).toBeLessThan(0);
    expect(mean).toBeGreaterThan(-0.075);
  });

  it('names the years the cycle was read from: all of a short history, the last nine of a long one', () => {
    const noteOf = (years: number) => {
      const r = mulberry32(years);
      const history = Array.from({ length: years * 12 }, (_, t) => ({
        t: t - years * 12 + 1,
        v: 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + normal(r),
        month: (t % 12) + 1,
      }));
      return forecastModel(history, { min: 0 }).notes.find((n) => n.startsWith('month-of-year'));
    };
    expect(noteOf(5)).toContain('from the last 5 years of history');
    expect(noteOf(20)).toContain('from the last 9 years of history');
  });
});
