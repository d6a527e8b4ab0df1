import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { generateSample, type SampleTruth } from '../../data/sample/generate.ts';
import { CHANNELS } from '../../data/sample/world.ts';
import { SAMPLE_DB, SAMPLE_TRUTH } from '../globalSetup.ts';
import { contentFingerprint } from '../helpers/db.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('sample world: determinism', () => {
  it('the same seed gives identical content; another seed does not', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const prints: Record<string, string>[] = [];
      for (const [name, seed] of [
        ['a', 7],
        ['b', 7],
        ['c', 8],
      ] as const) {
        const db = await Database.open(join(dir, `${name}.duckdb`));
        await generateSample(db, { customers: 3000, seed, end: '2026-10-31' });
        prints.push(await contentFingerprint(db));
        db.close();
      }
      expect(prints[0]).toEqual(prints[1]);
      expect(prints[0]!.customers).not.toEqual(prints[2]!.customers);
      expect(prints[0]!.touchpoints).not.toEqual(prints[2]!.touchpoints);
    } finally {
      cleanup();
    }
  });
});

describe('sample world: planted effects are really there', () => {
  let db: Database;
  let truth: SampleTruth;
  const { dir, cleanup } = tempDir();
  beforeAll(async () => {
    const { copyFileSync } = await import('node:fs');
    copyFileSync(SAMPLE_DB, join(dir, 's.duckdb'));
    db = await Database.open(join(dir, 's.duckdb'));
    truth = JSON.parse(readFileSync(SAMPLE_TRUTH, 'utf8'));
  });
  afterAll(() => {
    db.close();
    cleanup();
  });

  it('has about 50,000 customers over three years up to the end date, with every contract table filled', async () => {
    const r = await db.one<{ n: number; first: string; last: string; tp: number; sv: number; od: number; sp: number }>(
      `SELECT count(*) AS n, strftime(min(signup_date), '%Y-%m-%d') AS first,
        strftime(max(signup_date), '%Y-%m-%d') AS last, (SELECT count(*) FROM touchpoints) AS tp,
        (SELECT count(*) FROM surveys) AS sv, (SELECT count(*) FROM orders) AS od, (SELECT count(*) FROM spend) AS sp
       FROM customers`,
    );
    expect(r).toMatchObject({ n: 50_000, first: '2023-11-01', last: '2026-10-31', sp: 36 * CHANNELS.length });
    expect(r!.tp / r!.n).toBeGreaterThan(20);
    expect(r!.sv).toBeGreaterThan(50_000);
    expect(r!.od).toBeGreaterThan(50_000);
    const channels = await db.all<{ channel: string }>(`SELECT DISTINCT channel FROM touchpoints ORDER BY 1`);
    expect(channels.map((c) => c.channel)).toEqual(['display', 'email', 'events', 'paid_search', 'referral', 'social']);
  });

  it('is confounded on purpose: events reach enterprise, paid_search reaches smb', async () => {
    const reach = await db.all<{ segment: string; channel: string; share: number }>(
      `SELECT c.segment, ch.channel, avg(CASE WHEN EXISTS (SELECT 1 FROM touchpoints t
          WHERE t.customer_id = c.customer_id AND t.channel = ch.channel
            AND t.occurred_at < c.signup_date + INTERVAL 30 DAY)
        THEN 1.0 ELSE 0 END) AS share
       FROM customers c CROSS JOIN (VALUES ('events'), ('paid_search')) ch(channel)
       WHERE c.churn_date IS NULL OR c.churn_date >= c.signup_date + 30 GROUP BY ALL`,
    );
    const share = (s: string, ch: string) => reach.find((r) => r.segment === s && r.channel === ch)!.share;
    expect(share('enterprise', 'events')).toBeGreaterThan(share('smb', 'events') * 5);
    expect(share('smb', 'paid_search')).toBeGreaterThan(share('enterprise', 'paid_search') * 3);
    // and segments differ in churn, so reach and outcome share a cause
    const churn = await db.all<{ segment: string; r: number }>(
      `SELECT segment, avg(CASE WHEN churn_date IS NULL OR churn_date >= signup_date + 90 THEN 1.0 ELSE 0 END) AS r ` +
        `FROM customers WHERE signup_date <= '2026-07-01' GROUP BY 1`,
    );
    const r = (s: string) => churn.find((x) => x.segment === s)!.r;
    expect(r('enterprise') - r('smb')).toBeGreaterThan(0.05);
  });

  it('retention improves over signup cohorts while one region drifts the wrong way', async () => {
    const rows = await db.all<{ latam: boolean; early: number; late: number }>(
      `SELECT region = 'latam' AS latam,
        avg(CASE WHEN churn_date IS NULL OR churn_date >= signup_date + 90 THEN 1.0
          ELSE 0 END) FILTER (WHERE signup_date < '2024-11-01') AS early,
        avg(CASE WHEN churn_date IS NULL OR churn_date >= signup_date + 90 THEN 1.0
          ELSE 0 END) FILTER (WHERE signup_date BETWEEN '2025-11-01' AND '2026-07-01') AS late
       FROM customers GROUP BY 1`,
    );
    const others = rows.find((r) => !r.latam)!;
    const latam = rows.find((r) => r.latam)!;
    expect(others.late).toBeGreaterThan(others.early);
    expect(latam.late).toBeLessThan(latam.early);
  });

  it('writes the planted truth: one channel with no effect, effects on churn and satisfaction for the rest', () => {
    expect(truth.no_effect_channels).toEqual(['paid_search']);
    for (const c of truth.channels) {
      if (c.channel === 'paid_search') {
        expect(c.retention_att.value).toBe(0);
        expect(c.nps_effect_points).toBe(0);
      } else {
        expect(c.retention_att.value).toBeGreaterThan(0);
        expect(c.nps_effect_points).toBeGreaterThan(0);
      }
      expect(c.retention_att.exposed).toBeGreaterThan(1000);
    }
  });
});
