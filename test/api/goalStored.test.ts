// A goal's page reading, its route back and its drivers are kept in the database like the overview
// (data/storedResults.ts): a restarted server serves them without forecasting again, a note added
// meanwhile still shows on the page, and an edited definition is computed again. Real `bearing
// serve` processes, one after another, on one workspace of real series.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/auth/tokens.ts';
import { Database } from '../../data/db.ts';
import { BIN, startServe } from '../helpers/cli.ts';
import { writeRealSeriesWorkspace } from '../helpers/realSeriesWorkspace.ts';
import { tempDir } from '../helpers/tmp.ts';

type Answer = Record<string, unknown>;
interface Served {
  page: Answer & { arrival_probability: number; annotations: Array<{ text: string }> };
  route: Answer & { probability_now: number };
  drivers: Answer & { sentence: string };
}

describe('a goal page, its route back and its drivers kept across restarts', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const env = { ...process.env, BEARING_WORKSPACE: dir };
  const file = join(dir, 'bearing.duckdb');
  const goal = '/api/goals/s1-12';

  /** One server's answers for the goal (after a note, when given), the server stopped after them. */
  async function served(note?: { token: string; text: string }): Promise<Served> {
    const server = await startServe(['--port', '0'], env);
    try {
      const get = async (path: string) => {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, path).toBe(200);
        return (await res.json()) as never;
      };
      // Read once before the note, so that the note has a cached page to make stale.
      const first = await get(`${goal}?as_of=2024-12-31`);
      if (!note)
        return { page: first, route: await get(`${goal}/route`), drivers: await get(`${goal}/drivers?window=3`) };
      const res = await fetch(`${server.url}/api/annotations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${note.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ date: '2024-11-15', text: note.text, goal: 's1-12' }),
      });
      expect(res.status).toBe(201);
      return {
        page: await get(`${goal}?as_of=2024-12-31`),
        route: await get(`${goal}/route`),
        drivers: await get(`${goal}/drivers?window=3`),
      };
    } finally {
      await server.stop();
    }
  }

  /** Each kind of kept answer, marked where it is kept: a server that shows the mark read it back. */
  async function mark(): Promise<string[]> {
    const db = await Database.open(file, { allowedDirectories: [dir] });
    const kinds: string[] = [];
    try {
      for (const row of await db.all<{ key: string; value: string }>('SELECT key, value FROM stored_results')) {
        const value = deserialize(Buffer.from(row.value, 'base64')) as Answer;
        if ('backtest' in value) value.arrival_probability = 0.123456;
        else if ('levers' in value) value.probability_now = 0.123456;
        else if ('contributions' in value) value.sentence = 'marked';
        else continue;
        kinds.push('backtest' in value ? 'page' : 'levers' in value ? 'route' : 'drivers');
        const text = serialize(value).toString('base64');
        await db.write((s) =>
          s.run('UPDATE stored_results SET value = $text WHERE key = $key', { text, key: row.key }),
        );
      }
    } finally {
      db.close();
    }
    return kinds.sort();
  }

  it('read back by the next server, a new note shown beside the kept reading; computed after an edit', async () => {
    writeRealSeriesWorkspace(dir);
    const sync = spawnSync(process.execPath, [BIN, 'sync'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(sync.status, sync.stderr).toBe(0);
    const first = await served();
    expect(first.page.arrival_probability).toBeGreaterThan(0);
    expect(await mark()).toEqual(['drivers', 'page', 'route']);

    // The next server reads each back (the mark), and a note written through it shows on the page
    // at once, beside the kept reading: a note leaves the data version, and so the reading, as it was.
    const token = createToken(join(dir, 'tokens.json'), 'analyst', 'test');
    const second = await served({ token, text: 'campaign paused' });
    expect(second.page.arrival_probability).toBe(0.123456);
    expect(second.page.annotations.map((a) => a.text)).toContain('campaign paused');
    expect(second.route.probability_now).toBe(0.123456);
    expect(second.drivers.sentence).toBe('marked');

    // The goal's definition edited (its description only: the same series, a new definition):
    // each is computed again, and equals the first server's.
    const definition = join(dir, 'metrics', 'definitions', 'series_value.yaml');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace('One real series', 'A real series'));
    const third = await served();
    expect(third.page.arrival_probability).toBe(first.page.arrival_probability);
    expect(third.page.annotations.map((a) => a.text)).toContain('campaign paused');
    expect(third.route.probability_now).toBe(first.route.probability_now);
    expect(third.drivers.sentence).toBe(first.drivers.sentence);
  }, 180_000);
});
