// Shared, read-only fixtures built once per run: the sample database that many test files read
// (each copies it, since DuckDB lets one process hold a file). Rebuilt when the generator changes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Database } from '../data/db.ts';
import { generateSample } from '../data/sample/generate.ts';
import { ensureSchema } from '../data/schema.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../metrics/catalog.ts';
import { compareChannels, OUTCOMES } from '../metrics/channels/compare.ts';
import { fittedMix } from '../metrics/mix/index.ts';
import { refreshRollups } from '../metrics/rollups.ts';
import { buildWebIfStale } from '../api/webBuild.ts';
import { goalKey, keptGoalReading, keptOverview, overviewKey } from '../api/routes/goals.ts';
import { metricDrivers } from '../metrics/drivers/drivers.ts';
import { keptRoute, routeKey } from '../api/routes/route.ts';
import { runBudget } from '../metrics/budget/index.ts';
import { DEFAULT_SETTINGS } from '../data/workspace.ts';
import { readGoals, SHIPPED_GOALS_FILE } from '../metrics/goals.ts';
import { freshBundle } from '../api/bin/bundle.js';

export const FIXTURE_DIR = resolve('.tmp/fixtures');
export const SAMPLE_END = '2026-10-31';
export const SAMPLE_DB = join(FIXTURE_DIR, 'sample.duckdb');
export const SAMPLE_TRUTH = join(FIXTURE_DIR, 'sample-truth.json');

function generatorHash(): string {
  const files = [
    'data/schema.ts',
    'data/contract.ts',
    ...readdirSync('data/sample').map((f) => join('data/sample', f)),
  ];
  const h = createHash('sha256').update(SAMPLE_END);
  for (const f of files.sort()) h.update(readFileSync(f));
  return h.digest('hex');
}

export default async function setup(): Promise<void> {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  // One DuckDB thread per database, in this process and in every test process, command and server
  // (they inherit it): two workers on two cores, each spreading its queries over both, spent more on
  // contention than they gained (DuckDB-heavy files 10–17% faster with one; docs/performance.md).
  process.env.BEARING_THREADS ??= '1';
  await buildWebIfStale(() => undefined);
  // The offload workers of the servers tests start in their own process load their tasks from the
  // bundle the `bearing` binary runs, as in production: built here once, not by the first commands
  // racing each other. Set before the test processes start, which inherit it.
  const bundle = await freshBundle();
  if (bundle) process.env.BEARING_BUNDLE_DIR = bundle;
  const marker = join(FIXTURE_DIR, 'sample.ready');
  const version = generatorHash();
  const ready = existsSync(SAMPLE_DB) && existsSync(marker) && readFileSync(marker, 'utf8') === version;
  if (!ready) {
    rmSync(SAMPLE_DB, { force: true });
    rmSync(`${SAMPLE_DB}.wal`, { force: true });
    rmSync(marker, { force: true });
  }
  const db = await Database.open(SAMPLE_DB);
  try {
    if (!ready) await generateSample(db, { customers: 50_000, seed: 42, end: SAMPLE_END, truthFile: SAMPLE_TRUTH });
    // The shipped metrics' stored month series, as a server that has run on this database keeps
    // them: each copy's server then finds them current instead of computing them again (about 5 s
    // of CPU a server). A server's own refresh still computes what is missing or stale, and the
    // refresh itself is tested on databases of its own (test/metrics/rollups.test.ts). Nothing is
    // computed here when they are already current.
    await db.write(ensureSchema);
    const catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
    await refreshRollups(db, catalog);
    // Likewise each outcome's channel comparison with the pages' defaults and the store revenue's
    // mix fit, stored as a server keeps them (data/storedResults.ts): 1–4 s of CPU each, asked for
    // by every test server that shows the channels, the mix, the budget or the evidence (a trace
    // of one run of the suite: 9 fits of the store revenue alone). Read back at once when stored.
    await Promise.all([
      ...OUTCOMES.map((outcome) => compareChannels(db, { outcome })),
      fittedMix(db, catalog, { kpi: 'store_revenue' }),
    ]);
    // And the shipped goals' overview, the first request of every test server that shows the
    // heading (about 0.8 s of CPU each), under the key such a server builds: its copy of the shipped
    // goals and definitions, the default currency, no as-of date asked for.
    const { goals } = readGoals(SHIPPED_GOALS_FILE);
    const deps = { db, catalog };
    const currency = DEFAULT_SETTINGS.currency;
    await keptOverview(deps, goals, await overviewKey(deps, goals, undefined, currency), { currency });
    // Each goal's page reading, its route back, and the drivers its card asks for (the last quarter,
    // then the last month): 0.1–3 s of CPU each, for every test server that shows the heading or a goal.
    for (const goal of goals) {
      await keptGoalReading(deps, goal, await goalKey(deps, goal, undefined, currency), { currency });
      for (const window of [3, 1]) await metricDrivers(deps, goal.metric, { window, where: goal.where, currency });
      await keptRoute(deps, goal, await routeKey(deps, goal, null));
    }
    // The Budget page's plan of the total revenue (its mix fit inside): 1–3 s of CPU for every test
    // server that shows it.
    await runBudget(db, catalog, { kpi: 'total_revenue', currency });
  } finally {
    db.close();
  }
  if (!ready) writeFileSync(marker, version);
}
