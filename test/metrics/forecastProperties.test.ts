// Properties the heading's one forecast must keep on any series a user may bring (issue #26): every
// figure finite and inside the metric's domain, the band around the median, a chance that falls as
// the target rises, and a forecast that does not depend on the unit the series is written in (cents
// or dollars, thousands or units). Series are drawn by fast-check: lengths 3–100, zeros, trends,
// a jump at the end, scales from 10⁻⁶ to 10⁹, any first month.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainOf, forecastModel, type SeriesPoint } from '../../metrics/heading/forecast.ts';

const SHAPES = ['as is', 'zeros', 'trend', 'jump'] as const;

/** Values in (0, 1] shaped as drawn: most months 0, a slope, or the last two five times higher. */
function shaped(values: number[], shape: (typeof SHAPES)[number]): number[] {
  return values.map((x, i) => {
    if (shape === 'zeros') return x < 0.3 ? 0 : x;
    if (shape === 'trend') return x * 0.2 + i * 0.01;
    if (shape === 'jump' && i > values.length - 3) return x * 5;
    return x;
  });
}

const points = (values: number[], startMonth: number): SeriesPoint[] =>
  values.map((v, i) => ({ t: i - (values.length - 1), v, month: ((startMonth - 1 + i) % 12) + 1 }));

const series = fc.record({
  values: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 100 }),
  shape: fc.constantFrom(...SHAPES),
  startMonth: fc.integer({ min: 1, max: 12 }),
});

const HORIZONS = [1, 6, 12, 18, 30];

describe('the forecast on any series (properties)', () => {
  it('keeps figures finite and in their domain, the band around the median, the chance falling with the target', () => {
    const units = ['ratio', 'percent', 'score', 'currency', 'count', 'number'] as const;
    fc.assert(
      fc.property(series, fc.constantFrom(...units), ({ values, shape, startMonth }, unit) => {
        const domain = domainOf(unit);
        // Each unit's own range: a ratio in [0, 1], a percent in [0, 100], a score across ±75.
        const scale = { ratio: 1, percent: 100, score: 150, currency: 1e6, count: 40, number: 1 }[unit];
        const shift = unit === 'score' ? -75 : 0;
        const v = shaped(values, shape).map((x) => Math.min(domain.max ?? Infinity, x * scale + shift));
        const model = forecastModel(points(v, startMonth), domain);
        expect(Number.isFinite(model.level)).toBe(true);
        const span = Math.max(...v) - Math.min(...v) || Math.abs(v.at(-1)!) || 1;
        for (const h of HORIZONS) {
          const { value, low, high } = model.at(h);
          for (const x of [value, low, high]) expect(Number.isFinite(x)).toBe(true);
          const slack = 1e-9 * (Math.abs(value) + span);
          expect(low).toBeLessThanOrEqual(value + slack);
          expect(value).toBeLessThanOrEqual(high + slack);
          if (domain.min !== undefined) expect(low).toBeGreaterThanOrEqual(domain.min);
          if (domain.max !== undefined) expect(high).toBeLessThanOrEqual(domain.max);
          let up = 1;
          let down = 0;
          for (const k of [-2, -0.5, -0.1, 0, 0.1, 0.5, 2]) {
            const target = v.at(-1)! + k * span;
            const pUp = model.probability(h, target, 'up');
            const pDown = model.probability(h, target, 'down');
            for (const p of [pUp, pDown]) expect(p >= 0 && p <= 1, `${p}`).toBe(true);
            expect(pUp).toBeLessThanOrEqual(up + 1e-12);
            expect(pDown).toBeGreaterThanOrEqual(down - 1e-12);
            [up, down] = [pUp, pDown];
          }
        }
      }),
      { numRuns: 300, seed: 26 },
    );
  });

  it('reads the same series in any unit alike: figures scale with it, chances do not move', () => {
    fc.assert(
      fc.property(
        series,
        fc.constantFrom('currency', 'count', 'number'),
        fc.constantFrom(1e-6, 0.37, 100, 1e9),
        ({ values, shape, startMonth }, unit, c) => {
          const v = shaped(values, shape);
          fc.pre(Math.max(...v) > 0);
          const one = forecastModel(points(v, startMonth), domainOf(unit));
          const scaled = forecastModel(
            points(
              v.map((x) => x * c),
              startMonth,
            ),
            domainOf(unit),
          );
          const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(b), 1e-9 * Math.max(...v));
          for (const h of HORIZONS) {
            const [a, b] = [one.at(h), scaled.at(h)];
            for (const k of ['value', 'low', 'high'] as const) expect(near(b[k] / c, a[k]), `${k} at ${h}`).toBe(true);
            for (const q of [0.5, 1, 1.5]) {
              const target = (v.at(-1)! || 0.5) * q;
              const up = one.probability(h, target, 'up');
              expect(scaled.probability(h, target * c, 'up')).toBeCloseTo(up, 6);
              // No point mass where the band has width: at least the target or at most it, never both.
              if (a.high > a.low) expect(up + one.probability(h, target, 'down')).toBeCloseTo(1, 9);
            }
          }
        },
      ),
      { numRuns: 300, seed: 27 },
    );
  });
});
