// GET /api/mix over HTTP: refusals name what is missing (the sample world buys no aggregate media).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_TOKENS, type TestServer } from '../helpers/server.ts';

describe('GET /api/mix', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('fits the sample world’s shop revenue; 404 unknown KPI, 422 under a year of weeks, 400 bad input', async () => {
    const path = '/api/mix?kpi=store_revenue&controls=competitor_index,holiday&draws=40';
    // A new seed or draw count is a new fit: anonymous readers get the defaults only.
    expect((await s.call('GET', path)).body.error.code).toBe('unauthorized');
    expect((await s.call('GET', `${path}&seed=7`, { role: 'viewer' })).body.error.code).toBe('forbidden');
    const res = await s.call('GET', path, { role: 'analyst' });
    expect(res.status).toBe(200);
    expect(res.body.channels.map((c: { channel: string }) => c.channel)).toEqual(['ooh', 'podcasts', 'tv']);
    expect(res.body.controls).toEqual(['competitor_index', 'holiday']);
    expect(res.body.unit).toBe('currency'); // the KPI's own unit, for writing its amounts
    for (const key of ['roi_ci', 'mroi_ci', 'contribution_ci', 'curve', 'adstock', 'saturation'])
      expect(res.body.channels[0]).toHaveProperty(key);
    const short = await s.call('GET', '/api/mix?kpi=store_revenue&from=2026-01-05');
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'not-enough-data' });
    expect((await s.call('GET', '/api/mix?kpi=nope')).status).toBe(404);
    expect((await s.call('GET', '/api/mix?kpi=store_revenue&controls=nothing_here')).body.error.code).toBe(
      'unknown-control',
    );
    expect((await s.call('GET', '/api/mix?kpi=revenue&grain=month')).status).toBe(400);
    expect((await s.call('GET', '/api/mix')).status).toBe(400);
    const observations = (await s.call('GET', '/api/mix/observations')).body.observations;
    expect(observations.map((o: { name: string }) => o.name)).toEqual([
      'competitor_index',
      'holiday',
      'store_revenue',
      'store_signups',
    ]);
    // Weeks given by their first day are complete through their last: every week of the KPI is fitted,
    // the last one included (it was dropped as unfinished).
    const kpi = observations.find((o: { name: string }) => o.name === 'store_revenue');
    expect(res.body.periods).toMatchObject({ count: kpi.rows, to: kpi.to });
  });

  it('refuses the KPI as its own control, and names a control that is an event in a few weeks', async () => {
    const self = await s.call('GET', '/api/mix?kpi=store_revenue&controls=store_revenue');
    expect(self.status).toBe(422);
    expect(self.body.error).toMatchObject({ code: 'kpi-as-control' });
    const upload = new FormData();
    upload.append('files', new Blob(['name,date,value\npromo,2025-03-03,1\npromo,2025-11-24,1\n']), 'observations.csv');
    expect((await s.call('POST', '/api/import', { role: 'analyst', body: upload })).status).toBe(200);
    const flagged = await s.call('GET', '/api/mix?kpi=store_revenue&controls=promo');
    expect(flagged.status).toBe(200);
    const number = String.raw`-?[\d,.]+`;
    const event = String.raw`control promo is non-zero in only 2 of \d+ weeks: it acts as an event flag, and its`;
    const read = String.raw` effect \(read as ${number} per unit of it, 95% interval ${number} to ${number}\)`;
    expect(flagged.body.warnings.join('\n')).toMatch(new RegExp(event + read));
    // The same effect and its interval in the answer: the interval holds the point.
    const promo = flagged.body.baseline.per_unit.promo;
    expect(promo.ci[0]).toBeLessThanOrEqual(promo.value);
    expect(promo.ci[1]).toBeGreaterThanOrEqual(promo.value);
  }, 300_000);

  it('POST /api/mix/optimize computes without writing: open to readers; names what it refuses', async () => {
    const body = JSON.stringify({ kpi: 'store_revenue', controls: ['competitor_index', 'holiday'], draws: 40 });
    const json = { 'content-type': 'application/json' };
    const anonymous = await fetch(`${s.url}/api/mix/optimize`, { method: 'POST', headers: json, body });
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${s.url}/api/mix/optimize`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${TEST_TOKENS.analyst}` },
      body,
    });
    const plan = await res.json();
    expect(res.status, JSON.stringify(plan)).toBe(200);
    expect(plan.kpi_proposed).toBeGreaterThanOrEqual(plan.kpi_current);
    expect(plan.unit).toBe('currency');
    expect(plan.allocation.find((a: { channel: string }) => a.channel === 'ooh').proposed).toBeLessThan(
      plan.allocation.find((a: { channel: string }) => a.channel === 'ooh').current,
    );
    const unknown = await s.call('POST', '/api/mix/optimize', { body: { kpi: 'store_revenue', fixed: ['radio'] } });
    expect(unknown.status).toBe(400);
    // Refused before any fit, with the true reason and the channels the data hold.
    expect(unknown.body.error.message).toMatch(
      /^no modelled channel "radio": no media rows name it \(channels in the data: .*\booh\b.*\btv\b/,
    );
    expect((await s.call('POST', '/api/mix/optimize', { body: { kpi: 'store_revenue', budget: -5 } })).status).toBe(
      400,
    );
    const backwards = await s.call('POST', '/api/mix/optimize', {
      body: { kpi: 'store_revenue', bounds: { tv: { min: 900, max: 100 } } },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/tv are the wrong way round: min 900 > max 100/);
  });
});
