// The planned path (pace line) through milestones, ahead/behind plan, the next milestone's chance;
// and the rolling-origin backtest of the forecast.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { backtest } from '../../metrics/heading/backtest.ts';
import { planOf } from '../../metrics/heading/plan.ts';
import { planWords } from '../../metrics/words/heading.ts';
import { GoalSchema } from '../../metrics/goals.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

const month = (i: number) => `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;

describe('the planned path', () => {
  const base = {
    target: 0.9,
    due: '2026-12-31',
    direction: 'up' as const,
    baseline: { period: '2025-12-01', value: 0.8 },
    history: [] as Array<{ period: string; value: number }>,
    probability: (h: number, target: number) => Math.min(1, h / 100 + target / 10),
  };

  it('runs straight from the baseline to the target without milestones, and says how far ahead', () => {
    const plan = planOf({ ...base, position: { period: '2026-06-01', value: 0.86 } });
    expect(plan.path[0]).toEqual({ period: '2025-12-01', value: 0.8 });
    expect(plan.path.at(-1)).toEqual({ period: '2026-12-01', value: 0.9 });
    expect(plan.planned_now).toBeCloseTo(0.85, 12);
    expect(plan.ahead_by).toBeCloseTo(0.01, 12);
    expect(plan.next).toBeNull();
  });

  it('stays at the target when the baseline already meets it: past the target is never behind plan', () => {
    // CDNOW's revenue (a copy with its dates moved, 2026-12-05): $108,396 a year before, $76,109 now,
    // a target of $60,000 read "Arrived … $5,801 behind plan" on a path running down to the target.
    const up = planOf({
      ...base,
      target: 60_000,
      baseline: { period: '2025-12-01', value: 108_396 },
      position: { period: '2026-06-01', value: 76_109 },
    });
    expect(up.path.every((p) => p.value === 60_000)).toBe(true);
    expect(up.ahead_by).toBeCloseTo(16_109, 6);
    const down = planOf({
      ...base,
      direction: 'down',
      target: 0.2,
      baseline: { period: '2025-12-01', value: 0.1 },
      position: { period: '2026-06-01', value: 0.15 },
    });
    expect(down.path.every((p) => p.value === 0.2)).toBe(true);
    expect(down.ahead_by).toBeCloseTo(0.05, 12);
  });

  it('bends through each milestone, judges past ones on their month and gives the next one its chance', () => {
    const plan = planOf({
      ...base,
      milestones: [
        { date: '2026-03-31', target: 0.81 },
        { date: '2026-09-30', target: 0.88 },
      ],
      position: { period: '2026-06-01', value: 0.83 },
      history: [{ period: '2026-03-01', value: 0.815 }],
    });
    expect(plan.path.find((p) => p.period === '2026-03-01')!.value).toBeCloseTo(0.81, 12);
    expect(plan.path.find((p) => p.period === '2026-09-01')!.value).toBeCloseTo(0.88, 12);
    expect(plan.planned_now).toBeCloseTo(0.81 + (0.07 * 3) / 6, 12);
    expect(plan.ahead_by).toBeLessThan(0);
    expect(plan.milestones.map((m) => m.status)).toEqual(['met', 'upcoming']);
    expect(plan.next).toMatchObject({ period: '2026-09-01', probability: base.probability(3, 0.88) });
  });

  it('for a down goal, lower than plan is ahead', () => {
    const plan = planOf({
      ...base,
      direction: 'down',
      target: 0.02,
      baseline: { period: '2025-12-01', value: 0.04 },
      position: { period: '2026-06-01', value: 0.025 },
    });
    expect(plan.ahead_by).toBeGreaterThan(0);
  });

  it('the reading says it, and a goal refuses milestones out of order or after the due date', () => {
    const history = Array.from({ length: 24 }, (_, i) => ({ period: month(i), value: 0.8 + 0.002 * i, n: 100 }));
    const a = assessGoal(
      {
        target: 0.9,
        due: '2027-06-30',
        direction: 'up',
        unit: 'ratio',
        milestones: [{ date: '2027-01-31', target: 0.86 }],
      },
      history,
      '2026-12-31',
    );
    expect(a.reading).toMatch(/(ahead of|behind) plan\. Next milestone 86\.0% by Jan 2027: \d+% likely\./);
    const goal = { id: 'g', metric: 'm', target: 1, due: '2027-01-31' };
    expect(GoalSchema.safeParse({ ...goal, milestones: [{ date: '2026-06-30', target: 0.5 }] }).success).toBe(true);
    const outOfOrder = [
      { date: '2026-06-30', target: 0.5 },
      { date: '2026-03-31', target: 0.4 },
    ];
    expect(GoalSchema.safeParse({ ...goal, milestones: outOfOrder }).success).toBe(false);
    expect(GoalSchema.safeParse({ ...goal, milestones: [{ date: '2027-06-30', target: 2 }] }).success).toBe(false);
  });
});

describe('backtest', () => {
  it('scores forecasts made 3, 6 and 12 months ahead from the series’ own past', async () => {
    let held = 0;
    let scored = 0;
    for (let k = 0; k < 30; k++) {
      const rand = mulberry32(50_000 + k);
      const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
      const history = Array.from({ length: 36 }, (_, i) => ({
        t: i - 35,
        v: 0.8 + 0.002 * i + 0.01 * normal(),
        month: (i % 12) + 1,
      }));
      const rows = await backtest(history, true);
      expect(rows.map((r) => r.horizon_months)).toEqual([3, 6, 12]);
      for (const r of rows) {
        expect(r.n).toBe(12);
        expect(r.mae).toBeGreaterThan(0);
        expect(r.mae).toBeLessThan(0.05);
        held += (r.coverage ?? 0) * r.n;
        scored += r.n;
      }
    }
    // The 95% interval held the value that came in about 95% of forecasts (1,080 of them).
    expect(held / scored).toBeGreaterThan(0.88);
  });
});

describe('the plan beside the status', () => {
  const plan = (ahead_by: number) => ({ path: [], planned_now: 0, ahead_by, milestones: [], next: null, words: '' });
  it('says which decides where they part: the forecast, not the straight path', () => {
    expect(planWords('count', plan(-12216), 'on_course')).toBe(
      '12,216 behind plan, though its forecast still meets the target by the due date.',
    );
    expect(planWords('ratio', plan(0.012), 'off_course')).toBe(
      '1.2 pts ahead of plan, but its forecast falls short of the target by the due date.',
    );
    // Where they agree, or the status sits between, the plan alone.
    expect(planWords('ratio', plan(-0.012), 'off_course')).toBe('1.2 pts behind plan.');
    expect(planWords('ratio', plan(0.012), 'on_course')).toBe('1.2 pts ahead of plan.');
    expect(planWords('ratio', plan(-0.012), 'drifting')).toBe('1.2 pts behind plan.');
  });
});
