// Every shipped metric against numbers computed by hand from test/helpers/world.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../data/db.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { runSeries, type SeriesRequest } from '../../metrics/series.ts';
import { openTestDb } from '../helpers/db.ts';
import { tempDir } from '../helpers/tmp.ts';
import { loadTinyWorld } from '../helpers/world.ts';

const { dir, cleanup } = tempDir();
let db: Database;
let catalog: Catalog;

beforeAll(async () => {
  db = await openTestDb(dir);
  await loadTinyWorld(db, dir);
  catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
});
afterAll(() => {
  db.close();
  cleanup();
});

async function values(name: string, request: SeriesRequest = {}) {
  const series = await runSeries(db, catalog.get(name)!, request, catalog.resolve);
  return Object.fromEntries(
    series.rows.map((r) => [
      r.group ? `${r.period} ${r.group}` : r.period,
      [r.value === null ? null : Number(r.value.toFixed(6)), r.n],
    ]),
  );
}

describe('shipped metrics on a hand-checked world (as of 2025-07-31)', () => {
  it('ships the required metrics, all valid', () => {
    expect(catalog.problems).toEqual([]);
    expect(catalog.metrics.map((m) => m.definition.name).sort()).toEqual([
      'active_customers',
      'csat',
      'monthly_churn_rate',
      'nps',
      'repeat_purchase_rate',
      'retention_90d',
      'revenue',
      'revenue_per_customer',
      'social_engagement_rate',
      'store_revenue',
      'store_signups',
      'total_revenue',
    ]);
  });

  it(
    'retention_90d: January a kept, b churned by day 40; February c kept, d gone; immature cohorts (May on) are ' +
      'not reported',
    async () => {
      expect(await values('retention_90d')).toEqual({
        '2025-01-01': [0.5, 2],
        '2025-02-01': [0.5, 2],
        '2025-03-01': [null, 0],
        '2025-04-01': [null, 0],
      });
    },
  );

  it('active_customers counts everyone active at any time in the month', async () => {
    expect(await values('active_customers')).toEqual({
      '2025-01-01': [2, 2],
      '2025-02-01': [4, 4],
      '2025-03-01': [3, 3],
      '2025-04-01': [2, 2],
      '2025-05-01': [2, 2],
      '2025-06-01': [2, 2],
      '2025-07-01': [1, 1],
    });
    expect(await values('active_customers', { by: 'segment', from: '2025-02-01', to: '2025-02-28' })).toEqual({
      '2025-02-01 enterprise': [1, 1],
      '2025-02-01 smb': [3, 3],
    });
  });

  it('monthly_churn_rate: of those active at the start of the month, the share who churned in it', async () => {
    expect(await values('monthly_churn_rate')).toEqual({
      '2025-01-01': [null, 0],
      '2025-02-01': [0, 2],
      '2025-03-01': [Number((1 / 3).toFixed(6)), 3],
      '2025-04-01': [0, 2],
      '2025-05-01': [0, 2],
      '2025-06-01': [0.5, 2],
      '2025-07-01': [0, 1],
    });
  });

  it('nps and csat from the month’s responses', async () => {
    const nps = await values('nps', { from: '2025-03-01', to: '2025-04-30' });
    expect(nps).toEqual({ '2025-03-01': [0, 3], '2025-04-01': [100, 1] });
    expect(await values('csat', { from: '2025-03-01', to: '2025-03-31' })).toEqual({ '2025-03-01': [0.5, 2] });
  });

  it('revenue, with months without orders present as null (never 0)', async () => {
    expect(await values('revenue')).toEqual({
      '2025-02-01': [100, 1],
      '2025-03-01': [80, 2],
      '2025-04-01': [null, 0],
      '2025-05-01': [null, 0],
      '2025-06-01': [null, 0],
      '2025-07-01': [20, 1],
    });
  });

  it('revenue_per_customer = revenue / active_customers, period by period', async () => {
    expect(await values('revenue_per_customer', { from: '2025-02-01' })).toEqual({
      '2025-02-01': [25, 1],
      '2025-03-01': [Number((80 / 3).toFixed(6)), 2],
      '2025-04-01': [null, 0],
      '2025-05-01': [null, 0],
      '2025-06-01': [null, 0],
      '2025-07-01': [20, 1],
    });
  });

  it('repeat_purchase_rate: share of orders from customers who had ordered before', async () => {
    expect(await values('repeat_purchase_rate')).toEqual({
      '2025-02-01': [0, 1],
      '2025-03-01': [0.5, 2],
      '2025-04-01': [null, 0],
      '2025-05-01': [null, 0],
      '2025-06-01': [null, 0],
      '2025-07-01': [1, 1],
    });
  });

  it('social_engagement_rate: active customers with a social touch in the month (UTC)', async () => {
    expect(await values('social_engagement_rate', { to: '2025-04-30' })).toEqual({
      '2025-01-01': [0, 2],
      '2025-02-01': [0.25, 4],
      '2025-03-01': [Number((1 / 3).toFixed(6)), 3],
      '2025-04-01': [0, 2],
    });
  });

  it('where filters and quarter grain', async () => {
    expect(await values('active_customers', { where: { region: 'emea' }, to: '2025-03-31' })).toEqual({
      '2025-01-01': [1, 1],
      '2025-02-01': [1, 1],
      '2025-03-01': [1, 1],
    });
    expect(await values('revenue', { grain: 'quarter' })).toEqual({
      '2025-01-01': [180, 3],
      '2025-04-01': [null, 0],
      '2025-07-01': [20, 1],
    });
  });

  it('refuses a dimension the metric does not have', async () => {
    await expect(runSeries(db, catalog.get('revenue')!, { by: 'favourite_colour' }, catalog.resolve)).rejects.toThrow(
      /"favourite_colour" is not a dimension of revenue/,
    );
  });
});
