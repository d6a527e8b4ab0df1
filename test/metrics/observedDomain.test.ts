// A unit's domain bounds the forecast (money never below zero), unless the metric's own history has
// already crossed that edge: a net-of-refunds or margin series that went negative is forecast as it
// moves, not held at zero.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';

/** 48 months ending Oct 2026: a level drifting down from `start` by `slope` a month, with noise. */
function history(start: number, slope: number, seed: number) {
  const r = mulberry32(seed);
  return Array.from({ length: 48 }, (_, i) => {
    const index = 2026 * 12 + 9 - (47 - i);
    const period = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
    return { period, value: start + slope * i + 40 * normal(r), n: 500 };
  });
}

const goal = { target: 100, due: '2027-10-31', direction: 'up' as const, unit: 'currency' as const };

describe("the forecast's domain", () => {
  it('a currency series that went below zero is forecast below zero; one that never did stays at or above it', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const crossed = assessGoal(goal, history(300, -10, seed), '2026-10-31');
      // The series ends near −170 and still falls: the due month's forecast is well below zero.
      expect(crossed.forecast!.interval[0], `seed ${seed}`).toBeLessThan(-100);
      expect(crossed.forecast!.value, `seed ${seed}`).toBeLessThan(0);
      const above = history(1000, -5, seed);
      expect(Math.min(...above.map((p) => p.value))).toBeGreaterThan(0);
      const positive = assessGoal(goal, above, '2026-10-31');
      expect(positive.forecast!.interval[0], `seed ${seed}`).toBeGreaterThanOrEqual(0);
    }
  });
});
