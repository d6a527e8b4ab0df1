// "As of" per table, goals past their due date, and stale data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../data/import/index.ts';
import { assessGoal, type HistoryPoint } from '../../metrics/heading/assess.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { writeCsv } from '../helpers/tmp.ts';

describe('each table is complete through its own date', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ data: 'empty' });
    const customers = Array.from({ length: 30 }, (_, i) => [
      `c${i}`,
      `2025-0${1 + (i % 6)}-${String(1 + (i % 15)).padStart(2, '0')}`,
    ]);
    await importFiles(s.db, [
      { path: writeCsv(s.dir, 'customers.csv', ['customer_id', 'signup_date'], customers) },
      // The last order is on 15 June; reviews were answered until 20 July.
      {
        path: writeCsv(
          s.dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          customers.map((c, i) => [`o${i}`, c[0]!, i === 0 ? '2025-06-15' : c[1]!, '10']),
        ),
      },
      {
        path: writeCsv(
          s.dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          customers.map((c, i) => [`r${i}`, c[0]!, i === 0 ? '2025-07-20' : c[1]!, 'nps', String(i % 11)]),
        ),
      },
    ]);
  });
  afterAll(() => s.close());

  it('health lists complete_through per table beside rows, from and to', async () => {
    const { body } = await s.call('GET', '/api/health');
    expect(body.as_of).toBe('2025-07-20');
    expect(body.tables.orders).toEqual({
      rows: 30,
      from: expect.any(String),
      to: '2025-06-15',
      complete_through: '2025-06-15',
      declared: false,
    });
    expect(body.tables.surveys).toMatchObject({ complete_through: '2025-07-20' });
    expect(body.tables.touchpoints).toMatchObject({ rows: 0, complete_through: null });
  });

  it('an orders metric is as of the orders date: June is not a complete month', async () => {
    const revenue = (await s.call('GET', '/api/metrics/revenue/series')).body;
    expect(revenue.as_of).toBe('2025-06-15');
    expect(revenue.rows.at(-1)).toMatchObject({ period: '2025-06-01', complete: false });
    const nps = (await s.call('GET', '/api/metrics/nps/series')).body;
    expect(nps.as_of).toBe('2025-07-20');
    expect(nps.rows.find((r: { period: string }) => r.period === '2025-06-01')).toMatchObject({ complete: true });
  });

  it('a date declared at import moves only the imported tables, and is shown as declared', async () => {
    await importFiles(
      s.db,
      [
        {
          path: writeCsv(
            s.dir,
            'orders.csv',
            ['order_id', 'customer_id', 'ordered_at', 'amount'],
            [['o0', 'c0', '2025-06-15', '10']],
          ),
        },
      ],
      { completeThrough: '2025-06-30' },
    );
    const { body } = await s.call('GET', '/api/health');
    expect(body.tables.orders).toMatchObject({ complete_through: '2025-06-30', declared: true });
    expect(body.tables.surveys).toMatchObject({ complete_through: '2025-07-20', declared: false });
    const revenue = (await s.call('GET', '/api/metrics/revenue/series')).body;
    expect(revenue.as_of).toBe('2025-06-30');
    expect(revenue.rows.at(-1)).toMatchObject({ period: '2025-06-01', complete: true });
    // Written again without a declaration, the table is back to its own latest date.
    await importFiles(s.db, [
      {
        path: writeCsv(
          s.dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [['o99', 'c1', '2025-06-20', '10']],
        ),
      },
    ]);
    expect((await s.call('GET', '/api/health')).body.tables.orders).toMatchObject({
      complete_through: '2025-06-20',
      declared: false,
    });
  });
});

