// Weekly figures in months: a row dated by its week's first day and declared `row_period: week`
// is spread over its seven days, so a month counts the days of each week it holds. At 700 a week
// (100 a day) every whole month reads 100 × its days; read by start date, months with five Mondays
// read 3,500 and those with four 2,800.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../data/db.ts';
import { importFiles } from '../../data/import/index.ts';
import { Catalog } from '../../metrics/catalog.ts';
import { runSeries } from '../../metrics/series.ts';
import { openTestDb } from '../helpers/db.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const definition = (name: string, extra: string, measure = 'sum(value)') =>
  `name: ${name}\nlabel: ${name}\ndescription: Weekly KPI.\nunit: currency\ndirection: up\ntable: observations\n` +
  `time: date\nfilter: name = 'weekly_kpi'\nmeasure: ${measure}\n${extra}`;

describe('weekly rows in months', () => {
  const { dir, cleanup } = tempDir();
  let db: Database;
  let catalog: Catalog;
  beforeAll(async () => {
    db = await openTestDb(dir);
    // Mondays from 2024-12-30 to 2026-01-05: every day of 2025 is covered once.
    const rows: string[][] = [];
    for (let t = Date.parse('2024-12-30T00:00:00Z'); t <= Date.parse('2026-01-05T00:00:00Z'); t += 7 * 86_400_000)
      rows.push(['weekly_kpi', new Date(t).toISOString().slice(0, 10), '700']);
    await importFiles(db, [{ path: writeCsv(dir, 'observations.csv', ['name', 'date', 'value'], rows) }], {
      completeThrough: '2026-01-11',
    });
    const metrics = join(dir, 'metrics');
    mkdirSync(metrics);
    writeFileSync(join(metrics, 'spread.yaml'), definition('spread', 'row_period: week\n'));
    writeFileSync(join(metrics, 'by_start.yaml'), definition('by_start', ''));
    writeFileSync(join(metrics, 'bad.yaml'), definition('bad', 'row_period: week\n', 'avg(value)'));
    catalog = await Catalog.load(db, metrics);
  });
  afterAll(() => {
    db?.close();
    cleanup();
  });

  const months = async (name: string, grain: 'month' | 'quarter' | 'week' = 'month') =>
    (await runSeries(db, catalog.get(name)!, { grain, from: '2025-01-01', to: '2025-12-31' }, catalog.resolve)).rows;

  it('a month counts the days of each week it holds; a quarter and the year add up', async () => {
    const spread = await months('spread');
    expect(spread).toHaveLength(12);
    for (const r of spread) {
      const start = new Date(`${r.period}T00:00:00Z`);
      const days = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
      expect(r.value, r.period).toBeCloseTo(100 * days, 6);
    }
    const quarters = await months('spread', 'quarter');
    expect(quarters.map((r) => Math.round(r.value!))).toEqual([9000, 9100, 9200, 9200]);
    // By start date (undeclared) the same weeks read 2,800 or 3,500 a month.
    const byStart = await months('by_start');
    expect(new Set(byStart.map((r) => r.value))).toEqual(new Set([2800, 3500]));
    // Weeks keep their totals at week grain (each week starts on the Monday it is dated).
    const weeks = await months('spread', 'week');
    expect(weeks.filter((r) => r.value !== null).every((r) => Math.abs(r.value! - 700) < 1e-6)).toBe(true);
  });

  it('refuses row_period: week on a measure that is not one sum, at the field', () => {
    expect(catalog.get('bad')).toBeUndefined();
    const p = catalog.problems.find((x) => x.file === 'bad.yaml')!;
    expect(p).toMatchObject({ field: 'row_period', code: 'invalid-field', line: 10 });
    expect(p.message).toMatch(/only one sum\(\.\.\.\) can be spread over days/);
  });

  it('bearing check names weekly rows left undeclared, and is quiet once they are declared', () => {
    const ws = makeWorkspace();
    try {
      // Eight Mondays, a week apart.
      const rows = Array.from({ length: 8 }, (_, i) =>
        new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10),
      );
      ws.write('observations.csv', `name,date,value\n${rows.map((d) => `weekly_kpi,${d},700`).join('\n')}\n`);
      expect(ws.bearing('import', join(ws.dir, 'observations.csv')).status).toBe(0);
      ws.write('metrics/definitions/kpi.yaml', definition('kpi', ''));
      const loose = ws.bearing('check', '--metrics', join(ws.dir, 'metrics/definitions'));
      expect(loose.status, loose.stderr).toBe(0);
      expect(loose.stderr).toMatch(
        /warning: .*kpi\.yaml: its 8 rows fall on one weekday, a week or more apart: add row_period/,
      );
      ws.write('metrics/definitions/kpi.yaml', definition('kpi', 'row_period: week\n'));
      const declared = ws.bearing('check', '--metrics', join(ws.dir, 'metrics/definitions'));
      expect(declared.status, declared.stderr).toBe(0);
      expect(declared.stderr).not.toMatch(/row_period/);
    } finally {
      ws.cleanup();
    }
  });
});
