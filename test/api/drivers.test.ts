// GET /api/metrics/:name/drivers and /api/goals/:id/drivers on the sample world, whose last three
// months plant a fall in smb's NPS (data/sample/world.ts: smb_nps_dip). Window values are recomputed
// here from the raw survey and order rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const get = async (path: string) => s.call('GET', path);

/** NPS of the surveys answered between two days, optionally within one segment, from the raw rows. */
async function rawNps(from: string, to: string, segment?: string): Promise<number> {
  const row = await s.db.one<{ v: number }>(
    `SELECT 100.0 * (avg(CASE WHEN score >= 9 THEN 1.0 ELSE 0.0 END) - avg(CASE WHEN score <= 6 THEN 1.0 ELSE 0.0 END))
       AS v FROM surveys v JOIN customers c USING (customer_id)
     WHERE kind = 'nps' AND CAST(responded_at AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
       AND ($3 IS NULL OR c.segment = $3)`,
    [from, to, segment ?? null],
  );
  return row!.v;
}

describe('drivers of a goal', () => {
  it('names smb’s own score as why NPS fell over the last three months, with the raw windows’ values', async () => {
    const { status, body } = await get('/api/goals/nps-40/drivers?window=3');
    expect(status).toBe(200);
    expect(body.before).toBeCloseTo(await rawNps(body.compare.from, body.compare.to), 6);
    expect(body.after).toBeCloseTo(await rawNps(body.period.from, body.period.to), 6);
    expect(body.change).toBeLessThan(0);
    const top = body.drivers[0];
    expect(top).toMatchObject({ dimension: 'segment', value: 'smb', kind: 'rate', driver: true });
    expect(top.before).toBeCloseTo(await rawNps(body.compare.from, body.compare.to, 'smb'), 6);
    expect(top.after).toBeCloseTo(await rawNps(body.period.from, body.period.to, 'smb'), 6);
    expect(top.contribution_ci[0]).toBeLessThan(top.contribution);
    expect(top.contribution_ci[1]).toBeGreaterThan(top.contribution);
    expect(top.contribution_ci[1]).toBeLessThan(0);
    expect(body.sentence).toMatch(
      /^Net Promoter Score fell [\d.]+ pts .*: smb's own score fell [\d.]+ pts \(segment; explains \d+%\)/,
    );
    // The other segments did not move beyond noise.
    expect(
      body.drivers.filter((d: { dimension: string; kind: string }) => d.dimension === 'segment' && d.kind === 'rate'),
    ).toHaveLength(1);
  });

  it('splits the change exactly: each dimension’s contributions add up to it', async () => {
    const { body } = await get('/api/goals/nps-40/drivers?window=3');
    // Up to 20 contributions are listed; segment's six (3 groups × rate and mix) are all among them.
    const segment = body.contributions.filter((c: { dimension: string }) => c.dimension === 'segment');
    expect(segment).toHaveLength(6);
    const sum = segment.reduce((t: number, c: { contribution: number }) => t + c.contribution, 0);
    expect(sum).toBeCloseTo(body.change, 9);
  });

  it('keeps the goal’s own filter and leaves its dimension out of the split', async () => {
    const { status, body } = await get('/api/goals/enterprise-nps/drivers?window=3');
    expect(status).toBe(200);
    expect(body.where).toEqual({ segment: 'enterprise' });
    expect(body.dimensions).not.toContain('segment');
    expect(body.after).toBeCloseTo(await rawNps(body.period.from, body.period.to, 'enterprise'), 6);
  });

  it('answers 404 for an unknown goal', async () => {
    expect((await get('/api/goals/nope/drivers')).status).toBe(404);
  });
});

describe('drivers of a metric', () => {
  it('splits a total by each group’s own change, for explicit windows', async () => {
    const q = 'from=2026-01-01&to=2026-03-31&compare_from=2025-01-01&compare_to=2025-03-31';
    const { status, body } = await get(`/api/metrics/revenue/drivers?${q}`);
    expect(status).toBe(200);
    const raw = async (from: string, to: string) =>
      (await s.db.one<{ v: number }>(
        `SELECT sum(amount) AS v FROM orders
         WHERE CAST(ordered_at AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)`,
        [from, to],
      ))!.v;
    expect(body.before).toBeCloseTo(await raw('2025-01-01', '2025-03-31'), 2);
    expect(body.after).toBeCloseTo(await raw('2026-01-01', '2026-03-31'), 2);
    expect(body.method).toMatch(/own change/);
    expect(body.contributions.every((c: { kind: string }) => c.kind === 'total')).toBe(true);
    const region = body.contributions.filter((c: { dimension: string }) => c.dimension === 'region');
    expect(region.reduce((t: number, c: { contribution: number }) => t + c.contribution, 0)).toBeCloseTo(
      body.change,
      4,
    );
  });

  it('weighs a ratio of two metrics by its denominator', async () => {
    const { status, body } = await get('/api/metrics/revenue_per_customer/drivers?window=3');
    expect(status).toBe(200);
    expect(body.method).toMatch(/weighted by Active customers/);
    expect(body.dimensions).toEqual(['segment', 'region', 'acquisition_channel']);
  });

  it('refuses what it cannot answer, naming why', async () => {
    const unknown = await get('/api/metrics/nope/drivers');
    expect(unknown.status).toBe(404);
    const dim = await get('/api/metrics/nps/drivers?where=colour=red');
    expect(dim.status).toBe(400);
    expect(dim.body.error.message).toMatch(/"colour" is not a dimension of nps/);
    const backwards = await get('/api/metrics/nps/drivers?from=2026-01-01&to=2026-01-31&compare_from=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/must end before/);
    const window = await get('/api/metrics/nps/drivers?window=0');
    expect(window.status).toBe(400);
  });
});

describe('drivers in the workspace’s currency', () => {
  it('money in the sentence carries the currency bearing.yaml names (R$, never a bare number)', async () => {
    const { existsSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(s.dir, 'bearing.yaml');
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    writeFileSync(file, 'currency: BRL\n');
    try {
      const { status, body } = await get('/api/metrics/revenue/drivers?window=1');
      expect(status).toBe(200);
      // "Revenue rose R$405,383 (R$4,958,946 → R$5,364,328, …)": every amount with its symbol.
      expect(body.sentence).toMatch(/^Revenue (rose|fell) R\$[\d,]+ \(R\$[\d,]+ → R\$[\d,]+, /);
      expect(body.sentence).not.toMatch(/[^$\d,][\d]{1,3},\d{3}/);
    } finally {
      if (before === null) rmSync(file);
      else writeFileSync(file, before);
    }
  });
});
