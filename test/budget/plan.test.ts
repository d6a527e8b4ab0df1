// The budget's pure parts: evidence pooled or not, plans that keep totals and respect limits,
// periods as finance names them. Expected values come from the definitions (inverse-variance
// pooling, curves written out by hand), not from the implementation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineEvidence } from '../../metrics/budget/evidence.ts';
import { parsePeriod } from '../../metrics/budget/period.ts';
import { planBudget } from '../../metrics/budget/plan.ts';
import { type ChannelResponse, customerCurves, respond } from '../../metrics/budget/response.ts';

const ci = (value: number, se: number): [number, number] => [
  value - 1.959963984540054 * se,
  value + 1.959963984540054 * se,
];

describe('combineEvidence', () => {
  it('pools two agreeing estimates by their precision, narrowing the interval', () => {
    const c = combineEvidence([
      { method: 'media-mix model', value: 2, ci: ci(2, 1) },
      { method: 'customer-level comparison', value: 3, ci: ci(3, 0.5) },
    ])!;
    // weights 1 and 4: (2·1 + 3·4) / 5 = 2.8; se = 1/√5
    expect(c.value).toBeCloseTo(2.8, 9);
    expect(c.ci[1] - c.value).toBeCloseTo(1.959963984540054 / Math.sqrt(5), 9);
    expect(c.method).toBe('pooled: customer-level comparison + media-mix model');
    expect(c.disagreement).toBeNull();
  });

  it('does not average estimates that disagree, and uses the more direct design', () => {
    const c = combineEvidence([
      { method: 'media-mix model', value: 5, ci: ci(5, 0.5) },
      { method: 'lift test', value: 1, ci: ci(1, 0.5) },
    ])!;
    expect(c.value).toBe(1);
    expect(c.method).toBe('lift test');
    expect(c.disagreement).toMatch(/not pooled; the budget uses the lift test/);
  });

  it('leaves out evidence already counted inside another (a lift test that calibrated the mix)', () => {
    const c = combineEvidence([
      { method: 'lift test', value: 1, ci: ci(1, 0.1), counted_in: 'media-mix model' },
      { method: 'media-mix model', value: 1.2, ci: ci(1.2, 0.3) },
    ])!;
    expect(c.method).toBe('media-mix model');
    expect(c.value).toBe(1.2);
  });

  it('answers nothing without evidence', () => {
    expect(combineEvidence([])).toBeNull();
  });
});

const power = (channel: string, current: number, perUnit: number, se = 0): ChannelResponse => ({
  channel,
  kind: 'customer',
  current,
  ...customerCurves(current, perUnit, se, 200, channel.length),
});

