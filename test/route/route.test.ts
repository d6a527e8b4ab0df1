// The route's arithmetic on planted worlds where a channel's effect is known: a cohort metric (the
// share of a month's new customers retained), a channel reaching some of them, extra spend reaching
// more with the diminishing returns the route assumes. The lift the route is given is an estimate
// (truth plus the noise of a comparison of that size); the plan's promised chance is checked against
// the true chance, computed by drawing the due month's cohort under the plan.
import { describe, expect, it } from 'vitest';
import { normal, mulberry32 } from '../../metrics/heading/random.ts';
import { normalCdf, Z95 } from '../../metrics/normal.ts';
import { ELASTICITY, moveOf, planRoute, probabilityAfter, type RouteInput } from '../../metrics/route/route.ts';

const COHORT = 2000;
const BASE_RATE = 0.85;
const REACHED = 400; // a month, for 20,000 a month
const SPEND = 20_000;
const LIFT = 0.06;
const TARGET = 0.868;

/** The true chance the due month's cohort meets the target when `extra` more is spent that month. */
function trueChance(extra: number, rand: () => number, draws = 3000): number {
  const reached = Math.min(COHORT, REACHED * (1 + extra / SPEND) ** ELASTICITY);
  let met = 0;
  for (let d = 0; d < draws; d++) {
    // Retained: binomial by its normal approximation, the reached at the lifted rate.
    const a = reached * (BASE_RATE + LIFT);
    const b = (COHORT - reached) * BASE_RATE;
    const sd = Math.sqrt(
      reached * (BASE_RATE + LIFT) * (1 - BASE_RATE - LIFT) + (COHORT - reached) * BASE_RATE * (1 - BASE_RATE),
    );
    if ((a + b + sd * normal(rand)) / COHORT >= TARGET) met++;
  }
  return met / draws;
}

function worldInput(seed: number): { input: RouteInput; rand: () => number } {
  const rand = mulberry32(seed);
  // Today's forecast of the due month: the same cohort with today's reach.
  const now = REACHED * (BASE_RATE + LIFT) + (COHORT - REACHED) * BASE_RATE;
  const sd =
    Math.sqrt(
      REACHED * (BASE_RATE + LIFT) * (1 - BASE_RATE - LIFT) + (COHORT - REACHED) * BASE_RATE * (1 - BASE_RATE),
    ) / COHORT;
  const value = now / COHORT;
  // The lift as a comparison of 12 months of reached customers would estimate it.
  const se = Math.sqrt(
    (BASE_RATE * (1 - BASE_RATE)) / (12 * REACHED) + (BASE_RATE * (1 - BASE_RATE)) / (12 * (COHORT - REACHED)),
  );
  const lift = LIFT + se * normal(rand);
  return {
    rand,
    input: {
      probability_now: 1 - normalCdf((TARGET - value) / sd),
      value_at_due: value,
      interval_at_due: [value - Z95 * sd, value + Z95 * sd],
      target: TARGET,
      direction: 'up',
      months: 6,
      kind: 'cohort',
      base: COHORT,
      levers: [
        {
          channel: 'events',
          lift,
          lift_ci: [lift - Z95 * se, lift + Z95 * se],
          spend_per_month: SPEND,
          reached_per_month: REACHED,
        },
        // A channel with no effect: never a lever.
        { channel: 'display', lift: 0.001, lift_ci: [-0.02, 0.022], spend_per_month: 10_000, reached_per_month: 300 },
      ],
      max_extra_per_month: 200_000,
    },
  };
}

describe('the route back on planted worlds', () => {
  it('at no extra spend the chance is the heading’s own', () => {
    const { input } = worldInput(1);
    expect(probabilityAfter(input, 0)).toBeCloseTo(input.probability_now, 6);
  });

  it('its plan’s chance is the true chance in the planted world: mean error < 0.05, range covers it ≥ 90%', () => {
    const seeds = Array.from({ length: 30 }, (_, i) => 100 + i);
    let covered = 0;
    let error = 0;
    for (const seed of seeds) {
      const { input, rand } = worldInput(seed);
      const { levers, plans } = planRoute(input);
      expect(levers.find((l) => l.channel === 'display')!.helps).toBe(false);
      const plan = plans[0]!;
      expect(plan.moves.map((m) => m.channel)).toEqual(['events']);
      const truth = trueChance(plan.extra_spend, rand);
      error += Math.abs(plan.probability_after - truth);
      // The promised range, widened by the Monte Carlo error of the truth itself.
      if (truth >= plan.probability_after_ci[0] - 0.02 && truth <= plan.probability_after_ci[1] + 0.02) covered++;
      // And the plan really lifts the chance from where it was.
      expect(truth).toBeGreaterThan(input.probability_now + 0.2);
    }
    expect(error / seeds.length).toBeLessThan(0.05);
    expect(covered / seeds.length).toBeGreaterThanOrEqual(0.9);
  });

  it('spends the least that reaches on course, and says when the limit cannot', () => {
    const { input } = worldInput(7);
    const [plan] = planRoute(input).plans;
    expect(plan!.reaches_on_course).toBe(true);
    expect(plan!.probability_after).toBeGreaterThanOrEqual(0.7);
    // A thousand less would not have reached it.
    expect(probabilityAfter(input, moveOf(input, input.levers[0]!, plan!.extra_spend - 1000))).toBeLessThan(0.7);
    const tight = planRoute({ ...input, max_extra_per_month: 1000 }).plans[0]!;
    expect(tight.reaches_on_course).toBe(false);
    expect(tight.extra_spend).toBe(1000);
  });
});
