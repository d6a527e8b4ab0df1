// A saved definition that is slow or fails at run time fails alone (issue findings 3 and 6), against
// a real server. Split from limits.test.ts: the refresh's time limit is a clock, so this file runs
// with the timed ones, alone (vite.config.ts); the rest of the findings run beside other files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const QUADRATIC = 'count(*) + (select count(*) from touchpoints a, touchpoints b where a.occurred_at < b.occurred_at)';
const definition = (name: string, measure: string, table = 'orders', time = 'ordered_at') =>
  `name: ${name}\nlabel: ${name}\ndescription: test\nunit: count\ndirection: up\ntable: ${table}\ntime: ` +
  `${time}\nmeasure: ${JSON.stringify(measure)}\n`;

describe('a slow or failing saved definition fails alone (findings 3 and 6)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rollups: true, backgroundTimeoutMs: 8000 });
    await s.rollups!.schedule();
  }, 120_000);
  afterAll(() => s.close());

  it('the refresh gives up on it at its time limit, marks it failed, refreshes the rest; writes never wait behind ' +
    'it', async () => {
    const saved = await s.call('PUT', '/api/metrics/zz_slow', {
      role: 'analyst',
      body: { yaml: definition('zz_slow', QUADRATIC) },
    });
    expect(saved.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.rollups!.busy).toBe(true);
    // While the background query runs, a write and the dashboard answer promptly.
    const started = performance.now();
    expect(
      (
        await s.call('POST', '/api/annotations', {
          role: 'analyst',
          body: { date: '2026-10-01', text: 'during the slow refresh' },
        })
      ).status,
    ).toBe(201);
    expect((await s.call('GET', '/api/goals')).status).toBe(200);
    // Well inside the refresh's 8-s time limit: the write did not wait for the slow refresh.
    expect(performance.now() - started).toBeLessThan(6000);
    while (s.rollups!.busy) await new Promise((r) => setTimeout(r, 100));
    const health = (await s.call('GET', '/api/health')).body;
    expect(health.rollups.failed).toEqual([
      expect.objectContaining({ metric: 'zz_slow', message: expect.stringMatching(/time limit/) }),
    ]);
    const catalog = (await s.call('GET', '/api/metrics')).body.metrics;
    expect(catalog.find((m: { name: string }) => m.name === 'zz_slow')).toMatchObject({ status: 'failed' });
    expect(catalog.find((m: { name: string }) => m.name === 'revenue')).toMatchObject({ status: 'ok', failure: null });
    // Skipped until edited: its series answers 422 at once, not after another time limit.
    const t0 = performance.now();
    expect((await s.call('GET', '/api/metrics/zz_slow/series')).body.error.code).toBe('metric-failed');
    expect(performance.now() - t0).toBeLessThan(4000); // not another 8-s time limit
    // Analysts can delete it.
    expect((await s.call('DELETE', '/api/metrics/zz_slow', { role: 'viewer' })).status).toBe(403);
    expect((await s.call('DELETE', '/api/metrics/zz_slow', { role: 'analyst' })).body).toEqual({
      deleted: 'zz_slow',
      file: 'zz_slow.yaml',
    });
    expect((await s.call('GET', '/api/metrics/zz_slow/series')).status).toBe(404);
  }, 120_000);

  it('a definition that checks but fails at run time: 422 for its series, its goal says why, the page and the ' +
    'refresh go on', async () => {
    expect(
      (
        await s.call('PUT', '/api/metrics/zz_cast', {
          role: 'analyst',
          body: { yaml: definition('zz_cast', 'sum(CAST(order_id AS INTEGER))') },
        })
      ).status,
    ).toBe(200);
    const series = await s.call('GET', '/api/metrics/zz_cast/series?grain=week');
    expect(series.status).toBe(422);
    expect(series.body.error.message).toMatch(/zz_cast cannot be computed: Could not convert/);
    expect(JSON.stringify(series.body)).not.toMatch(/SELECT|FROM/);
    const goal = await s.call('POST', '/api/goals', {
      role: 'analyst',
      body: { id: 'cast-goal', metric: 'zz_cast', target: 1, due: '2027-06-30' },
    });
    expect(goal.status).toBe(201);
    expect(goal.body.reading).toMatch(/cannot be computed/);
    const overview = await s.call('GET', '/api/goals');
    expect(overview.status).toBe(200);
    expect(overview.body.goals.filter((g: { status: string }) => g.status !== 'no_signal').length).toBeGreaterThan(5);
    while (s.rollups!.busy) await new Promise((r) => setTimeout(r, 100));
    await s.rollups!.schedule();
    expect(s.rollups!.last!.failed.map((f) => f.metric)).toContain('zz_cast');
    expect(s.rollups!.last!.sets).toBeGreaterThan(30);
  }, 120_000);
});
