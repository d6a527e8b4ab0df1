// `npm run bench` at its smallest size, end to end: worlds, import against bare read_csv, series,
// heading and channels against their raw SQL, rollups, server memory and start, the bundle, and
// the one table plus results.json it promises.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SHIPPED_GOALS_FILE } from '../../metrics/goals.ts';
import { tempDir } from '../helpers/tmp.ts';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('npm run bench', () => {
  it('measures a 10k world and writes its figures', async () => {
    const out = join(dir, 'results.json');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--max',
        '10k',
        '--no-load',
        '--no-geo',
        '--runs',
        '1',
        '--load-seconds',
        '2',
        '--out',
        out,
      ],
      // Its temporary worlds go in this test's folder (removed after it, whatever happens); on a
      // time-out the bench kills its servers and removes its folder itself (bench/serverProcess.ts).
      { maxBuffer: 16 * 1024 * 1024, timeout: 540_000, env: { ...process.env, TMPDIR: dir } },
    );
    expect(stderr).toMatch(/generating: done \(100%\)/); // progress is shown
    expect(stdout).toMatch(/size\s+import rows\/s\s+vs read_csv/);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.runs).toBe(1);
    expect(results.bundle.total_gzip_kb).toBeGreaterThan(results.bundle.initial_gzip_kb);
    const r = results.sizes['10k'];
    // A fresh browser's wait for the first chart, measured (its figure is in the README, not asserted
    // here beside the rest of the suite on two cores).
    expect(r.first_chart.heading_ms).toBeGreaterThan(0);
    expect(r.first_chart.goal_ms).toBeGreaterThan(0);
    expect(r.customers).toBe(10_000);
    expect(r.import.rows).toBe(r.rows);
    expect(r.import.speed_vs_bare).toBeGreaterThan(0);
    expect(Object.keys(r.series).sort()).toEqual(readdirNames());
    for (const s of Object.values(r.series) as Array<Record<string, number> & { paired_ratios_cold: number[] }>) {
      for (const k of ['http_cold_ms', 'http_stored_ms', 'http_warm_ms', 'direct_ms']) expect(s[k]).toBeGreaterThan(0);
      // The uncached ratio is the median of 2N+1 paired ratios (raw run, then its HTTP twin).
      const paired = [...s.paired_ratios_cold].sort((a, b) => a - b);
      expect(paired).toHaveLength(2 * results.runs + 1);
      expect(paired[0]).toBeGreaterThan(0);
      expect(s.ratio_cold).toBeCloseTo(paired[results.runs]!, 2);
    }
    // One stored set per metric and per dimension of it; one reading per shipped goal.
    expect(r.rollups.sets).toBe(await shippedSets());
    expect(r.heading_overview.goals).toBe((parse(readFileSync(SHIPPED_GOALS_FILE, 'utf8')) as unknown[]).length);
    expect(r.channels.http_warm_ms).toBeGreaterThan(0);
    expect(r.server.peak_rss_mb).toBeGreaterThan(50);
    expect(r.server.startup_ms).toBeGreaterThan(0);
    expect(results.growth).toEqual([]); // one size: nothing to grow from
    expect(results.mix).toMatchObject({ weeks: 156, channels: 8, controls: 3, refits: 400 });
    expect(results.mix.seconds).toBeGreaterThan(0);
    expect(results.geo_mix).toBeNull(); // --no-geo: the geo model's speed is measured by the full bench
  }, 600_000);
});

/** Each checked shipped metric's whole history, and once per dimension it offers (a derived one its parts'). */
async function shippedSets(): Promise<number> {
  const db = await Database.open(':memory:');
  try {
    await db.write(ensureSchema);
    const catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
    return catalog.metrics.reduce((n, m) => n + 1 + m.dimensions.length, 0);
  } finally {
    db.close();
  }
}

function readdirNames(): string[] {
  return readdirSync('metrics/definitions')
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}
