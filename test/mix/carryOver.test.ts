// Delayed carry-over: its weights and steady state, and the model choosing it by forecasting
// held-out windows, on planted worlds where TV's effect peaks two weeks after it airs and on the
// standard ones where it does not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMixModel } from '../../metrics/mix/model.ts';
import { adstock, carryMultiplier } from '../../metrics/mix/transform.ts';
import { DELAYED_TV, plantMix } from './plantedMix.ts';

describe('carry-over shapes', () => {
  it('a steady weekly spend settles at spend × the carry-over multiplier, geometric or delayed', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (theta, delay, spend) => {
          const settled = adstock(Array(200).fill(spend), theta, delay).at(-1)!;
          expect(settled).toBeCloseTo(spend * carryMultiplier({ theta, delay }), 6);
        },
      ),
    );
  });

  it('a delayed carry-over peaks `delay` weeks after a single week of spend', () => {
    const pulse = [100, ...Array(15).fill(0)];
    for (const delay of [1, 2, 3]) {
      const a = adstock(pulse, 0.5, delay);
      expect(a.indexOf(Math.max(...a))).toBe(delay);
    }
    const geometric = adstock(pulse, 0.5);
    expect(geometric.indexOf(Math.max(...geometric))).toBe(0);
  });
});

describe('delayed carry-over chosen by forecasting held-out windows', () => {
  it('is chosen, and read, when TV peaks two weeks after airing; never on the standard worlds', () => {
    let covered = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const { input, roi } = plantMix(seed, 156, 600, 52.18, DELAYED_TV);
      const m = fitMixModel(input, { seed: 1, draws: 40 });
      expect(m.fit.carry_over, `seed ${seed}`).toBe('delayed');
      expect(m.fit.carry_over_cv.delayed!).toBeLessThan(0.98 * m.fit.carry_over_cv.geometric!);
      const tv = m.channels.find((c) => c.channel === 'tv')!;
      expect(tv.adstock!.delay, `seed ${seed}`).toBeGreaterThan(0);
      if (tv.roi_ci![0] <= roi.tv! && roi.tv! <= tv.roi_ci![1]) covered++;
      const standard = fitMixModel(plantMix(seed).input, { seed: 1, draws: 20 });
      expect(standard.fit.carry_over, `seed ${seed}`).toBe('geometric');
      expect(standard.channels.every((c) => c.adstock!.delay === 0)).toBe(true);
    }
    expect(covered).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
