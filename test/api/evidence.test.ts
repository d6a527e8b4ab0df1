// Every method side by side over HTTP on the sample world, and the what-if following a mix model's
// fitted curve once a customer-level channel is also bought in aggregate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMeta } from '../../data/schema.ts';
import { fittedCurves } from '../../metrics/mix/index.ts';
import { steadyResponse } from '../../metrics/mix/transform.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type Row = { channel: string; verdict: string; estimates: Array<{ source: string; id: string | null }> };

describe('GET /api/channels/evidence and the what-if with fitted curves', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('lines up the customer-level lifts, the mix model and the experiments, with the mix’s verdicts', async () => {
    const res = await s.call('GET', '/api/channels/evidence?kpi=store_revenue&controls=competitor_index,holiday');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { channels, customer_metric, kpi } = res.body as { channels: Row[]; customer_metric: string; kpi: string };
    expect(kpi).toBe('store_revenue');
    expect(customer_metric).toBe('revenue');
    const mix = (await s.call('GET', '/api/mix?kpi=store_revenue&controls=competitor_index,holiday')).body;
    // Every channel either method knows, once.
    const touched = (await s.call('GET', '/api/channels?outcome=revenue')).body.channels.map(
      (c: { channel: string }) => c.channel,
    );
    const bought = mix.channels.map((c: { channel: string }) => c.channel);
    expect(channels.map((r) => r.channel).sort()).toEqual([...new Set([...touched, ...bought])].sort());
    for (const c of touched) expect(channels.find((r) => r.channel === c)!.verdict).toBe('one method');
    // Each experiment on the KPI is judged exactly as the Mix page judges it.
    for (const e of mix.experiments) {
      const row = channels.find((r) => r.channel === e.channel)! as Row & { checks: Array<{ agrees: boolean }> };
      expect(row.estimates.map((x) => x.source)).toEqual(['mix', 'experiment']);
      expect(row.checks.map((c) => c.agrees)).toEqual([e.agrees]);
      expect(row.verdict).toBe(e.agrees ? 'agree' : 'disagree');
    }
  });

  it('without a KPI it opens on the metric tagged mix; an unknown KPI is a note, not a failure', async () => {
    expect((await s.call('GET', '/api/channels/evidence')).body.kpi).toBe('store_revenue');
    const res = await s.call('GET', '/api/channels/evidence?kpi=nope');
    expect(res.status).toBe(200);
    expect(res.body.notes).toEqual(['mix model of nope: no metric named "nope"']);
  });

  it('a channel bought in aggregate and reached per customer: the what-if follows its fitted curve', async () => {
    const move = { moves: [{ from: 'social', to: 'email', amount: 20000 }] };
    const before = await s.call('POST', '/api/channels/what-if', { body: move });
    expect(before.body.channels.every((c: { response: string }) => c.response === 'elasticity')).toBe(true);
    // Email's customer-level touches stay; the weekly podcast buying (and its lift test) is now called email.
    await s.db.write(async (w) => {
      await w.run(`UPDATE media SET channel = 'email' WHERE channel = 'podcasts'`);
      await w.run(`UPDATE experiments SET channel = 'email' WHERE channel = 'podcasts'`);
      await refreshMeta(w, { touched: ['media'] });
    });
    const res = await s.call('POST', '/api/channels/what-if', { body: { ...move, mix_kpi: 'store_revenue' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const email = res.body.channels.find((c: { channel: string }) => c.channel === 'email');
    const social = res.body.channels.find((c: { channel: string }) => c.channel === 'social');
    expect(email.response).toBe('fitted curve');
    expect(social.response).toBe('elasticity');
    const curve = (await fittedCurves(s.db, s.catalog, { kpi: 'store_revenue' })).get('email')!;
    const at = (x: number) => steadyResponse(x, curve.point.beta, curve.point.k, curve.point);
    const m = email.spend_after / email.spend_now;
    expect(email.change / email.incremental_now).toBeCloseTo(at(curve.weekly_now * m) / at(curve.weekly_now) - 1, 9);
    expect(res.body.assumptions[0]).toMatch(/^email: .*store_revenue/);
  });
});

describe('channels with media and observations but no customers', () => {
  it('the comparison is empty (was a 500), and the evidence says why neither method answers', async () => {
    const s = await startTestServer({ data: 'empty' });
    try {
      await s.db.write(async (w) => {
        await w.run(`INSERT INTO media (channel, date, spend) VALUES ('tv', DATE '2025-01-06', 100)`);
        await refreshMeta(w, { touched: ['media'] });
      });
      const channels = await s.call('GET', '/api/channels?outcome=revenue');
      expect(channels.status, JSON.stringify(channels.body)).toBe(200);
      expect(channels.body.channels).toEqual([]);
      const evidence = await s.call('GET', '/api/channels/evidence');
      expect(evidence.status, JSON.stringify(evidence.body)).toBe(200);
      expect(evidence.body.notes).toEqual([
        expect.stringMatching(/^customer-level comparison: no customer has a complete 30\+90-day window/),
        'mix model of store_revenue: the mix model needs at least 52 complete weeks of store_revenue; it has 0',
      ]);
    } finally {
      await s.close();
    }
  });
});
