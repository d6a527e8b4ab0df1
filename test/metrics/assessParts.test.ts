// The heading's pure parts, each against a table of cases worked by hand.
import { describe, expect, it } from 'vitest';
import { arrivalOf, type Course, projectAt, statusOf } from '../../metrics/heading/assess.ts';
import { readingOf } from '../../metrics/words/heading.ts';
import type { Trend } from '../../metrics/heading/trend.ts';

const trend = (slope: number, ci: [number, number], sigma = 0, n = 12): Trend =>
  ({ slope, slope_ci: ci, intercept: 0.8, sigma, n }) as Trend;
const course = (t: Trend, level = 0.8): Course => ({
  trend: t,
  level,
  lastIndex: 2026 * 12 + 9, // October 2026
  seasonality: { tested: false, p_value: null, adjusted: false, effects: null, note: '' },
});
const at = { period: '2026-10-01', value: 0.8, n: 100 };

describe('projectAt', () => {
  it.each([
    { t: 0, value: 0.8, low: 0.8, high: 0.8 },
    { t: 10, value: 0.9, low: 0.85, high: 0.95 },
    { t: 20, value: 1.0, low: 0.9, high: 1.1 },
  ])('t = $t months: $value ($low–$high) with no noise', ({ t, value, low, high }) => {
    const p = projectAt(course(trend(0.01, [0.005, 0.015])), t);
    expect(p.value).toBeCloseTo(value, 10);
    expect(p.low).toBeCloseTo(low, 10);
    expect(p.high).toBeCloseTo(high, 10);
  });

  it('noise widens both ends by z·σ·√(1 + 1/n), and a seasonal effect shifts all three', () => {
    const c = {
      ...course(trend(0, [0, 0], 0.01, 4)),
      seasonality: { tested: true, p_value: 0.01, adjusted: true, effects: { 11: 0.05 }, note: '' },
    };
    const p = projectAt(c, 1); // November
    const spread = 1.959963984540054 * 0.01 * Math.sqrt(1.25);
    expect(p.value).toBeCloseTo(0.85, 12);
    expect(p.low).toBeCloseTo(0.85 - spread, 12);
    expect(p.high).toBeCloseTo(0.85 + spread, 12);
  });
});

describe('arrivalOf: the first month the forecast meets the target', () => {
  // A forecast whose median runs in a straight line from 0.8 (October 2026) by `slope` a month.
  const line = (slope: number) => ({ level: 0.8, median: (h: number) => 0.8 + slope * h });
  const OCTOBER_2026 = 2026 * 12 + 9;
  it.each([
    {
      slope: 0.01,
      target: 0.9,
      direction: 'up',
      date: '2027-08',
      reason: 'the first month its forecast meets the target',
    },
    {
      slope: -0.01,
      target: 0.9,
      direction: 'up',
      date: null,
      reason: 'its forecast heads away from the target: no arrival in sight',
    },
    { slope: 0, target: 0.9, direction: 'up', date: null, reason: 'its forecast stays flat: no arrival in sight' },
    { slope: 0.01, target: 0.7, direction: 'up', date: '2026-10', reason: 'already at the target' },
    {
      slope: -0.01,
      target: 0.705,
      direction: 'down',
      date: '2027-08',
      reason: 'the first month its forecast meets the target',
    },
    {
      slope: 0.0001,
      target: 0.9,
      direction: 'up',
      date: null,
      reason: 'its forecast does not reach the target within 5 years',
    },
  ] as const)('$direction to $target at $slope a month → $date', ({ slope, target, direction, date, reason }) => {
    const a = arrivalOf({ target, direction }, line(slope), OCTOBER_2026, at);
    expect(a.reason).toBe(reason);
    expect(a.date?.slice(0, 7) ?? null).toBe(date);
  });
});

describe('statusOf: the probability decides, with the cut-offs the README states', () => {
  it.each([
    { name: 'latest meets the target and the due month is likely to', value: 0.95, p: 0.5, status: 'arrived' },
    { name: 'latest meets the target but the due month is not likely to', value: 0.95, p: 0.49, status: 'drifting' },
    { name: 'latest meets, the due month very unlikely', value: 0.95, p: 0.1, status: 'off_course' },
    { name: 'exactly 70%', value: 0.85, p: 0.7, status: 'on_course' },
    { name: 'just under 70%', value: 0.85, p: 0.699, status: 'drifting' },
    { name: 'exactly 30%', value: 0.85, p: 0.3, status: 'off_course' },
    { name: 'just over 30%', value: 0.85, p: 0.301, status: 'drifting' },
  ] as const)('$name → $status', ({ value, p, status }) => {
    const got = statusOf({ target: 0.9, direction: 'up' }, { ...at, value }, p);
    expect(got.status).toBe(status);
    expect(got.reason).toContain(`${Math.round(p * 100)}% likely`);
    // Mirror: a down goal with everything reflected reads the same.
    expect(statusOf({ target: -0.9, direction: 'down' }, { ...at, value: -value }, p).status).toBe(status);
  });
});

describe('readingOf', () => {
  const t = trend(0.004, [0.002, 0.006]);
  it.each([
    {
      status: 'drifting',
      pace: 0.005,
      arrival: { date: '2027-09-01', reason: '' },
      text:
        'Needs +0.5 pts a month; doing +0.4 pts (95% CI +0.2 pts to +0.6 pts) over the last 12 months. On its ' +
        'forecast it arrives around Sep 2027.',
    },
    {
      status: 'off_course',
      pace: null,
      arrival: { date: null, reason: 'heading away' },
      text:
        'The due date has passed; doing +0.4 pts (95% CI +0.2 pts to +0.6 pts) over the last 12 months. No ' +
        'arrival date: heading away.',
    },
    {
      status: 'arrived',
      pace: 0.001,
      arrival: { date: '2026-10-01', reason: '' },
      text: 'Arrived: at or past the target.',
    },
    // Past the target by the forecast's level, not by the latest month: not "arrives around" this month.
    {
      status: 'on_course',
      pace: -0.001,
      arrival: { date: '2026-10-01', reason: 'already at the target' },
      text:
        'Needs −0.1 pts a month; doing +0.4 pts (95% CI +0.2 pts to +0.6 pts) over the last 12 months. On its ' +
        'forecast it is already there: its level now meets the target.',
    },
  ] as const)('$status', ({ status, pace, arrival, text }) => {
    expect(
      readingOf('ratio', status, t, pace, arrival, { kind: 'none', period: null, magnitude: null, message: '' }, 12),
    ).toBe(text);
  });
});
