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
});
