// The Olist e-commerce sample, fed to Bearing by a sources file alone (no code), gives the same
// monthly numbers as plain DuckDB SQL over the raw export: identity on customer_unique_id, local
// Sao Paulo times cut into Sao Paulo months, orders summed from items, reviews with a composite key.
import { copyFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir } from '../helpers/datasets.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

const OLIST = join(datasetsDir(), 'olist-sample');
const FIXTURE = resolve('test/fixtures/olist');

let ws: TestWorkspace;

async function plain(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const raw = (name: string) => `read_csv('${join(OLIST, `olist_${name}_dataset.csv`)}')`;

function bearingSeries(metric: string, ...args: string[]): Map<string, number> {
  const r = ws.bearing('query', metric, '--json', ...args);
  expect(r.status, r.stderr).toBe(0);
  const rows = JSON.parse(r.stdout).rows as Array<{ period: string; value: number | null }>;
  return new Map(rows.filter((x) => x.value !== null).map((x) => [x.period, x.value!]));
}

function expectSameSeries(ours: Map<string, number>, theirs: Map<string, number>): void {
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  for (const [period, value] of theirs) expect(ours.get(period), period).toBeCloseTo(value, 9);
}

beforeAll(() => {
  ws = makeWorkspace('timezone: America/Sao_Paulo\ncurrency: BRL\nchurn:\n  inactive_after_days: 365\n');
  for (const f of readdirSync(OLIST)) ws.write(join('sources', 'olist', f), readFileSync(join(OLIST, f)));
}, 60_000);
afterAll(() => ws?.cleanup());

describe('the Olist sample through a sources file', () => {
  it('checks, previews and syncs with no code', () => {
    copyFileSync(join(FIXTURE, 'olist.yaml'), join(ws.sources, 'olist.yaml'));
    cpSync(join(FIXTURE, 'definitions'), join(ws.dir, 'metrics', 'definitions'), { recursive: true });
    const check = ws.bearing('sources', 'check', '--preview', '2');
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('olist_customers → customers');
    const sync = ws.bearing('sync');
    expect(sync.status, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/customers: [\d,]+ rows read .* 8,016 new/);
    expect(ws.bearing('check').status).toBe(0);
  });

  it('reads the repeat-purchase rate per Sao Paulo month exactly as plain SQL over the raw files does', async () => {
    const theirs = await plain(`
      WITH o AS (SELECT c.customer_unique_id AS person, o.order_purchase_timestamp AS t
                 FROM ${raw('orders')} o JOIN ${raw('customers')} c USING (customer_id)),
           f AS (SELECT person, min(t) AS first FROM o GROUP BY person)
      SELECT strftime(date_trunc('month', t), '%Y-%m-%d') AS period, avg(CASE WHEN first < t THEN 1.0 ELSE 0.0 END) AS v
      FROM o JOIN f USING (person) GROUP BY 1`);
    const ours = bearingSeries('repeat_purchase_rate');
    expectSameSeries(ours, new Map(theirs.map((r) => [String(r.period), Number(r.v)])));
    // One order in a few hundred is a repeat: customer_id (one per order) would have read 0 here.
    const overall = [...ours.values()].reduce((a, b) => a + b, 0) / ours.size;
    expect(overall).toBeGreaterThan(0);
    expect(overall).toBeLessThan(0.05);
  });

  it('reads the average review score per month exactly as plain SQL does, and breaks it down by state', async () => {
    const theirs = await plain(`
      SELECT strftime(date_trunc('month', r.review_answer_timestamp), '%Y-%m-%d') AS period, avg(r.review_score) AS v
      FROM ${raw('order_reviews')} r JOIN ${raw('orders')} o USING (order_id)
      JOIN ${raw('customers')} c USING (customer_id)
      GROUP BY 1`);
    expectSameSeries(bearingSeries('review_score'), new Map(theirs.map((r) => [String(r.period), Number(r.v)])));
    const byState = ws.bearing('query', 'review_score', '--by', 'customer_state', '--json');
    expect(byState.status, byState.stderr).toBe(0);
    const groups = new Set(JSON.parse(byState.stdout).rows.map((r: { group: string }) => r.group));
    expect(groups.has('SP')).toBe(true);
    expect(groups.size).toBeGreaterThan(10);
  });

  it('syncs again without changing anything', () => {
    const again = ws.bearing('sync');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/orders: 8,135 rows read .* 0 new, 0 updated, 8,135 unchanged/);
  });
  it('infers signups from first activity and churn after a year without any, and says so in the history', async () => {
    const instance = await DuckDBInstance.create(ws.db, { access_mode: 'READ_ONLY' });
    const c = await instance.connect();
    try {
      const facts = (
        await c.runAndReadAll(`SELECT count(*) AS n, count(signup_date) AS signed, count(churn_date) AS churned,
          (SELECT count(*) FROM lifecycle_inferred WHERE signup_date IS NOT NULL) AS inferred,
          (SELECT count(*) FROM customers WHERE churn_date < signup_date) AS backwards FROM customers`)
      ).getRowObjectsJson()[0]!;
      expect(Number(facts.n)).toBe(8016);
      expect(Number(facts.signed)).toBe(8016);
      expect(Number(facts.inferred)).toBe(8016);
      expect(Number(facts.churned)).toBeGreaterThan(1000);
      expect(Number(facts.backwards)).toBe(0);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    const history = JSON.parse(ws.bearing('history', '--json').stdout);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ kind: 'sync', ok: true, who: 'cli' });
    expect(history[1].files.length).toBe(3);
    expect(history[0].sources).toEqual(['olist_customers', 'olist_orders', 'olist_reviews']);
  });

  // Issue #26's complaint, on real data: a reading whose status, chance, pace and course disagree.
  // Every figure now comes from one forecast, so they cannot.
  it('reads goals on the real export consistently: status, chance, pace and course agree; thin months named', () => {
    ws.write(
      'metrics/goals.yaml',
      [
        '- { id: repeat, metric: repeat_purchase_rate, target: 0.03, due: 2018-12-31 }',
        '- { id: reviews, metric: review_score, target: 4.3, due: 2018-12-31 }',
        '- { id: reviews-low, metric: review_score, target: 3.9, due: 2018-12-31 }',
      ].join('\n'),
    );
    for (const asOf of [[], ['--as-of', '2018-07-31']]) {
      const r = ws.bearing('heading', '--json', ...asOf);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/NaN|Infinity/);
      const { goals } = JSON.parse(r.stdout) as {
        goals: Array<{
          id: string;
          status: string;
          arrival_probability: number;
          pace_needed_per_month: number | null;
          course: { per_month: number } | null;
          projection: { value: number; interval: [number, number] };
          reading: string;
        }>;
      };
      for (const g of goals) {
        const p = g.arrival_probability;
        expect(p, g.id).toBeGreaterThanOrEqual(0);
        expect(p, g.id).toBeLessThanOrEqual(1);
        if (g.status === 'on_course') expect(p, g.reading).toBeGreaterThanOrEqual(0.7);
        if (g.status === 'off_course') expect(p, g.reading).toBeLessThanOrEqual(0.3);
        // The course beats the pace needed exactly when the forecast's median meets the target.
        if (g.course && g.pace_needed_per_month !== null && (p >= 0.55 || p <= 0.45))
          expect(g.course.per_month >= g.pace_needed_per_month, g.reading).toBe(p >= 0.55);
        expect(g.projection.interval[0]).toBeGreaterThanOrEqual(0);
      }
    }
    // Sep 2018 holds 16 orders: named, and left out of the reading.
    const repeat = JSON.parse(ws.bearing('heading', '--json').stdout).goals.find(
      (g: { id: string }) => g.id === 'repeat',
    );
    expect(repeat.reading).toMatch(/Sep 2018 holds 16 rows: left out of the reading/);
  });
});
