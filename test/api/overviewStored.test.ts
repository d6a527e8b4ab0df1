// The heading of every goal is kept in the database (data/storedResults.ts): a restarted server
// serves it without forecasting every goal again, and never across an edit of a goal's definition
// or of the goals file. Real `bearing serve` processes, one after another, on one workspace.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { BIN, startServe } from '../helpers/cli.ts';
import { writeRealSeriesWorkspace } from '../helpers/realSeriesWorkspace.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Overview {
  goals: Array<{ id: string; arrival_probability: number; target: number }>;
}

describe('the overview kept across restarts', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const env = { ...process.env, BEARING_WORKSPACE: dir };
  const file = join(dir, 'bearing.duckdb');

  /** One server's answer to the overview, the server stopped after it. */
  async function served(): Promise<Overview> {
    const server = await startServe(['--port', '0'], env);
    try {
      const res = await fetch(`${server.url}/api/goals?as_of=2024-12-31`);
      expect(res.status).toBe(200);
      return (await res.json()) as Overview;
    } finally {
      await server.stop();
    }
  }

  /** The answers stored in the workspace's database, each through `change` when given. */
  async function stored(change?: (value: Overview) => void): Promise<Overview[]> {
    const db = await Database.open(file, { allowedDirectories: [dir] });
    try {
      const rows = await db.all<{ key: string; value: string }>('SELECT key, value FROM stored_results');
      const values = rows.map((r) => deserialize(Buffer.from(r.value, 'base64')) as Overview);
      if (change)
        for (const [i, row] of rows.entries()) {
          change(values[i]!);
          const value = serialize(values[i]).toString('base64');
          await db.write((s) =>
            s.run('UPDATE stored_results SET value = $value WHERE key = $key', { value, key: row.key }),
          );
        }
      return values;
    } finally {
      db.close();
    }
  }

  it('read back by the next server; computed again after a definition or a goal is edited', async () => {
    writeRealSeriesWorkspace(dir);
    const sync = spawnSync(process.execPath, [BIN, 'sync'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(sync.status, sync.stderr).toBe(0);
    const first = await served();
    expect(first.goals).toHaveLength(36);
    const kept = await stored();
    expect(kept).toHaveLength(1);
    expect(kept[0]!.goals.map((g) => g.arrival_probability)).toEqual(first.goals.map((g) => g.arrival_probability));

    // Marked where it is kept: the next server's answer is the mark, so it was read, not computed.
    await stored((v) => {
      v.goals[0]!.arrival_probability = 0.123456;
    });
    expect((await served()).goals[0]!.arrival_probability).toBe(0.123456);

    // The goal's definition edited (its description only: the same series, a new definition):
    // computed again, so the mark is gone and the figures are the first server's.
    const definition = join(dir, 'metrics', 'definitions', 'series_value.yaml');
    writeFileSync(definition, readFileSync(definition, 'utf8').replace('One real series', 'A real series'));
    const recomputed = await served();
    expect(recomputed.goals[0]!.arrival_probability).not.toBe(0.123456);
    expect(recomputed.goals.map((g) => g.arrival_probability)).toEqual(first.goals.map((g) => g.arrival_probability));

    // Marked again, then a goal's target edited in the goals file: computed again, with the new target.
    await stored((v) => {
      v.goals[0]!.arrival_probability = 0.123456;
    });
    const goalsFile = join(dir, 'metrics', 'goals.yaml');
    const goals = readFileSync(goalsFile, 'utf8');
    expect(goals).toMatch(/id: s1-12, metric: series_value, target: /);
    writeFileSync(goalsFile, goals.replace(/(id: s1-12, metric: series_value, target: )[\d.e+-]+/, '$1123456'));
    const edited = await served();
    expect(edited.goals[0]!.arrival_probability).not.toBe(0.123456);
    expect(edited.goals.find((g) => g.id === 's1-12')!.target).toBe(123456);
  }, 180_000);
});
