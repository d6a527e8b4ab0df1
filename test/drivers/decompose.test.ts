// The drivers' split and its noise bound, on planted worlds where what moved is known.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decompose, type GroupPoint, splitChange } from '../../metrics/drivers/decompose.ts';
import { normalQuantile, studentQuantile } from '../../metrics/drivers/quantiles.ts';
import { BASE_WORLD, drawWorld } from './driverWorlds.ts';

const SEEDS = Array.from({ length: 60 }, (_, i) => 1000 + i);

describe('the split of a change', () => {
  const group = fc.record({
    value: fc.double({ min: -1000, max: 1000, noNaN: true }),
    weight: fc.integer({ min: 1, max: 5000 }),
  });
  const period = fc.array(group, { minLength: 1, maxLength: 6 });

  it('sums exactly to the change, for totals and for weighted means, whatever groups come and go', () => {
    fc.assert(
      fc.property(period, period, fc.boolean(), (a, b, mean) => {
        const named = (xs: typeof a, offset: number): GroupPoint[] =>
          xs.map((x, i) => ({ group: `g${i + offset}`, ...x }));
        // The second window may lose a group and gain another.
        const periods = [named(a, 0), named(b, 1)];
        const whole = (ps: GroupPoint[]) => {
          const w = ps.reduce((s, p) => s + p.weight, 0);
          return mean ? ps.reduce((s, p) => s + p.value! * p.weight, 0) / w : ps.reduce((s, p) => s + p.value!, 0);
        };
        const kind = mean ? 'mean' : 'sum';
        const parts = splitChange({ dimension: 'd', periods }, { base: [0], current: [1] }, kind);
        const sum = parts.reduce((s, p) => s + p.contribution, 0);
        const change = whole(periods[1]!) - whole(periods[0]!);
        expect(Math.abs(sum - change)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(change), ...a.map((x) => Math.abs(x.value))),
        );
      }),
    );
  });

  it('reads a pure mix change as mix and a pure rate change as rate', () => {
    const mix = splitChange(
      {
        dimension: 'segment',
        periods: [
          [
            { group: 'a', value: 0.5, weight: 500 },
            { group: 'b', value: 0.9, weight: 500 },
          ],
          [
            { group: 'a', value: 0.5, weight: 800 },
            { group: 'b', value: 0.9, weight: 200 },
          ],
        ],
      },
      { base: [0], current: [1] },
      'mean',
    );
    // The whole moved from 0.70 to 0.58: all of it through the shares, none through the rates.
    expect(mix.filter((c) => c.kind === 'rate').every((c) => c.contribution === 0)).toBe(true);
    expect(mix.filter((c) => c.kind === 'mix').reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(-0.12, 12);
  });
});

describe('quantiles', () => {
  it('match published tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    // Student's t from standard tables.
    expect(studentQuantile(0.975, 5)).toBeCloseTo(2.5706, 2);
    expect(studentQuantile(0.995, 10)).toBeCloseTo(3.1693, 2);
    expect(studentQuantile(0.9995, 20)).toBeCloseTo(3.8495, 2);
  });
});

describe('drivers on planted worlds (60 seeds each)', () => {
  it('names a rate change planted in one segment as the top driver, a rate driver, in ≥ 95% of seeds', () => {
    let named = 0;
    for (const seed of SEEDS) {
      const w = drawWorld({ ...BASE_WORLD, plant: { segment: 'smb', delta: -0.1 } }, seed);
      const r = decompose(w.rate.totals, w.rate.dims, w.lastPair, 'mean')!;
      const top = r.contributions.find((c) => c.driver);
      if (top?.dimension === 'segment' && top.value === 'smb' && top.kind === 'rate') named++;
    }
    expect(named / SEEDS.length).toBeGreaterThanOrEqual(0.95);
  });

  it('names a pure mix change (a segment growing, no rate moving) as mix in ≥ 95% of seeds', () => {
    let named = 0;
    let rateDrivers = 0;
    for (const seed of SEEDS) {
      const w = drawWorld({ ...BASE_WORLD, plant: { segment: 'smb', share: 0.7 } }, seed);
      const r = decompose(w.rate.totals, w.rate.dims, w.lastPair, 'mean')!;
      const drivers = r.contributions.filter((c) => c.driver);
      if (drivers[0]?.dimension === 'segment' && drivers[0].kind === 'mix') named++;
      // The regions' own rates did move (each region now holds more smb customers); the segments' did not.
      if (drivers.some((c) => c.kind === 'rate' && c.dimension === 'segment')) rateDrivers++;
    }
    expect(named / SEEDS.length).toBeGreaterThanOrEqual(0.95);
    expect(rateDrivers / SEEDS.length).toBeLessThanOrEqual(0.1);
  });

  it('names no driver when only noise moved, in ≥ 90% of seeds, for a rate and for a total', () => {
    let quietRate = 0;
    let quietTotal = 0;
    for (const seed of SEEDS) {
      const w = drawWorld(BASE_WORLD, seed);
      if (!decompose(w.rate.totals, w.rate.dims, w.lastPair, 'mean')!.contributions.some((c) => c.driver)) quietRate++;
      if (!decompose(w.spend.totals, w.spend.dims, w.lastPair, 'sum')!.contributions.some((c) => c.driver))
        quietTotal++;
    }
    expect(quietRate / SEEDS.length).toBeGreaterThanOrEqual(0.9);
    expect(quietTotal / SEEDS.length).toBeGreaterThanOrEqual(0.9);
  });

  it('names no driver, and gives no interval, with fewer than six earlier comparisons', () => {
    const w = drawWorld({ ...BASE_WORLD, months: 6, plant: { segment: 'smb', delta: -0.3 } }, 7);
    const r = decompose(w.rate.totals, w.rate.dims, w.lastPair, 'mean')!;
    expect(r.placebos).toBe(4);
    expect(r.threshold).toBeNull();
    expect(r.contributions.every((c) => !c.driver && c.contribution_ci === null)).toBe(true);
  });
});