describe('planBudget', () => {
  it('a move keeps the total and changes the KPI by the curves written out by hand', () => {
    const channels = [power('tv', 1000, 2), power('search', 500, 1)];
    const plan = planBudget({ channels, baseline: 10_000, moves: [{ from: 'tv', to: 'search', share: 0.2 }] });
    expect(plan.total_proposed).toBeCloseTo(plan.total_current, 9);
    expect(plan.channels.map((c) => c.proposed)).toEqual([800, 700]);
    // tv: 2·1000·(0.8^0.5 − 1); search: 1·500·((700/500)^0.5 − 1)
    const tv = 2000 * (Math.sqrt(0.8) - 1);
    const search = 500 * (Math.sqrt(1.4) - 1);
    expect(plan.channels[0]!.kpi_change).toBeCloseTo(tv, 6);
    expect(plan.channels[1]!.kpi_change).toBeCloseTo(search, 6);
    expect(plan.kpi_current).toBeCloseTo(10_000 + 2000 + 500, 6);
    expect(plan.uplift).toBeCloseTo(tv + search, 6);
    expect(plan.kpi_proposed).toBeCloseTo(plan.kpi_current + plan.uplift, 6);
  });

  it('refuses moves through unknown channels, a share above 1, and moves with a total', () => {
    const channels = [power('tv', 1000, 2), power('search', 500, 1)];
    expect(() => planBudget({ channels, baseline: 0, moves: [{ from: 'tv', to: 'radio', share: 0.1 }] })).toThrow(
      /no channel "radio"/,
    );
    expect(() => planBudget({ channels, baseline: 0, moves: [{ from: 'tv', to: 'search', share: 1.5 }] })).toThrow(
      /share/,
    );
    expect(() =>
      planBudget({ channels, baseline: 0, total: 10, moves: [{ from: 'tv', to: 'search', share: 0.1 }] }),
    ).toThrow(/not both/);
  });

  it('an allocation of today’s total never expects less than today, and stays within every limit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            current: fc.double({ min: 10, max: 1e5, noNaN: true }),
            perUnit: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (specs) => {
          const channels = specs.map((s, i) => power(`c${i}`, s.current, s.perUnit));
          const plan = planBudget({ channels, baseline: 0 });
          // Today's spend is inside the default limits, so the greedy plan can only match or beat it
          // (up to one step of rounding).
          expect(plan.kpi_proposed).toBeGreaterThanOrEqual(plan.kpi_current * (1 - 1e-3) - 1e-6);
          expect(plan.total_proposed).toBeLessThanOrEqual(plan.total_current * (1 + 1e-9) + 1e-6);
          for (const c of plan.channels) {
            expect(c.proposed).toBeGreaterThanOrEqual(c.min - 1e-6);
            expect(c.proposed).toBeLessThanOrEqual((c.max ?? Number.POSITIVE_INFINITY) + 1e-6);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('moves money toward the better return', () => {
    const plan = planBudget({ channels: [power('good', 1000, 3), power('poor', 1000, 0.5)], baseline: 0 });
    expect(plan.channels[0]!.proposed).toBeGreaterThan(1000);
    expect(plan.channels[1]!.proposed).toBeLessThan(1000);
    expect(plan.uplift).toBeGreaterThan(0);
  });

  it('a target is reached for less than today’s spend when today overshoots it', () => {
    const channels = [power('a', 1000, 2), power('b', 1000, 1)];
    const plan = planBudget({ channels, baseline: 100, target: 2000, bounds: { a: { min: 0 }, b: { min: 0 } } });
    expect(plan.mode).toBe('target');
    expect(plan.target_reached).toBe(true);
    expect(plan.total_proposed).toBeLessThan(2000);
    expect(plan.kpi_proposed).toBeGreaterThanOrEqual(2000 - 1e-6);
  });

  it('fixed channels stay where they are; minimums above the total are refused', () => {
    const channels = [power('a', 1000, 2), power('b', 1000, 1)];
    const plan = planBudget({ channels, baseline: 0, fixed: ['b'] });
    expect(plan.channels[1]!.proposed).toBe(1000);
    expect(() => planBudget({ channels, baseline: 0, total: 100 })).toThrow(/minimums \(1000\) exceed the total/);
  });

  it('the uplift interval comes from the draws across channels and holds the point', () => {
    const channels = [power('a', 1000, 2, 0.5), power('b', 1000, 1, 0.5)];
    const plan = planBudget({ channels, baseline: 0, moves: [{ from: 'b', to: 'a', share: 0.5 }] });
    expect(plan.uplift_ci[0]).toBeLessThan(plan.uplift);
    expect(plan.uplift_ci[1]).toBeGreaterThan(plan.uplift);
    expect(plan.uplift_pct).toBeCloseTo(plan.uplift / plan.kpi_current, 9);
  });
});

describe('respond', () => {
  it('a fitted curve over a period is the weekly steady response times the weeks', () => {
    const curve = { kind: 'fitted' as const, weeks: 13, curve: { beta: 100, k: 50, theta: 0.5, alpha: 1 } };
    // weekly spend 10 → adstocked 20 → hill 20/(20+50) → ×100 → ×13 weeks
    expect(respond(curve, 130)).toBeCloseTo(13 * 100 * (20 / 70), 9);
    expect(respond(curve, 0)).toBe(0);
  });
});

describe('parsePeriod', () => {
  it.each([
    ['2027-Q1', '2027-01-01', '2027-03-31', 90],
    ['2028-Q1', '2028-01-01', '2028-03-31', 91],
    ['2027-q4', '2027-10-01', '2027-12-31', 92],
    ['2027', '2027-01-01', '2027-12-31', 365],
    ['2027-02', '2027-02-01', '2027-02-28', 28],
    ['2027-01-15..2027-02-14', '2027-01-15', '2027-02-14', 31],
  ])('%s is %s to %s', (text, from, to, days) => {
    expect(parsePeriod(text)).toMatchObject({ from, to, days });
  });

  it.each(['2027-Q5', 'next quarter', '2027-13', '2027-02-30..2027-03-01', '2027-03-01..2027-01-01'])(
    'refuses %s, saying what is expected',
    (text) => {
      expect(() => parsePeriod(text)).toThrow(/period/);
    },
  );
});