const months = (from: string, values: number[]): HistoryPoint[] =>
  values.map((value, i) => {
    const d = new Date(`${from}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + i);
    return { period: d.toISOString().slice(0, 10), value, n: 100 };
  });

describe('after the due date a goal is met or missed', () => {
  const history = months(
    '2025-07-01',
    [0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93],
  );
  // The due month (2026-06) closed at 0.91; data runs to the end of August 2026.
  it.each([
    { direction: 'up' as const, target: 0.9, status: 'met' },
    { direction: 'up' as const, target: 0.95, status: 'missed' },
    { direction: 'down' as const, target: 0.95, status: 'met' },
    { direction: 'down' as const, target: 0.9, status: 'missed' },
  ])('$direction to $target → $status', ({ direction, target, status }) => {
    const a = assessGoal({ target, due: '2026-06-30', direction, unit: 'ratio' }, history, '2026-08-31');
    expect(a.status).toBe(status);
    expect(a.reading).toMatch(
      new RegExp(
        `^${status === 'met' ? 'Met' : 'Missed'}: Jun 2026, the due period, closed at 91\\.0% against a target of`,
      ),
    );
    expect(a.reading).not.toMatch(/needs|months left/);
    expect(a.pace_needed_per_month).toBeNull();
    expect(a.position).toMatchObject({ period: '2026-06-01', value: 0.91 });
    // What the due period closed at, not a forecast from today's level (0.93 in August) with no width.
    expect(a.projection).toEqual({ date: '2026-06-30', value: 0.91, interval: [0.91, 0.91] });
    expect(a.forecast).toEqual({ period: '2026-06-01', value: 0.91, interval: [0.91, 0.91] });
  });

  it('before the due date the same history reads on its course; with no value for the due month it says so', () => {
    expect(['on_course', 'arrived', 'drifting']).toContain(
      assessGoal({ target: 0.9, due: '2026-06-30', direction: 'up', unit: 'ratio' }, history.slice(0, 10), '2026-04-30')
        .status,
    );
    const gap = history.filter((h) => h.period !== '2026-06-01');
    const a = assessGoal({ target: 0.9, due: '2026-06-30', direction: 'up', unit: 'ratio' }, gap, '2026-08-31');
    expect(a.status).toBe('no_signal');
    expect(a.status_reason).toMatch(/due date \(2026-06-30\) has passed, but Jun 2026 has no value yet/);
  });
});

describe('stale data is said, with the period it is from', () => {
  const history = months('2025-01-01', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]); // to 2025-12
  it('the latest value three months behind the data', () => {
    const a = assessGoal({ target: 40, due: '2027-12-31', direction: 'up', unit: 'count' }, history, '2026-03-31');
    expect(a.stale).toMatchObject({ latest_period: '2025-12-01', expected_period: '2026-03-01' });
    expect(a.reading).toMatch(
      /Stale data: the latest value is for Dec 2025, though the metric's data runs to 2026-03-31/,
    );
  });
  it('two periods behind, or a cohort metric waiting to mature, is not stale', () => {
    expect(
      assessGoal({ target: 40, due: '2027-12-31', direction: 'up', unit: 'count' }, history, '2026-02-28').stale,
    ).toBeNull();
    expect(
      assessGoal(
        { target: 40, due: '2027-12-31', direction: 'up', unit: 'count', matureAfterDays: 90 },
        history,
        '2026-04-30',
      ).stale,
    ).toBeNull();
  });
});

describe('met and missed through the API', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('a goal due in the past reads met or missed against its due period', async () => {
    const june = (await s.call('GET', '/api/metrics/revenue/series?from=2026-06-01&to=2026-06-30')).body.rows[0]
      .value as number;
    for (const [target, status] of [
      [june * 0.9, 'met'],
      [june * 1.1, 'missed'],
    ] as const) {
      const id = `past-${status}`;
      expect(
        (
          await s.call('POST', '/api/goals', {
            role: 'analyst',
            body: { id, metric: 'revenue', target, due: '2026-06-30' },
          })
        ).status,
      ).toBe(201);
      const goal = (await s.call('GET', `/api/goals/${id}`)).body;
      expect(goal.status).toBe(status);
      expect(goal.reading).toMatch(/Jun 2026, the due period, closed at/);
    }
    const overview = (await s.call('GET', '/api/goals')).body;
    expect(overview.balance.business.met + overview.balance.business.missed).toBe(2);
  });
});
