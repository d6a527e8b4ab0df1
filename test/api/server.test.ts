import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('server over real HTTP', () => {
  it('GET /api/health reports the as-of date and row counts', async () => {
    const { status, body } = await s.call('GET', '/api/health');
    expect(status).toBe(200);
    const counts = await s.db.one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM touchpoints) AS touchpoints`,
    );
    expect(body).toMatchObject({
      ok: true,
      as_of: '2026-10-31',
      tables: { customers: { rows: counts!.customers }, touchpoints: { rows: counts!.touchpoints } },
    });
    // Each table is complete through its own latest date; the sample world's tables all end on its last day.
    for (const t of ['customers', 'touchpoints', 'spend', 'surveys', 'orders'])
      expect(body.tables[t].complete_through).toBe('2026-10-31');
    expect(body.ranges.find((r: { name: string }) => r.name === 'customers')).toMatchObject({
      rows: 50000,
      from: '2023-11-01',
      to: '2026-10-31',
    });
  });

  it('unknown API paths answer a JSON 404 in the one error shape', async () => {
    expect(await s.call('GET', '/api/nothing-here')).toEqual({
      status: 404,
      body: { error: { code: 'not-found', message: 'no route for GET /api/nothing-here' } },
    });
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const { body } = await s.call('GET', '/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/metrics/{name}/series',
        '/goals/{id}',
        '/channels',
        '/import',
        '/annotations/{id}',
      ]),
    );
  });

  it('sends security headers, including a CSP without inline scripts', async () => {
    const res = await fetch(`${s.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
