import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('channels API over real HTTP', () => {
  it('GET /api/channels answers the documented JSON keys for every channel', async () => {
    const res = await fetch(`${s.url}/api/channels?outcome=retention&window=30&horizon=90`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ outcome: 'retention', window_days: 30, horizon_days: 90, as_of: '2026-10-31' });
    expect(body.channels.map((c: { channel: string }) => c.channel)).toEqual([
      'display',
      'email',
      'events',
      'paid_search',
      'referral',
      'social',
    ]);
    for (const key of [
      'channel',
      'exposed',
      'unexposed',
      'rate_exposed',
      'rate_unexposed',
      'naive_lift',
      'lift',
      'ci',
      'spend',
      'incremental',
      'cost_per_incremental',
      'cost_ci',
      'method',
      'overlap',
      'e_value',
      'placebo',
      'q_value',
      'cross_check',
    ]) {
      expect(body.channels[0]).toHaveProperty(key);
    }
    expect(body.channels[0].overlap).toHaveProperty('propensity_range');
    expect(body.channels[0].placebo).toHaveProperty('flagged');
    expect(body.covariates.map((c: { name: string }) => c.name)).toEqual([
      'segment',
      'region',
      'acquisition channel',
      'signup month',
      'other channels reached',
    ]);
    // Each says how it entered the models: by its levels in these data.
    for (const c of body.covariates) expect(c).toMatchObject({ use: 'categorical', cuts: null });
    expect(body.covariates.find((c: { name: string }) => c.name === 'signup month').levels).toBeGreaterThan(1);
    // Survey outcomes add the response rate of each arm and the lift without response weighting.
    const nps = await (await fetch(`${s.url}/api/channels?outcome=nps`)).json();
    expect(Object.keys(nps.channels[0].response_rate).sort()).toEqual(['not_reached', 'reached']);
    expect(nps.channels[0].unweighted).toHaveProperty('lift');
  });

  it('names a bad parameter', async () => {
    const res = await fetch(`${s.url}/api/channels?outcome=clicks`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^invalid query: outcome: /);
  });

  it('POST /api/channels/what-if models a budget move and labels it a model', async () => {
    const res = await fetch(`${s.url}/api/channels/what-if`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moves: [{ from: 'paid_search', to: 'social', amount: 200000 }] }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.model).toBe(true);
    expect(body.assumptions.length).toBeGreaterThanOrEqual(3);
    const social = body.channels.find((c: { channel: string }) => c.channel === 'social');
    expect(social.spend_after - social.spend_now).toBeCloseTo(200000, 6);
    expect(social.change).toBeGreaterThan(0);
  });
});
