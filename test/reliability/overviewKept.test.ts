// An overview past 1,000 goals is too large for the in-memory result cache; it is kept as a file
// while it streams, and the next request for it is read back instead of forecasting every goal
// again. Kept only when written whole, never across a data change or a goals-file edit, and the
// folder goes with the server. A request while it is still being written follows it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, startServe } from '../helpers/cli.ts';
import { writeRealSeriesWorkspace } from '../helpers/realSeriesWorkspace.ts';
import { tempDir } from '../helpers/tmp.ts';

const ADMIN = 'admin-token-for-kept-overview-test';

interface Overview {
  goals: Array<{ id: string; arrival_probability: number; target: number }>;
}

describe('a large overview is kept on disk between requests', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('read back while nothing changed; recomputed after a cut answer, a sync or a goals edit', async () => {
    const expected = writeRealSeriesWorkspace(dir, 29);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    // The server's own temporary folder, so what it leaves there is this test's to see.
    const env = { ...process.env, BEARING_WORKSPACE: dir, BEARING_TOKENS: `admin:${ADMIN}`, TMPDIR: tmp };
    const sync = spawnSync(process.execPath, [BIN, 'sync'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(sync.status, sync.stderr).toBe(0);
    const server = await startServe(['--port', '0'], env);
    const overview = async (query = '?as_of=2024-12-31') => {
      const res = await fetch(`${server.url}/api/goals${query}`);
      return { status: res.status, kept: res.headers.get('x-bearing-cache'), text: await res.text() };
    };
    try {
      const first = await overview();
      expect([first.status, first.kept]).toEqual([200, 'miss']);
      const again = await overview();
      expect([again.status, again.kept]).toEqual([200, 'hit']);
      expect(again.text).toBe(first.text);
      const read = JSON.parse(first.text) as Overview;
      expect(read.goals).toHaveLength(1044);
      for (const g of read.goals) expect(g.arrival_probability, g.id).toBeCloseTo(expected.get(g.id)!.p, 9);
      const answers = () =>
        readdirSync(tmp)
          .filter((d) => d.startsWith('bearing-answers-'))
          .flatMap((d) => readdirSync(join(tmp, d)));
      expect(answers()).toHaveLength(1);

      // A client that leaves part way: nothing of its answer is kept.
      const leaving = new AbortController();
      const cut = await fetch(`${server.url}/api/goals?as_of=2024-11-30`, { signal: leaving.signal });
      expect(cut.headers.get('x-bearing-cache')).toBe('miss');
      await cut.body!.getReader().read();
      leaving.abort();
      await new Promise((r) => setTimeout(r, 500));
      const whole = await overview('?as_of=2024-11-30');
      expect(whole.kept).toBe('miss');
      expect((JSON.parse(whole.text) as Overview).goals).toHaveLength(1044);

      // Asked again while it is being written: the second request follows the first's file (one
      // computation), and the first client leaving part way does not cut it.
      const url = `${server.url}/api/goals?as_of=2024-10-31`;
      const lead = new AbortController();
      const first2 = await fetch(url, { signal: lead.signal });
      expect(first2.headers.get('x-bearing-cache')).toBe('miss');
      const follower = await fetch(url);
      expect(follower.headers.get('x-bearing-cache')).toBe('shared');
      await first2.body!.getReader().read();
      lead.abort();
      const followed = await follower.text();
      expect((JSON.parse(followed) as Overview).goals).toHaveLength(1044);
      const afterwards = await overview('?as_of=2024-10-31');
      expect(afterwards.kept).toBe('hit');
      expect(afterwards.text).toBe(followed);

      // New data: the last month of the first series doubled, synced through the API.
      const csv = join(dir, 'sources', 'data', 'series.csv');
      const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
      const last = lines.findLastIndex((l) => l.startsWith('s0,'));
      const [name, date, value] = lines[last]!.split(',');
      lines[last] = `${name},${date},${Number(value) * 2}`;
      writeFileSync(csv, `${lines.join('\n')}\n`);
      const synced = await fetch(`${server.url}/api/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(synced.status, await synced.text()).toBe(200);
      const after = await overview();
      expect(after.kept).toBe('miss');
      const moved = JSON.parse(after.text) as Overview;
      const before = new Map(read.goals.map((g) => [g.id, g.arrival_probability]));
      const change = (prefix: string) =>
        Math.max(
          ...moved.goals
            .filter((g) => g.id.startsWith(prefix))
            .map((g) => Math.abs(g.arrival_probability - before.get(g.id)!)),
        );
      expect(change('s0-')).toBeGreaterThan(0.01);
      expect(change('s5-')).toBeLessThan(1e-9);

      // A goal's target edited in the file: read again, with the new target.
      const goalsFile = join(dir, 'metrics', 'goals.yaml');
      const goals = readFileSync(goalsFile, 'utf8');
      writeFileSync(goalsFile, goals.replace(/(id: s1-12-0, metric: series_value, target: )[\d.e+-]+/, '$1123456'));
      const edited = await overview();
      expect(edited.kept).toBe('miss');
      expect((JSON.parse(edited.text) as Overview).goals.find((g) => g.id === 's1-12-0')!.target).toBe(123456);
      expect((await overview()).kept).toBe('hit');
      // Stale answers are deleted as new ones are kept: at most two at a time.
      expect(answers().length).toBeLessThanOrEqual(2);
    } finally {
      await server.stop();
    }
    // The folder goes with the server.
    expect(readdirSync(tmp).filter((d) => d.startsWith('bearing-answers-'))).toEqual([]);
  }, 180_000);
});
