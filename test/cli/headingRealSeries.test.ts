// What the forecast bench scores is what a user reads: real monthly series (tourism, hospital) taken
// through a sources file, `bearing sync`, a metric definition and goals with a `where`, then read by
// the real binary's `bearing heading --json`. Each goal's chance, forecast and band equal the ones
// bench/forecast.ts scores for the same history (so its figures hold for the product), and every
// bound stays at or above 0 for a count.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.ts';
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
});
