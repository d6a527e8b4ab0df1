// The scale a series is read on (metrics/heading/scales.ts): the log scale for quantities that
// cannot go below zero, and for one spanning more than a hundredfold a tenth of the chance from its
// own scale. The mixture must stay one distribution (its median and band solve its own chances), and
// it must do what it is for: on series near zero in some months and in the hundreds in others, with
// noise that does not shrink with the level, the log scale's band alone misses more than 5% of months.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnsemble } from '../../metrics/heading/ensemble.ts';
import { forecastModel, type SeriesPoint } from '../../metrics/heading/forecast.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import { mixture, scaledEnsemble } from '../../metrics/heading/scales.ts';

const monthsOf = (n: number, start = 1) => Array.from({ length: n }, (_, i) => ((start - 1 + i) % 12) + 1);
const points = (values: number[]): SeriesPoint[] =>
  values.map((v, i) => ({ t: i - (values.length - 1), v, month: (i % 12) + 1 }));

describe('the mixture of two scales', () => {
  it('is one distribution: its quantiles solve its chances, in order, between its parts', () => {
    const wide = fc.array(fc.double({ min: -6, max: 2, noNaN: true }), { minLength: 8, maxLength: 60 });
    fc.assert(
      fc.property(wide, fc.integer({ min: 1, max: 12 }), fc.double({ min: 0.05, max: 0.95 }), (logs, start, s) => {
        const values = logs.map(Math.exp);
        // A series that never moved is a certainty (a step, not a distribution to invert).
        fc.pre(values.some((v) => v !== values[0]));
        const months = monthsOf(values.length, start);
        const a = buildEnsemble(values, months, { log: true, horizons: 18 });
        const b = buildEnsemble(values, months, { log: false, horizons: 18 });
        const m = mixture(a, b, s);
        for (const h of [1, 6, 18]) {
          let prev = Number.NEGATIVE_INFINITY;
          for (const q of [0.025, 0.25, 0.5, 0.75, 0.975]) {
            const x = m.quantile(h, q);
            expect(Number.isFinite(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(prev);
            prev = x;
            const [qa, qb] = [a.quantile(h, q), b.quantile(h, q)];
            // x is where the mixture's chances pass q (to a billionth of the parts' spread: it may be steep there).
            const tol = 1e-9 * Math.max(Math.abs(x), Math.abs(qa), Math.abs(qb));
            expect(m.cdf(h, x - tol)).toBeLessThanOrEqual(q + 1e-6);
            expect(m.cdf(h, x + tol)).toBeGreaterThanOrEqual(q - 1e-6);
            expect(x).toBeGreaterThanOrEqual(Math.min(qa, qb) - 1e-9 * Math.abs(x));
            expect(x).toBeLessThanOrEqual(Math.max(qa, qb) + 1e-9 * Math.abs(x));
          }
          expect(m.median(h)).toBe(m.quantile(h, 0.5));
          expect(m.atLeast(h, prev) + m.cdf(h, prev)).toBeCloseTo(1, 9);
        }
        expect(m.models.reduce((sum, x) => sum + x.weight, 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: 25, seed: 26, endOnFailure: true },
    );
  });

  it('is used only past a hundredfold, only where the log scale is', () => {
    const months = monthsOf(36);
    const narrow = months.map((_, i) => 10 + (i % 12) * 80); // 10 to 890: 89 times
    const wide = narrow.map((v, i) => (i % 12 === 0 ? 2 : v)); // 2 to 890: 445 times
    expect(scaledEnsemble(narrow, months, { positive: true, horizons: 18 }).scale).toBe('log');
    expect(scaledEnsemble(wide, months, { positive: true, horizons: 18 }).scale).toBe('mixed');
    expect(scaledEnsemble(wide, months, { positive: false, horizons: 18 }).scale).toBe('raw');
    expect(scaledEnsemble([0, ...wide.slice(1)], months, { positive: true, horizons: 18 }).scale).toBe('raw');
    const fm = forecastModel(points(wide), { min: 0 });
    expect(fm.notes.join(' ')).toContain('spans 445 times from its lowest month to its highest');
    expect(fm.models.filter((m) => m.name.endsWith('on its own scale')).length).toBeGreaterThan(0);
    expect(fm.models.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 9);
  });
});

/**
 * Six years of a strong yearly cycle (its low months 1/e⁵ of its peak) on a level that wanders by
 * 3% a month, plus noise of 10 that does not shrink with the level, never below 1; then 18 months on.
 */
function seasonalAdditive(rand: () => number): number[] {
  let level = 300 + 300 * rand();
  const phase = Math.floor(rand() * 12);
  return Array.from({ length: 90 }, (_, t) => {
    level *= Math.exp(0.03 * normal(rand));
    const cycle = Math.exp(2.5 * (Math.cos((2 * Math.PI * (t - phase)) / 12) - 1));
    return Math.max(1, level * cycle + 10 * normal(rand));
  });
}

describe('series that span more than a hundredfold (planted)', () => {
  it('the mixed band holds at least 93% of months where the log scale alone held under 94%', () => {
    const rand = mulberry32(11);
    let [mixedIn, logIn, months] = [0, 0, 0];
    for (let s = 0; s < 80; s++) {
      const v = seasonalAdditive(rand);
      const [history, future] = [v.slice(0, 72), v.slice(72)];
      const fm = forecastModel(points(history), { min: 0 });
      expect(fm.notes.join(' ')).toContain('of the chance from its own scale');
      const onLog = buildEnsemble(history, monthsOf(72), { log: true, horizons: 24 });
      future.forEach((y, i) => {
        const { low, high } = fm.at(i + 1);
        mixedIn += Number(y >= low && y <= high);
        logIn += Number(y >= onLog.quantile(i + 1, 0.025) && y <= onLog.quantile(i + 1, 0.975));
        months++;
      });
    }
    // Measured: 98.5% against 92.4% (Theta alone 91.7%; docs/heading.md). Here the mixture errs wide.
    expect(logIn / months).toBeLessThan(0.94);
    expect(mixedIn / months).toBeGreaterThanOrEqual(0.93);
  });
});
