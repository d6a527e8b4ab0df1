// What the forecast bench scores is what a user reads: real monthly series (tourism, hospital) taken
// through a sources file, `bearing sync`, a metric definition and goals with a `where`, then read by
// the real binary's `bearing heading --json`. Each goal's chance, forecast and band equal the ones
// bench/forecast.ts scores for the same history (so its figures hold for the product), and every
// bound stays at or above 0 for a count.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hospitalMonthly, type RealSeries, tourismMonthly } from '../../bench/forecastData.ts';
import { peers } from '../../bench/forecastPeers.ts';
import { BIN, startServe } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const DUE = [
  [6, '2025-06-30'],
  [12, '2025-12-31'],
  [18, '2026-06-30'],
] as const;

interface Expected {
  p: number;
  low: number;
  high: number;
}

/** Every history ends in Dec 2024: month k before the end is month (12 − k) of its year. */
function monthsEndingInDecember(s: RealSeries): number[] {
  const n = s.history.length;
  return s.history.map((_, i) => ((((11 - (n - 1 - i)) % 12) + 12) % 12) + 1);
}

describe('bearing heading on real series reads what the forecast bench scores', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  /** The workspace, and each goal's chance and band as the bench's forecaster gives them. */
  function writeWorkspace(copies = 1): Map<string, Expected> {
    const series = [...tourismMonthly().slice(0, 6), ...hospitalMonthly().slice(0, 6)];
    const forecast = peers().bearing!;
    const rows = ['name,date,value'];
    const goals: string[] = [];
    const expected = new Map<string, Expected>();
    series.forEach((s, k) => {
      const n = s.history.length;
      s.history.forEach((v, i) => {
        const m = 2024 * 12 + 11 - (n - 1 - i);
        rows.push(`s${k},${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${v}`);
      });
      const f = forecast(s.history, monthsEndingInDecember(s));
      DUE.forEach(([h, due], j) => {
        const target = [0.9, 1.05, 1.2][j]! * s.history.at(-1)!;
        for (let c = 0; c < copies; c++) {
          const id = copies > 1 ? `s${k}-${h}-${c}` : `s${k}-${h}`;
          goals.push(`- { id: ${id}, metric: series_value, target: ${target}, due: ${due}, where: { name: s${k} } }`);
          expected.set(id, { p: 1 - f.cdf(h, target), low: f.quantile(h, 0.025), high: f.quantile(h, 0.975) });
        }
      });
    });
    mkdirSync(join(dir, 'sources', 'data'), { recursive: true });
    mkdirSync(join(dir, 'metrics', 'definitions'), { recursive: true });
    writeFileSync(join(dir, 'bearing.yaml'), 'timezone: UTC\ncurrency: USD\n');
    writeFileSync(join(dir, 'sources', 'data', 'series.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'sources', 'series.yaml'),
      'sources:\n  - { name: series, table: observations, files: data/series.csv }\n',
    );
    writeFileSync(
      join(dir, 'metrics', 'definitions', 'series_value.yaml'),
      'name: series_value\nlabel: Series value\ndescription: One real series per name.\nunit: count\n' +
        'direction: up\ntable: observations\ntime: date\nmeasure: sum(value)\ndimensions: [name]\n',
    );
    writeFileSync(join(dir, 'metrics', 'goals.yaml'), `${goals.join('\n')}\n`);
    return expected;
  }

  it('12 tourism and hospital series, 3 goals each: the same chance, forecast and band', () => {
    const expected = writeWorkspace();
    // In the workspace folder, as a user runs it.
    const bearing = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
    const sync = bearing('sync');
    expect(sync.status, sync.stderr).toBe(0);
    const out = bearing('heading', '--json', '--as-of', '2024-12-31');
    expect(out.status, out.stderr).toBe(0);
    // Written one goal at a time (a large file of goals is more text than one string holds), the
    // same indented JSON as one JSON.stringify.
    expect(out.stdout).toBe(`${JSON.stringify(JSON.parse(out.stdout), null, 2)}\n`);
    const read = (
      JSON.parse(out.stdout) as {
        goals: Array<{ id: string; arrival_probability: number; forecast: { interval: [number, number] } }>;
      }
    ).goals;
    expect(read.map((g) => g.id).sort()).toEqual([...expected.keys()].sort());
    for (const g of read) {
      const want = expected.get(g.id)!;
      expect(g.arrival_probability, g.id).toBeCloseTo(want.p, 9);
      const [low, high] = g.forecast.interval;
      expect(low / want.low, g.id).toBeCloseTo(1, 9);
      expect(high / want.high, g.id).toBeCloseTo(1, 9);
      expect(low, g.id).toBeGreaterThanOrEqual(0);
    }
  });

  // Beyond one batch (1,000 goals) the server writes the overview goal by goal as it reads them:
  // built whole, 21,060 goals' 296 MB answer held the event loop 10 s at a time (the CLI beside a
  // server reads through this route: test/cli/besideServer.test.ts).
  it('a server with 1,044 goals streams the same readings and keeps answering', async () => {
    const expected = writeWorkspace(29);
    const ids = [...expected.keys()];
    expect(ids).toHaveLength(1044);
    const env = { ...process.env, BEARING_WORKSPACE: dir };
    const sync = spawnSync(process.execPath, [BIN, 'sync'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(sync.status, sync.stderr).toBe(0);
    const server = await startServe(['--port', '0'], env);
    try {
      await (await fetch(`${server.url}/api/health`)).arrayBuffer(); // warm
      let busy = true;
      const latencies: number[] = [];
      const answer = fetch(`${server.url}/api/goals?as_of=2024-12-31`).then(async (res) => {
        const streamed = res.headers.get('transfer-encoding') === 'chunked' && !res.headers.has('content-length');
        // Parsed after the health checks stop: 15 MB of JSON would hold this process, not the server.
        return { status: res.status, streamed, text: await res.text() };
      });
      void answer.finally(() => {
        busy = false;
      });
      while (busy) {
        const t = performance.now();
        await (await fetch(`${server.url}/api/health`)).arrayBuffer();
        // Only checks answered while the overview was still being written: reading its 15 MB in this
        // process would delay the last one here, not in the server.
        if (busy) latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 25));
      }
      const { status, streamed, text } = await answer;
      const body = JSON.parse(text) as StreamedOverview;
      expect(status).toBe(200);
      expect(streamed).toBe(true);
      expect(body.goals.map((g) => g.id)).toEqual(ids);
      for (const g of body.goals) expect(g.arrival_probability, g.id).toBeCloseTo(expected.get(g.id)!.p, 9);
      expect(body.as_of).toBe('2024-12-31');
      expect(body.problems).toEqual([]);
      const counted = Object.entries(body.balance.business).filter(([k]) => k !== 'goals');
      expect(counted.reduce((a, [, n]) => a + n, 0)).toBe(1044);
      expect(latencies.length).toBeGreaterThan(20);
      latencies.sort((a, b) => a - b);
      const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
      expect(p99, `p99 ${p99.toFixed(0)} ms over ${latencies.length} health checks`).toBeLessThan(250);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

interface StreamedOverview {
  as_of: string;
  balance: { business: Record<string, number> };
  problems: unknown[];
  goals: Array<{ id: string; arrival_probability: number }>;
}
