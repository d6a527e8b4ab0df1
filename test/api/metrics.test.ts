import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeriesQuery } from '../../metrics/series.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const get = async (path: string) => {
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, body: await res.json() };
};
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

describe('metrics API over real HTTP', () => {
  it('GET /api/metrics lists every definition with its YAML and compiled SQL', async () => {
    const { status, body } = await get('/api/metrics');
    expect(status).toBe(200);
    expect(body.problems).toEqual([]);
    const nps = body.metrics.find((m: { name: string }) => m.name === 'nps');
    expect(nps).toMatchObject({
      unit: 'score',
      direction: 'up',
      kind: 'aggregate',
      file: 'nps.yaml',
      dimensions: ['segment', 'region', 'acquisition_channel'],
    });
    expect(nps.yaml).toContain("filter: kind = 'nps'");
    expect(nps.sql).toContain('WITH periods AS');
  });

  it('GET /api/metrics/:name/series answers exactly what the compiled SQL gives DuckDB directly', async () => {
    const { status, body } = await get('/api/metrics/nps/series?grain=quarter&from=2025-01-01&where=segment=smb');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metric: 'nps',
      grain: 'quarter',
      unit: 'score',
      as_of: '2026-10-31',
      where: { segment: 'smb' },
    });
    const direct = buildSeriesQuery(
      s.catalog.get('nps')!,
      { grain: 'quarter', from: '2025-01-01', where: { segment: 'smb' }, asOf: '2026-10-31' },
      s.catalog.resolve,
    );
    const rows = await s.db.all<{ period: string; value: number; n: number }>(direct.sql, direct.params);
    expect(body.rows.map((r: { period: string; value: number; n: number }) => [r.period, r.value, r.n])).toEqual(
      rows.map((r) => [r.period, r.value, r.n]),
    );
    expect(body.rows).toHaveLength(8);
  });

  it('series with --by returns a group per row', async () => {
    const { body } = await get('/api/metrics/revenue_per_customer/series?from=2026-09-01&by=region');
    expect(body.rows.map((r: { group: string }) => r.group)).toEqual([
      'apac',
      'emea',
      'latam',
      'na',
      'apac',
      'emea',
      'latam',
      'na',
    ]);
  });

  it('names the bad field: unknown metric 404, bad grain 400, bad dimension 400', async () => {
    expect((await get('/api/metrics/nope/series')).status).toBe(404);
    const grain = await get('/api/metrics/nps/series?grain=year');
    expect(grain.status).toBe(400);
    expect(grain.body.error.message).toMatch(/^invalid query: grain: /);
    const dim = await get('/api/metrics/nps/series?by=shoe_size');
    expect(dim).toMatchObject({ status: 400, body: { error: { code: 'unknown-dimension' } } });
    const where = await get('/api/metrics/nps/series?where=segment');
    expect(where.body.error.message).toContain('expected DIMENSION=VALUE (got "segment")');
  });

  it('POST /api/metrics/check returns problems with line numbers and writes nothing', async () => {
    const yaml =
      'name: draft\nlabel: Draft\ndescription: d\nunit: count\ndirection: up\ntable: orders\ntime: ' +
      'ordered_at\nmeasure: sum(amout)\n';
    const { status, body } = await post('/api/metrics/check', { yaml });
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual([
      expect.objectContaining({ code: 'unknown-column', line: 8, col: 14, field: 'measure' }),
    ]);
    expect((await get('/api/metrics')).body.metrics.map((m: { name: string }) => m.name)).not.toContain('draft');
  });

  it('POST /api/metrics/preview computes a draft’s series, and refuses a broken one with 422', async () => {
    const yaml =
      'name: big_orders\nlabel: Big orders\ndescription: d\nunit: count\ndirection: up\ntable: orders\ntime: ' +
      'ordered_at\nmeasure: count(*)\nfilter: amount > 500\n';
    const { status, body } = await post('/api/metrics/preview?from=2026-10-01', { yaml });
    expect(status).toBe(200);
    const direct = await s.db.one<{ n: number }>(
      `SELECT count(*) AS n FROM orders WHERE amount > 500 AND ordered_at >= '2026-10-01'`,
    );
    expect(body.rows).toEqual([{ period: '2026-10-01', value: direct!.n, n: direct!.n, complete: true }]);
    const broken = await post('/api/metrics/preview', {
      yaml: yaml.replace('count(*)', "(select 1 from read_csv('/etc/passwd'))"),
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error.details.problems[0].code).toBe('outside-sandbox');
  });
});

describe('result cache', () => {
  it('answers exactly what DuckDB gives directly, before and after a write changes the data', async () => {
    const direct = async () => {
      const q = buildSeriesQuery(
        s.catalog.get('revenue')!,
        { from: '2026-10-01', asOf: '2026-10-31' },
        s.catalog.resolve,
      );
      return (await s.db.all<{ period: string; value: number; n: number }>(q.sql, q.params)).map((r) => [
        r.period,
        r.value,
        r.n,
      ]);
    };
    const viaApi = async () =>
      (await (await fetch(`${s.url}/api/metrics/revenue/series?from=2026-10-01`)).json()).rows.map(
        (r: { period: string; value: number; n: number }) => [r.period, r.value, r.n],
      );
    // Parallel sums of doubles may differ in the last bits between runs; everything else is exact.
    const same = (a: unknown[][], b: unknown[][]) => {
      expect(a.map((r) => [r[0], r[2]])).toEqual(b.map((r) => [r[0], r[2]]));
      for (const [i, r] of a.entries()) expect(r[1] as number).toBeCloseTo(b[i]![1] as number, 4);
    };
    const before = await direct();
    same(await viaApi(), before);
    same(await viaApi(), before); // served from the cache
    const csv = 'order_id,customer_id,ordered_at,amount\ncache-o1,C0000001,2026-10-15,1000\n';
    const imported = await s.call('POST', '/api/import?filename=orders.csv', {
      role: 'analyst',
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    const after = await direct();
    expect(after[0]![2]).toBe((before[0]![2] as number) + 1);
    same(await viaApi(), after);
  });
});
