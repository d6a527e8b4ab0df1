// A definition edit reaches every cached answer that read it: the series, the mix model fitted on
// it (it kept the old fit until the next import), a goal's heading; priors in bearing.yaml too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const total = (rows: Array<{ value: number | null }>) => rows.reduce((a, r) => a + (r.value ?? 0), 0);
const actual = (series: Array<{ actual: number }>) => series.reduce((a, r) => a + r.actual, 0);

describe('a definition edit', () => {
  it('reaches the series, the mix model and the heading at once', async () => {
    const seriesBefore = await s.call('GET', '/api/metrics/store_revenue/series?grain=week');
    const mixBefore = await s.call('GET', '/api/mix?kpi=store_revenue');
    expect(mixBefore.status).toBe(200);
    const yaml = readFileSync(join(s.metricsDir, 'store_revenue.yaml'), 'utf8').replace(
      'measure: sum(value)',
      'measure: sum(value * 2)',
    );
    const saved = await s.call('PUT', '/api/metrics/store_revenue', { role: 'analyst', body: { yaml } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const seriesAfter = await s.call('GET', '/api/metrics/store_revenue/series?grain=week');
    expect(total(seriesAfter.body.rows)).toBeCloseTo(2 * total(seriesBefore.body.rows), 6);
    const mixAfter = await s.call('GET', '/api/mix?kpi=store_revenue');
    expect(actual(mixAfter.body.series)).toBeCloseTo(2 * actual(mixBefore.body.series), 6);
  }, 120_000);

  it('of the goals file shows in the heading at once', async () => {
    const before = (await s.call('GET', '/api/goals')).body.goals.find((g: { id: string }) => g.id === 'nps-40');
    const goals = readFileSync(s.goalsFile, 'utf8');
    writeFileSync(s.goalsFile, goals.replace(/(id: nps-40[\s\S]*?target: )[-\d.]+/, '$1-99'));
    const after = (await s.call('GET', '/api/goals')).body.goals.find((g: { id: string }) => g.id === 'nps-40');
    expect(before?.target).not.toBe(-99);
    expect(after?.target).toBe(-99);
  });
});
