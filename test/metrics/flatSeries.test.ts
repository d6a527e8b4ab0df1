// A series with no variance (a 90-day retention at 100% every month) is a certainty, never NaN:
// its chance of meeting a target below it is 1, above it 0, its band holds its value, and its
// backtest's forecasts were exact and inside their range.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { backtest } from '../../metrics/heading/backtest.ts';
import { forecastModel } from '../../metrics/heading/forecast.ts';

const flat = (value: number, months = 36) =>
  Array.from({ length: months }, (_, i) => ({ t: i - (months - 1), v: value, month: (i % 12) + 1 }));

describe('a flat series', () => {
  it('reads as certain, with finite figures, at 100% and elsewhere', () => {
    for (const [value, bounded] of [
      [1, true],
      [0.42, true],
      [1200, false],
    ] as const) {
      const model = forecastModel(flat(value), bounded);
      const at = model.at(6);
      for (const x of [at.value, at.low, at.high]) expect(Number.isFinite(x), `${value}`).toBe(true);
      expect(at.value).toBeCloseTo(value, 9);
      expect(model.probability(6, value * 0.95, 'up')).toBe(1);
      expect(model.probability(6, value * 1.05 + 0.01, 'up')).toBe(0);
      for (const m of model.models) expect(Number.isFinite(m.weight)).toBe(true);
    }
  });

  it('gives the heading a probability and a sentence without NaN, and an exact backtest', async () => {
    const history = Array.from({ length: 24 }, (_, i) => ({
      period: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: 1,
      n: 500,
    }));
    const goal = { target: 0.95, due: '2026-06-30', direction: 'up', unit: 'ratio' } as const;
    const a = assessGoal(goal, history, '2025-12-31');
    expect(a.arrival_probability).toBe(1);
    expect(JSON.stringify(a)).not.toMatch(/NaN|Infinity/);
    const rows = await backtest(flat(1, 24), true);
    for (const r of rows.filter((x) => x.n > 0)) {
      expect(r.mae).toBeCloseTo(0, 9);
      expect(r.coverage).toBe(1);
    }
  });
});
