// GET /api/mix over HTTP: refusals name what is missing (the sample world buys no aggregate media).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('GET /api/mix', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('422 when no channel has aggregate spend, 404 for an unknown KPI, 400 for a bad parameter', async () => {
    const none = await s.call('GET', '/api/mix?kpi=revenue');
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'nothing-to-model' });
    expect(none.body.error.message).toMatch(/no media channel has spend in 8 or more periods/);
    const unknown = await s.call('GET', '/api/mix?kpi=nope');
    expect(unknown.status).toBe(404);
    expect((await s.call('GET', '/api/mix?kpi=revenue&grain=month')).status).toBe(400);
    expect((await s.call('GET', '/api/mix')).status).toBe(400);
  });

  it('POST /api/mix/optimize computes without writing: open to readers, refuses what it cannot model', async () => {
    const res = await fetch(`${s.url}/api/mix/optimize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kpi: 'revenue', budget: 1000 }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(body.error.code).toBe('nothing-to-model');
    const bad = await s.call('POST', '/api/mix/optimize', { role: 'viewer', body: { kpi: 'revenue', budget: -5 } });
    expect(bad.status).toBe(400);
  });
});
