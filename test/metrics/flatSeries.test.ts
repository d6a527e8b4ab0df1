// A series with no variance (a 90-day retention at 100% every month) is a certainty, never NaN:
// its chance of meeting a target below it is 1, above it 0, its band holds its value, and its
// backtest's forecasts were exact and inside their range.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { backtest } from '../../metrics/heading/backtest.ts';
import { domainOf, forecastModel } from '../../metrics/heading/forecast.ts';
import { unfinishedOf } from '../../metrics/heading/heading.ts';

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

describe('bounds stay in the metric domain', () => {
  it('money and counts never go below 0, percents stay within 0–100, scores within ±100', () => {
    // A falling, noisy revenue: its band reached −625,293 on Robyn's file.
    const falling = Array.from({ length: 36 }, (_, i) => ({
      t: i - 35,
      v: Math.max(0, 900_000 - 25_000 * i + 300_000 * Math.sin(i * 2.1)),
      month: (i % 12) + 1,
    }));
    for (const h of [1, 6, 12, 18])
      expect(forecastModel(falling, domainOf('currency')).at(h).low).toBeGreaterThanOrEqual(0);
    const high = Array.from({ length: 36 }, (_, i) => ({
      t: i - 35,
      v: 96 + 3 * Math.sin(i * 1.7) + 0.1 * i,
      month: (i % 12) + 1,
    }));
    for (const h of [6, 18]) expect(forecastModel(high, domainOf('percent')).at(h).high).toBeLessThanOrEqual(100);
    const nps = high.map((p) => ({ ...p, v: p.v + 2 }));
    expect(forecastModel(nps, domainOf('score')).at(18).high).toBeLessThanOrEqual(100);
    const history = falling.map((p, i) => ({
      period: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: p.v,
      n: 100,
    }));
    const a = assessGoal(
      { target: 500_000, due: '2027-06-30', direction: 'up', unit: 'currency' },
      history,
      '2025-12-31',
    );
    expect(a.forecast?.interval?.[0] ?? 0).toBeGreaterThanOrEqual(0);
  });
});

describe('a thin period', () => {
  it('is left out of the reading and named: it neither sets the position nor feeds the forecast', () => {
    const months = Array.from(
      { length: 24 },
      (_, i) => `${2017 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
    );
    const history = months.map((period, i) => ({ period, value: 0.03 + 0.0002 * i, n: 6000 + 10 * i }));
    history[23] = { period: months[23]!, value: 0.375, n: 16 }; // 16 orders, 6 of them repeats
    const a = assessGoal({ target: 0.05, due: '2019-06-30', direction: 'up', unit: 'ratio' }, history, '2018-12-31');
    expect(a.left_out).toEqual([{ period: '2018-12-01', n: 16 }]);
    expect(a.position?.period).toBe('2018-11-01');
    expect(a.position?.value).toBeLessThan(0.05);
    expect(a.reading).toMatch(/Dec 2018 holds 16 rows: left out of the reading \(fewer than 30/);
    expect(a.status).not.toBe('arrived');
  });

  it('leaves alone metrics whose periods all hold a few rows, and those without row counts', () => {
    const history = Array.from({ length: 12 }, (_, i) => ({
      period: `2018-${String(i + 1).padStart(2, '0')}-01`,
      value: 10 + i,
      n: i % 2 ? 4 : 5,
    }));
    expect(
      assessGoal({ target: 30, due: '2019-06-30', direction: 'up', unit: 'count' }, history, '2018-12-31').left_out,
    ).toBeUndefined();
    const zero = history.map((h) => ({ ...h, n: 0 }));
    expect(
      assessGoal({ target: 30, due: '2019-06-30', direction: 'up', unit: 'count' }, zero, '2018-12-31').left_out,
    ).toBeUndefined();
  });

  it('follows a goal’s min_n: 0 keeps every month, a higher one leaves out more, and the reading says why', () => {
    const months = Array.from({ length: 12 }, (_, i) => `2018-${String(i + 1).padStart(2, '0')}-01`);
    const history = months.map((period, i) => ({ period, value: 0.5 + 0.01 * i, n: i === 11 ? 16 : 200 + i }));
    const goal = { target: 0.7, due: '2019-06-30', direction: 'up' as const, unit: 'ratio' as const };
    expect(assessGoal(goal, history, '2018-12-31').left_out).toEqual([{ period: '2018-12-01', n: 16 }]);
    const keep = assessGoal({ ...goal, minN: 0 }, history, '2018-12-31');
    expect(keep.left_out).toBeUndefined();
    expect(keep.position?.period).toBe('2018-12-01');
    const strict = assessGoal({ ...goal, minN: 205 }, history, '2018-12-31');
    expect(strict.left_out?.map((l) => l.period)).toEqual(months.slice(0, 5).concat('2018-12-01'));
    expect(strict.reading).toMatch(/left out of the reading \(fewer than 205, its min_n\)/);
    // More than three are said as a span (27 months named one by one made a paragraph); left_out lists each.
    expect(strict.reading).toContain('6 months between Jan 2018 and Dec 2018 hold 16 to 204 rows each: left out');
  });
});

// The newest month ends after the data's date: named only when it already holds a usual month's
// rows (monthly totals dated the 1st), not while it is still filling up, which is the normal state.
describe('an unfinished newest month', () => {
  const rows = (ns: number[], lastComplete: boolean) =>
    ns.map((n, i) => ({
      period: `2024-${String(i + 1).padStart(2, '0')}-01`,
      value: n ? 10 * n : null,
      n,
      complete: i < ns.length - 1 || lastComplete,
    }));
  it('is named when as full as the median finished month, and only then', () => {
    const usual = [200, 180, 220, 210, 190, 205];
    expect(unfinishedOf(rows([...usual, 205], false), '2024-07-01')).toEqual({
      period: '2024-07-01',
      n: 205,
      through: '2024-07-01',
    });
    // Below the median of the finished months: still filling up.
    expect(unfinishedOf(rows([...usual, 60], false), '2024-07-09')).toBeUndefined();
    // Finished, empty, or nothing finished to compare with.
    expect(unfinishedOf(rows([...usual, 205], true), '2024-07-31')).toBeUndefined();
    expect(unfinishedOf(rows([...usual, 0], false), '2024-07-01')).toBeUndefined();
    expect(unfinishedOf(rows([205], false), '2024-01-01')).toBeUndefined();
  });
});
