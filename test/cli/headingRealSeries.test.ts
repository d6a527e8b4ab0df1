// What the forecast bench scores is what a user reads: real monthly series (tourism, hospital) taken
// through a sources file, `bearing sync`, a metric definition and goals with a `where`, then read by
// the real binary's `bearing heading --json`. Each goal's chance, forecast and band equal the ones
// bench/forecast.ts scores for the same history (so its figures hold for the product), and every
// bound stays at or above 0 for a count. The same workspace shows how monthly totals dated the 1st are
// read, and what the route back says for a KPI with no media to model.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, startServe } from '../helpers/cli.ts';
import { writeRealSeriesWorkspace } from '../helpers/realSeriesWorkspace.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('bearing heading on real series reads what the forecast bench scores', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('12 tourism and hospital series, 3 goals each: the same chance, forecast and band', () => {
    const expected = writeRealSeriesWorkspace(dir);
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

  // Monthly totals dated the 1st: the data reach Dec 1, so December ends after them and is read as
  // unfinished. Each reading says so (it holds as many rows as a usual month); declared complete
  // with `sync --complete-through`, the readings are the bench's again. The KPI has no media bought
  // in aggregate, so the route back has no model to ask, and says so in a 200 answer (it was a 422
  // the goal page showed as "Could not load this. Try again").
  it('totals dated the 1st: an unfinished month named until declared complete; no media, no lever', async () => {
    const own = tempDir();
    try {
      const expected = writeRealSeriesWorkspace(own.dir);
      const env = { ...process.env, BEARING_WORKSPACE: own.dir };
      const bearing = (...args: string[]) =>
        spawnSync(process.execPath, [BIN, ...args], {
          cwd: own.dir,
          env,
          encoding: 'utf8',
          timeout: 60_000,
          maxBuffer: 1 << 28,
        });
      type Read = {
        goals: Array<{ id: string; arrival_probability: number; reading: string; unfinished?: { period: string } }>;
      };
      expect(bearing('sync').status).toBe(0);
      const before = JSON.parse(bearing('heading', '--json').stdout) as Read;
      expect(before.goals).toHaveLength(expected.size);
      for (const g of before.goals) {
        expect(g.unfinished, g.id).toEqual({ period: '2024-12-01', n: 1, through: '2024-12-01' });
        expect(g.reading, g.id).toContain('Dec 2024 holds as many rows as a usual month, but the data reach only');
        expect(g.reading, g.id).toContain('complete_through');
      }
      const server = await startServe(['--port', '0'], env);
      try {
        const res = await fetch(`${server.url}/api/goals/s0-18/route`);
        const body = (await res.json()) as { levers: unknown[]; plans: unknown[]; reason: string; outcome: string };
        expect(res.status).toBe(200);
        expect(body).toMatchObject({ outcome: 'mix', levers: [], plans: [] });
        expect(body.reason).toBe(
          'no route: the media-mix model has no lever: no media channel has spend in 8 or more periods',
        );
      } finally {
        await server.stop();
      }
      const declared = bearing('sync', '--complete-through', '2024-12-31');
      expect(declared.status, declared.stderr).toBe(0);
      const after = JSON.parse(bearing('heading', '--json').stdout) as Read;
      for (const g of after.goals) {
        expect(g.unfinished, g.id).toBeUndefined();
        expect(g.reading, g.id).not.toContain('unfinished');
        expect(g.arrival_probability, g.id).toBeCloseTo(expected.get(g.id)!.p, 9);
      }
    } finally {
      own.cleanup();
    }
  });
});
