// Properties that must hold for any data: monthly counts add up to quarterly ones, filters never
// add rows, and immature cohorts are never reported.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../data/db.ts';
import { refreshMeta } from '../../data/schema.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { runSeries } from '../../metrics/series.ts';
import { openTestDb } from '../helpers/db.ts';
import { tempDir } from '../helpers/tmp.ts';

const { dir, cleanup } = tempDir();
let db: Database;
let catalog: Catalog;
beforeAll(async () => {
  db = await openTestDb(dir);
  catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
});
afterAll(() => {
  db.close();
  cleanup();
});

const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const world = fc.array(
  fc.record({
    signup: fc.integer({ min: 0, max: 500 }),
    life: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    segment: fc.constantFrom('smb', 'enterprise', null),
    orders: fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), amount: fc.integer({ min: 0, max: 1000 }) }), {
      maxLength: 4,
    }),
  }),
  { minLength: 1, maxLength: 40 },
);

async function load(customers: fc.Arbitrary<unknown> extends fc.Arbitrary<infer T> ? T : never) {
  await db.write(async (s) => {
    for (const t of ['orders', 'customers']) await s.run(`DELETE FROM ${t}`);
    for (const [i, c] of (
      customers as Array<{
        signup: number;
        life: number | null;
        segment: string | null;
        orders: Array<{ at: number; amount: number }>;
      }>
    ).entries()) {
      await s.run(`INSERT INTO customers VALUES ($1, $2::DATE, $3::DATE, $4, 'na', 'email')`, [
        `c${i}`,
        day(c.signup),
        c.life === null ? null : day(c.signup + c.life),
        c.segment,
      ]);
      for (const [j, o] of c.orders.entries())
        await s.run(`INSERT INTO orders VALUES ($1, $2, $3::TIMESTAMP, $4)`, [
          `o${i}-${j}`,
          `c${i}`,
          day(c.signup + o.at),
          o.amount,
        ]);
    }
    await refreshMeta(s);
  });
}

describe('metric properties (fast-check)', () => {
  it('monthly revenue and n sum to the quarterly revenue and n', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (customers) => {
        await load(customers as never);
        const metric = catalog.get('revenue')!;
        const monthly = await runSeries(db, metric, { grain: 'month' }, catalog.resolve);
        const quarterly = await runSeries(db, metric, { grain: 'quarter' }, catalog.resolve);
        for (const q of quarterly.rows) {
          const start = new Date(`${q.period}T00:00:00Z`);
          const months = monthly.rows.filter((m) => {
            const d = new Date(`${m.period}T00:00:00Z`);
            return d >= start && d < new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 1));
          });
          expect(months.reduce((a, m) => a + m.n, 0)).toBe(q.n);
          expect(months.reduce((a, m) => a + (m.value ?? 0), 0)).toBeCloseTo(q.value ?? 0, 6);
        }
      }),
      { numRuns: 15, seed: 20261122 },
    );
  });

  it('a where filter never increases n in any period', async () => {
    await fc.assert(
      fc.asyncProperty(
        world,
        fc.constantFrom('smb', 'enterprise'),
        fc.constantFrom('active_customers', 'revenue', 'retention_90d'),
        async (customers, segment, name) => {
          await load(customers as never);
          const metric = catalog.get(name)!;
          const all = await runSeries(db, metric, {}, catalog.resolve);
          const some = await runSeries(db, metric, { where: { segment } }, catalog.resolve);
          const byPeriod = new Map(all.rows.map((r) => [r.period, r.n]));
          for (const r of some.rows) expect(r.n).toBeLessThanOrEqual(byPeriod.get(r.period) ?? 0);
        },
      ),
      { numRuns: 15, seed: 7 },
    );
  });

  it('retention_90d never reports a cohort younger than 90 days at the as-of date', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (customers) => {
        await load(customers as never);
        const s = await runSeries(db, catalog.get('retention_90d')!, {}, catalog.resolve);
        for (const r of s.rows) {
          const start = new Date(`${r.period}T00:00:00Z`);
          const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
          expect(end.getTime() + 90 * 86_400_000).toBeLessThanOrEqual(Date.parse(`${s.as_of}T00:00:00Z`));
        }
      }),
      { numRuns: 15, seed: 11 },
    );
  });
});
