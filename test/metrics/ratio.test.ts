// Ratio metrics: a numerator and a denominator, each a measure over its own table and filter,
// divided per period and per dimension value (orders per active customer in a segment is that
// segment's orders over that segment's customers), checked against SQL written by hand on the
// sample world; their problems named at their nested fields; their parts never listed.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { Catalog } from '../../metrics/catalog.ts';
import { runSeries } from '../../metrics/series.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { tempDir } from '../helpers/tmp.ts';

const RATIO = `name: orders_per_customer
label: Orders per active customer
description: Orders in the period over the customers active in it.
unit: number
direction: up
numerator:
  table: orders
  time: ordered_at
  measure: count(*)
denominator:
  table: customers
  time: signup_date
  active_until: churn_date
  measure: count(*)
dimensions: [segment, region]
`;

describe('ratio metrics', () => {
  const { dir, cleanup } = tempDir();
  let db: Database;
  beforeAll(async () => {
    copyFileSync(SAMPLE_DB, join(dir, 'sample.duckdb'));
    db = await Database.open(join(dir, 'sample.duckdb'), { allowedDirectories: [dir] });
  });
  afterAll(() => {
    db?.close();
    cleanup();
  });

  const catalogWith = async (files: Record<string, string>) => {
    const metrics = join(dir, `m${Math.random().toString(36).slice(2)}`);
    mkdirSync(metrics);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(metrics, name), text);
    return Catalog.load(db, metrics);
  };

  it('divides each segment’s numerator by that segment’s denominator, month by month', async () => {
    const catalog = await catalogWith({ 'orders_per_customer.yaml': RATIO });
    expect(catalog.problems).toEqual([]);
    // Listed once; its parts resolve but are never shown.
    expect(catalog.metrics.map((m) => m.definition.name)).toEqual(['orders_per_customer']);
    expect(catalog.metrics[0]!.dimensions).toEqual(['segment', 'region']);
    const metric = catalog.get('orders_per_customer')!;
    const month = { grain: 'month' as const, from: '2026-09-01', to: '2026-10-31' };
    const bySegment = await runSeries(db, metric, { ...month, by: 'segment' }, catalog.resolve);
    const expected = await db.all<{ period: string; segment: string; v: number }>(
      `WITH m AS (SELECT * FROM (VALUES (DATE '2026-09-01'), (DATE '2026-10-01')) t(start)),
       o AS (SELECT date_trunc('month', o.ordered_at)::DATE AS start, c.segment, count(*) AS n
             FROM orders o JOIN customers c USING (customer_id) GROUP BY ALL),
       a AS (SELECT m.start, c.segment, count(*) AS n FROM m JOIN customers c
             ON c.signup_date <= last_day(m.start) AND (c.churn_date IS NULL OR c.churn_date >= m.start) GROUP BY ALL)
       SELECT strftime(a.start, '%Y-%m-%d') AS period, a.segment, o.n / a.n AS v
       FROM a JOIN o USING (start, segment) ORDER BY 1, 2`,
    );
    expect(expected).toHaveLength(6);
    for (const e of expected) {
      const row = bySegment.rows.find((r) => r.period === e.period && r.group === e.segment);
      expect(row?.value, `${e.period} ${e.segment}`).toBeCloseTo(e.v, 12);
    }
    // Segments differ (the world plants more orders in larger accounts), and none reads the whole's ratio.
    const whole = await runSeries(db, metric, month, catalog.resolve);
    const october = bySegment.rows.filter((r) => r.period === '2026-10-01').map((r) => r.value!);
    expect(Math.max(...october) / Math.min(...october)).toBeGreaterThan(1.5);
    expect(whole.rows.at(-1)!.value).toBeGreaterThan(Math.min(...october));
    expect(whole.rows.at(-1)!.value).toBeLessThan(Math.max(...october));
  });

  it('names a bad numerator or denominator at its nested field, and an unknown field there', async () => {
    const bad = RATIO.replace('  measure: count(*)\ndenominator', '  measure: sum(amout)\ndenominator').replace(
      '  active_until: churn_date',
      '  active_until: churn_date\n  grain: month',
    );
    const catalog = await catalogWith({ 'bad.yaml': bad });
    expect(catalog.metrics).toEqual([]);
    const problems = catalog.problems.map((p) => `${p.file}:${p.line} ${p.field} ${p.code}`);
    expect(problems).toContain('bad.yaml:14 denominator.grain unknown-field');
    const fixed = bad.replace('\n  grain: month', '');
    const again = await catalogWith({ 'bad.yaml': fixed });
    const p = again.problems.map((x) => `${x.file}:${x.line} ${x.field} ${x.code}`);
    expect(p).toEqual(['bad.yaml:9 numerator.measure unknown-column']);
    expect(again.problems[0]!.message).toMatch(/amout/);
  });
});
