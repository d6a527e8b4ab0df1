// A workspace of one's own from the command line: bearing init, an unknown source, serve --empty.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, startServe } from '../helpers/cli.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';
import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/tmp.ts';

let ws: TestWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('a workspace of one’s own', () => {
  it('bearing init writes an empty workspace, and refuses to write over one', () => {
    const { dir, cleanup } = tempDir();
    try {
      const target = join(dir, 'mine');
      const first = spawnSync(process.execPath, [BIN, 'init', target], { encoding: 'utf8' });
      expect(first.status, first.stderr).toBe(0);
      for (const f of ['bearing.yaml', 'metrics/goals.yaml', 'metrics/definitions', 'sources/README.md'])
        expect(existsSync(join(target, f)), f).toBe(true);
      expect(readFileSync(join(target, 'bearing.yaml'), 'utf8')).toContain('timezone: UTC');
      const again = spawnSync(process.execPath, [BIN, 'init', target], { encoding: 'utf8' });
      expect(again.status).toBe(2);
      expect(again.stderr).toContain('already holds a workspace');
    } finally {
      cleanup();
    }
  });

  it('is put on the PATH from a clone with npm install -g ., and init refuses a folder inside the clone', () => {
    const { dir, cleanup } = tempDir();
    try {
      // A prefix of the test's own: the machine's global folder is left alone.
      const prefix = join(dir, 'global');
      const install = spawnSync('npm', ['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund'], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(install.status, install.stderr).toBe(0);
      const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
      const made = spawnSync('bearing', ['init', 'shop'], { encoding: 'utf8', cwd: dir, env });
      expect(made.status, made.stderr).toBe(0);
      expect(existsSync(join(dir, 'shop', 'bearing.yaml'))).toBe(true);
      const inside = spawnSync('bearing', ['init', 'my-shop'], { encoding: 'utf8', cwd: process.cwd(), env });
      expect(inside.status).toBe(2);
      expect(inside.stderr).toMatch(/inside Bearing's own folder .* nothing was written/);
      expect(existsSync(join(process.cwd(), 'my-shop'))).toBe(false);
    } finally {
      cleanup();
    }
  }, 180_000);

  it('names an unknown source as a usage error (exit 2), and a bad bearing.yaml as a failure (exit 1)', () => {
    ws = makeWorkspace();
    ws.write('sources/s.yaml', 'sources:\n  - { name: m, table: media, files: m.csv }\n');
    ws.write('sources/m.csv', 'channel,date,spend\ntv,2024-01-01,10\n');
    const unknown = ws.bearing('sync', '--source', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no source named "nope" (known: m)');
    ws.write('bearing.yaml', 'timezone: Mars/Base\n');
    const bad = ws.bearing('sync');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('bearing.yaml:1:11: timezone: expected an IANA time zone');
  });

  it('serve --empty starts without the sample world', async () => {
    ws = makeWorkspace();
    const env: NodeJS.ProcessEnv = { ...process.env, BEARING_WORKSPACE: ws.dir, BEARING_DB: ws.db, PORT: '0' };
    delete env.BEARING_METRICS;
    const server = await startServe(['--empty', '--port', '0'], env);
    try {
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.sample).toBe(false);
      expect(health.tables.customers.rows).toBe(0);
      const sources = await (await fetch(`${server.url}/api/sources`)).json();
      expect(sources.sources).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
