// Lift tests edited over HTTP: listed for anyone, written by analysts only, checked like the
// contract, and read at once by the mix model (the data version moves on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('/api/experiments', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const body = {
    channel: ' OOH ',
    start: '2026-03-02',
    end: '2026-03-29',
    metric: 'store_revenue',
    lift: 0,
    lift_se: 2e5,
  };

  it('lists the sample’s two, writes for analysts only, and the mix model reads the new one at once', async () => {
    const before = await s.call('GET', '/api/experiments');
    expect(before.body.experiments.map((e: { channel: string }) => e.channel).sort()).toEqual(['podcasts', 'tv']);
    expect((await s.call('PUT', '/api/experiments/ooh-1', { role: 'viewer', body })).status).toBe(403);
    const saved = await s.call('PUT', '/api/experiments/ooh-1', { role: 'analyst', body });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      experiment_id: 'ooh-1',
      channel: 'ooh',
      start: '2026-03-02',
      end: '2026-03-29',
    });
    const mix = await s.call('GET', '/api/mix?kpi=store_revenue&draws=20', { role: 'analyst' });
    const ooh = mix.body.experiments.find((e: { experiment_id: string }) => e.experiment_id === 'ooh-1');
    expect(ooh).toMatchObject({ channel: 'ooh', agrees: true });
    expect(ooh.model_lift_ci).toHaveLength(2);
  });

  it('names a bad field, and deletes (then 404)', async () => {
    const bad = await s.call('PUT', '/api/experiments/x', { role: 'analyst', body: { ...body, end: '2026-02-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^end: expected a date on or after start/);
    const negative = await s.call('PUT', '/api/experiments/x', { role: 'analyst', body: { ...body, lift_se: -1 } });
    expect(negative.status).toBe(400);
    // Validated like the importer: no control characters, finite amounts in range (1e20 was a 500).
    for (const wrong of [{ channel: 'tv\u0000x' }, { lift: 1e20 }, { lift_se: 1e13 }, { metric: 'a\nb' }]) {
      const res = await s.call('PUT', '/api/experiments/x', { role: 'analyst', body: { ...body, ...wrong } });
      expect(res.status, JSON.stringify(wrong)).toBe(400);
    }
    expect((await s.call('PUT', '/api/experiments/x%00y', { role: 'analyst', body })).status).toBe(400);
    expect((await s.call('DELETE', '/api/experiments/ooh-1', { role: 'analyst' })).body).toEqual({ deleted: 'ooh-1' });
    expect((await s.call('DELETE', '/api/experiments/ooh-1', { role: 'analyst' })).status).toBe(404);
  });
});
