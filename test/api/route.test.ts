// GET /api/goals/:id/route on the sample world: levers measured on the goal's outcome, plans that
// lift its chance, and the true reason when no lever is measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

interface Lever {
  channel: string;
  lift: number;
  lift_ci: [number, number];
  helps: boolean;
  move_per_1000: number;
}

describe('the route back', () => {
  it('off-course NPS: channels measured on NPS, levers where the whole interval helps, plans lift it', async () => {
    const { status, body } = await s.call('GET', '/api/goals/nps-40/route');
    expect(status).toBe(200);
    expect(body).toMatchObject({ goal: 'nps-40', status: 'off_course', outcome: 'nps', target_probability: 0.7 });
    // The same lifts as the channel comparison on NPS.
    const channels = (await s.call('GET', '/api/channels?outcome=nps')).body.channels as Array<{
      channel: string;
      lift: number;
      ci: [number, number];
    }>;
    for (const l of body.levers as Lever[]) {
      const row = channels.find((c) => c.channel === l.channel)!;
      expect(l.lift).toBeCloseTo(row.lift, 9);
      expect(l.helps).toBe(row.ci[0] > 0);
      expect(Math.sign(l.move_per_1000)).toBe(Math.sign(l.lift));
    }
    expect(body.plans.length).toBeGreaterThan(0);
    for (const p of body.plans) {
      expect(p.probability_after).toBeGreaterThan(body.probability_now);
      expect(p.probability_after_ci[0]).toBeLessThanOrEqual(p.probability_after);
      expect(p.extra_spend).toBeLessThanOrEqual(body.max_extra_per_month + 1);
      for (const m of p.moves) expect((body.levers as Lever[]).find((l) => l.channel === m.channel)!.helps).toBe(true);
    }
    expect(body.assumptions.join(' ')).toMatch(/A model, not a measurement/);
  });

  it('a bigger limit reaches further', async () => {
    const small = (await s.call('GET', '/api/goals/nps-40/route?max_extra=1000')).body;
    const large = (await s.call('GET', '/api/goals/nps-40/route?max_extra=5000000')).body;
    expect(large.plans[0].probability_after).toBeGreaterThan(small.plans[0].probability_after);
  });

  it('says why when no channel measures the metric, and needs no route on course', async () => {
    const churn = (await s.call('GET', '/api/goals/monthly-churn/route')).body;
    expect(churn.levers).toEqual([]);
    expect(churn.reason).toMatch(/no channel's effect on Monthly churn rate is measured: .* lift test/);
    const onCourse = (await s.call('GET', '/api/goals/social-engagement/route')).body;
    expect(onCourse.plans).toEqual([]);
    expect((await s.call('GET', '/api/goals/nope/route')).status).toBe(404);
  });

  it('a KPI of observations: the media-mix model’s channels, moved along their fitted curves', async () => {
    const series = (await s.call('GET', '/api/metrics/store_revenue/series')).body.rows as Array<{
      value: number | null;
      complete: boolean;
    }>;
    const last = series.filter((r) => r.complete && r.value !== null).at(-1)!.value!;
    const goal = { id: 'store-growth', metric: 'store_revenue', target: Math.round(last * 1.5), due: '2027-06-30' };
    expect((await s.call('POST', '/api/goals', { role: 'analyst', body: goal })).status).toBe(201);
    const { status, body } = await s.call('GET', '/api/goals/store-growth/route?max_extra=5000000');
    expect(status).toBe(200);
    expect(body.outcome).toBe('mix');
    const mix = (await s.call('GET', '/api/mix?kpi=store_revenue')).body.channels as Array<{
      channel: string;
      mroi: number;
    }>;
    expect(body.levers.map((l: Lever) => l.channel).sort()).toEqual(mix.map((c) => c.channel).sort());
    for (const l of body.levers as Lever[])
      expect(l.lift).toBeCloseTo(mix.find((c) => c.channel === l.channel)!.mroi, 9);
    // Half again as much by mid-2027 is off course; the plan moves the month's KPI along the curves.
    expect(body.status).toBe('off_course');
    expect(body.plans[0].probability_after).toBeGreaterThan(body.probability_now);
    expect(body.assumptions.join(' ')).toMatch(/fitted response curve/);
  }, 120_000);
});
