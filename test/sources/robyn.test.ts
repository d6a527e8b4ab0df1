// Meta Robyn's weekly media file (MIT) into `media` and `observations` by unpivot: one row per
// channel and week, and the same totals per channel as the file.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROBYN_CHANNELS, ROBYN_FILE, writeRobynSources } from '../helpers/robyn.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

const FILE = ROBYN_FILE;
const CHANNELS = ROBYN_CHANNELS;
let ws: TestWorkspace;

async function query(path: string, sql: string, readOnly = false) {
  const instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  const c = await instance.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, string | number | null>[];
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

beforeAll(() => {
  ws = makeWorkspace();
  writeRobynSources(ws.sources);
});
afterAll(() => ws?.cleanup());

describe('Robyn weekly media through a sources file', () => {
  it('lands one media row per channel and week, with the file’s totals per channel', async () => {
    const sync = ws.bearing('sync');
    expect(sync.status, sync.stderr).toBe(0);
    const file = (
      await query(
        ':memory:',
        `SELECT count(*) AS weeks, ${CHANNELS.map((c) => `sum(${c}_S) AS ${c}`).join(', ')}, ` +
          `sum(revenue) AS revenue, sum(competitor_sales_B) AS competitor FROM read_csv('${FILE}')`,
      )
    )[0]!;
    const stored = await query(
      ws.db,
      `SELECT channel, count(*) AS n, sum(spend) AS total FROM media GROUP BY 1 ORDER BY 1`,
      true,
    );
    expect(stored.map((r) => r.channel)).toEqual([...CHANNELS].sort());
    for (const r of stored) {
      expect(Number(r.n)).toBe(Number(file.weeks));
      expect(Number(r.total)).toBeCloseTo(Number(file[String(r.channel)]), 6);
    }
    const kpis = await query(
      ws.db,
      `SELECT name, count(*) AS n, sum(value) AS total FROM observations GROUP BY 1 ORDER BY 1`,
      true,
    );
    expect(kpis.map((k) => k.name)).toEqual(['competitor_sales_B', 'events', 'revenue']);
    expect(Number(kpis.find((k) => k.name === 'revenue')!.total)).toBeCloseTo(Number(file.revenue), 4);
    expect(Number(kpis.find((k) => k.name === 'competitor_sales_B')!.total)).toBeCloseTo(Number(file.competitor), 4);
  });

  it('serves a metric over observations like any other table', () => {
    ws.write(
      'metrics/definitions/weekly_revenue.yaml',
      'name: weekly_revenue\nlabel: Revenue (weekly file)\ndescription: Revenue from the weekly KPI file.\n' +
        'unit: currency\ndirection: up\ntable: observations\ntime: date\n' +
        "filter: name = 'revenue'\nmeasure: sum(value)\n",
    );
    expect(ws.bearing('check').status).toBe(0);
    const r = ws.bearing('query', 'weekly_revenue', '--grain', 'quarter', '--json');
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<{ value: number | null }>;
    expect(rows.length).toBeGreaterThan(12);
    expect(rows.every((x) => x.value === null || x.value > 0)).toBe(true);
  });
});
