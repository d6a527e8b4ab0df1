// Stored month series (rollups) must be a pure speed-up: every request they answer gets exactly
// the rows its own SQL returns on the same data, and every request they cannot answer exactly is
// computed instead. Real sample database, real server for the refresh-after-import path.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../data/import/index.ts';
import { readRollup, refreshRollups } from '../../metrics/rollups.ts';
import { prepareSeries, type SeriesRequest } from '../../metrics/series.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ rollups: true });
  await s.rollups!.schedule();
}, 300_000);
afterAll(() => s.close());

type Row = Record<string, unknown>;
const normalise = (rows: Row[]): Row[] =>
  rows.map((r) => ({ ...r, value: r.value === null || Number.isNaN(r.value) ? null : r.value }));

/**
 * Same periods, groups, counts and completeness; values equal up to the last bits of a double:
 * DuckDB sums doubles in parallel, so the same SQL run twice can differ in the 16th digit.
 */
function expectSameRows(
  actual: Array<Record<string, unknown>>,
  expected: Array<Record<string, unknown>>,
  label: string,
) {
  const a = normalise(actual);
  const e = normalise(expected);
  expect(
    a.map(({ value: _v, ...r }) => r),
    label,
  ).toEqual(e.map(({ value: _v, ...r }) => r));
  a.forEach((row, i) => {
    const x = row.value as number | null;
    const y = e[i]!.value as number | null;
    if (x === null || y === null) expect(x, label).toBe(y);
    else expect(Math.abs(x - y), `${label} ${row.period}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
  });
}

/** The SQL a series runs, as of the date its own tables are complete through (as the server decides). */
async function direct(name: string, request: SeriesRequest) {
  const metric = s.catalog.get(name)!;
  const { query } = await prepareSeries(s.db, metric, request, s.catalog.resolve);
  return normalise(await s.db.all(query.sql, query.params));
}

async function asOf(): Promise<string> {
  return (await s.db.one<{ d: string }>(`SELECT strftime(as_of, '%Y-%m-%d') AS d FROM bearing_meta`))!.d;
}

describe('rollups', () => {
  it('are computed for every metric, overall and by each dimension', async () => {
    const expected = s.catalog.metrics.reduce((n, m) => n + 1 + m.dimensions.length, 0);
    const sets = await s.db.one<{ n: number }>(
      `SELECT count(*) AS n FROM rollup_sets WHERE data_version = (SELECT data_version FROM bearing_meta)`,
    );
    expect(s.catalog.metrics.length).toBeGreaterThanOrEqual(9);
    expect(sets?.n).toBe(expected);
  });

  it('answer whole histories, breakdowns, one-dimension filters and sub-ranges exactly as the SQL does', async () => {
    let answered = 0;
    for (const metric of s.catalog.metrics) {
      const name = metric.definition.name;
      const requests: SeriesRequest[] = [{}, { from: '2025-03-15', to: '2026-02-10' }, { to: '2025-12-31' }];
      for (const dim of metric.dimensions) {
        requests.push({ by: dim }, { by: dim, from: '2025-06-01' });
        const values = await direct(name, { by: dim });
        const someValue = values.map((r) => r.group as string).find((g) => g !== '(none)');
        if (someValue)
          requests.push(
            { where: { [dim]: someValue } },
            { where: { [dim]: someValue }, from: '2025-01-20', to: '2026-05-01' },
          );
      }
      for (const request of requests) {
        const stored = await readRollup(s.db, metric, request, s.catalog.resolve);
        expect(stored, `${name} ${JSON.stringify(request)} should be answered from rollups`).not.toBeNull();
        expectSameRows(stored as never, await direct(name, request), `${name} ${JSON.stringify(request)}`);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(100);
  });

  it('leave to the SQL every request they cannot answer exactly', async () => {
    const metric = s.catalog.get('nps')!;
    const day = await asOf();
    const notStored: SeriesRequest[] = [
      { grain: 'week' },
      { grain: 'quarter' },
      { where: { region: 'latam', segment: 'smb' } },
      { by: 'region', where: { segment: 'smb' } },
      { where: { region: '(none)' } },
      { where: { region: 'atlantis' } },
      { asOf: '2026-06-30' },
      { from: '2019-01-01' },
    ];
    for (const request of notStored)
      expect(await readRollup(s.db, metric, request, s.catalog.resolve), JSON.stringify(request)).toBeNull();
    // …while the API still answers them (computed).
    const res = await s.call('GET', `/api/metrics/nps/series?grain=week&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.body.rows.length).toBeGreaterThan(50);
  });

  it('stop matching when the data changes, and are recomputed after an import through the API', async () => {
    const metric = s.catalog.get('active_customers')!;
    const before = await readRollup(s.db, metric, {}, s.catalog.resolve);
    expect(before).not.toBeNull();
    const res = await s.call('POST', '/api/import?table=customers', {
      role: 'analyst',
      body: 'customer_id,signup_date,region\nroll1,2026-10-30,latam\nroll2,2026-10-31,latam\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    await s.rollups!.schedule();
    // Until a refresh has run, nothing stale is served: data changed behind the refresher's back
    // (an import straight into the database, which schedules nothing) has no stored set at all.
    const file = join(s.dir, 'more-customers.csv');
    writeFileSync(file, 'customer_id,signup_date,region\nroll3,2026-10-30,latam\n');
    await importFiles(s.db, [{ path: file, table: 'customers' }]);
    expect(await readRollup(s.db, metric, {}, s.catalog.resolve)).toBeNull();
    await s.rollups!.schedule();
    const after = await readRollup(s.db, metric, {}, s.catalog.resolve);
    expect(after).not.toBeNull();
    expectSameRows(after as never, await direct('active_customers', {}), 'after');
    expect(after!.at(-1)!.n).toBe(before!.at(-1)!.n + 3);
    const stale = await s.db.one<{ n: number }>(
      `SELECT count(*) AS n FROM rollup_sets WHERE data_version <> (SELECT data_version FROM bearing_meta)`,
    );
    expect(stale?.n).toBe(0);
    const health = await s.call('GET', '/api/health');
    expect(health.body.rollups).toMatchObject({
      refreshing: false,
      sets: s.catalog.metrics.reduce((n, m) => n + 1 + m.dimensions.length, 0),
    });
  }, 300_000);

  it('a refresh with nothing to do computes nothing', async () => {
    const report = await refreshRollups(s.db, s.catalog);
    expect(report.computed).toBe(0);
    expect(report.sets).toBeGreaterThan(30);
  });
});
