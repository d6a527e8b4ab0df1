// The goal chart's two red labels never meet: the due label leaves the bottom when the goal line is
// low ("Goal 95%" sat on "Due Jun 2019" for a churn goal below every month).
import { describe, expect, it } from 'vitest';
import { chartPoints, dueLabelPosition } from '../../web/src/components/GoalChart.tsx';
import { sparkPath, sparkPoints } from '../../web/src/components/Sparkline.tsx';
import { sinceLast } from '../../web/src/lib/sinceLast.ts';

const series = (values: number[]) =>
  values.map((value, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}-01`, value, n: 100, complete: true }));

describe('the due label', () => {
  it('goes to the top when the goal line is in the lower half, else stays at the bottom', () => {
    const band = [{ period: '2027-06-01', value: 0.05, low: 0.04, high: 0.06 }];
    expect(dueLabelPosition({ series: series([0.05, 0.06, 0.055]), band, target: 0.02 })).toBe('insideTopRight');
    expect(dueLabelPosition({ series: series([0.05, 0.06, 0.055]), band, target: 0.95 })).toBe('insideBottomRight');
  });
});

// A goal filtered to one series is listed from the metric's first month: those blank months are not
// drawn (seven years of empty axis before a four-year series), blank months inside the series are.
describe('the chart’s months', () => {
  it('start at the first month with something drawn', () => {
    const rows = [null, null, 5, null, 7].map((value, i) => ({
      period: `2020-${String(i + 1).padStart(2, '0')}-01`,
      value,
      complete: true,
    }));
    const band = [{ period: '2020-07-01', value: 8, low: 6, high: 10 }];
    const points = chartPoints({ series: rows, trend: [], band });
    expect(points.map((p) => new Date(p.t).toISOString().slice(0, 7))).toEqual([
      '2020-03',
      '2020-04',
      '2020-05',
      '2020-07',
    ]);
    // Nothing but blanks: nothing is cut (the chart's empty state is its own).
    expect(chartPoints({ series: rows.slice(0, 2), trend: [], band: [] })).toHaveLength(2);
  });
});

/** Complete months from July 2018 holding these values. */
const fromJuly2018 = (values: number[]) =>
  values.map((value, i) => ({ period: `2018-${String(i + 7).padStart(2, '0')}-01`, value, complete: true }));

// A month too thin to count is drawn apart from the line: Olist's last month of 16 orders read 37.5%
// against a 3% history, a spike the reading leaves out but the line drew as the latest value.
describe('thin months', () => {
  it('are their own marks, off the line, and still start the chart', () => {
    const rows = fromJuly2018([0.03, 0.031, 0.375]);
    const points = chartPoints({ series: rows, trend: [], band: [], leftOut: [{ period: '2018-09-01' }] });
    expect(points.map((p) => [p.value, p.thin])).toEqual([
      [0.03, undefined],
      [0.031, undefined],
      [undefined, 0.375],
    ]);
    const early = chartPoints({ series: rows, trend: [], band: [], leftOut: [{ period: '2018-07-01' }] });
    expect(early).toHaveLength(3);
    expect(early[0]).toMatchObject({ thin: 0.03 });
  });
});

describe('a card’s sparkline', () => {
  it('leaves a thin month as a gap and keeps the last 18 complete months', () => {
    const rows = Array.from({ length: 22 }, (_, i) => ({
      period: `20${17 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: i === 20 ? 0.375 : 0.03,
      complete: i < 21,
    }));
    const points = sparkPoints(rows, [{ period: rows[20]!.period }]);
    expect(points).toHaveLength(18);
    expect(points.at(-1)).toMatchObject({ period: rows[20]!.period, value: null });
    expect(points.slice(0, -1).every((p) => p.value === 0.03)).toBe(true);
    // 17 months drawn, the thin one not.
    const drawn = sparkPath(
      points.map((p) => p.value),
      0,
      0.4,
    ).match(/[ML][\d.]+ [\d.]+/g);
    expect(drawn).toHaveLength(17);
  });
});

describe('a card’s change since the period before', () => {
  it('compares the last two months that count: a thin month is neither', () => {
    const series = fromJuly2018([0.03, 0.031, 0.375]);
    const reading = { unit: 'ratio', direction: 'up' as const, series };
    expect(sinceLast(reading)?.text).toMatch(/^\+34\.4 pts since Aug 2018 \(better\)$/);
    expect(sinceLast({ ...reading, left_out: [{ period: '2018-09-01' }] })?.text).toBe(
      '+0.1 pts since Jul 2018 (better)',
    );
  });
});
