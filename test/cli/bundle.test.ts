// The `bearing` binary runs from a bundle of the sources (api/bin/bundle.js), on a copy of the code
// so that an edit here touches nobody else's run: rebuilt after an edit, its workers' tasks from the
// same bundle, and the sources through tsx where no bundle can be written.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

describe('the bearing binary', () => {
  it('runs the sources as they are: a bundle rebuilt after an edit, tsx where none can be written', () => {
    const { dir, cleanup } = tempDir();
    try {
      for (const part of ['api', 'data', 'metrics', 'package.json', 'package-lock.json'])
        cpSync(part, join(dir, part), { recursive: true });
      symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
      const env: NodeJS.ProcessEnv = { ...process.env, BEARING_WORKSPACE: dir };
      delete env.BEARING_BUNDLE_DIR; // the test runner's own bundle
      const bearing = (...args: string[]) =>
        spawnSync(process.execPath, [join(dir, 'api/bin/bearing.js'), ...args], {
          encoding: 'utf8',
          env,
          cwd: dir,
          timeout: 120_000,
        });
      // Help wraps its lines to the terminal's width.
      const help = () => bearing('--help').stdout.replace(/\s+/g, ' ');
      const bundles = () => readdirSync(join(dir, 'dist/server')).filter((f) => /^[0-9a-f]{16}$/.test(f));

      expect(help()).toContain('read like a GPS');
      expect(bundles()).toHaveLength(1);
      // A command that runs its statistics on a worker thread, which loads them from the bundle too,
      // and finds the shipped definitions and goals where they are in the checkout.
      expect(bearing('generate', '--customers', '400', '--end', '2026-10-31').status).toBe(0);
      const heading = bearing('heading', '--json');
      expect(heading.status, heading.stderr).toBe(0);
      const goals = JSON.parse(heading.stdout).goals as Array<{ id: string; probability: number | null }>;
      expect(goals.map((g) => g.id)).toContain('retention-90d');

      const main = join(dir, 'api/cli/main.ts');
      writeFileSync(main, readFileSync(main, 'utf8').replace('read like a GPS', 'read like a compass'));
      expect(help()).toContain('read like a compass');
      // A new folder for the new sources; the old one stays for a server still running from it.
      expect(bundles()).toHaveLength(2);
      help();
      expect(bundles()).toHaveLength(2);

      // dist/ is a file: no bundle can be written, and the sources run through tsx, workers too.
      rmSync(join(dir, 'dist'), { recursive: true });
      writeFileSync(join(dir, 'dist'), 'not a folder');
      expect(help()).toContain('read like a compass');
      const fromSources = bearing('heading', '--json');
      expect(fromSources.status, fromSources.stderr).toBe(0);
      expect(JSON.parse(fromSources.stdout).goals).toEqual(JSON.parse(heading.stdout).goals);
    } finally {
      cleanup();
    }
  }, 300_000);
});
