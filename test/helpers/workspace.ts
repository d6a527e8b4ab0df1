// A workspace of one's own in a temporary folder (bearing.yaml, sources/, metrics/), and the
// environment that makes the real `bearing` binary work in it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN } from './cli.ts';
import { tempDir } from './tmp.ts';

export interface TestWorkspace {
  dir: string;
  db: string;
  sources: string;
  write(relative: string, content: string | Uint8Array): string;
  /** The real binary, run inside the workspace. */
  bearing(...args: string[]): { status: number | null; stdout: string; stderr: string };
  cleanup(): void;
}

export function makeWorkspace(settings = 'timezone: UTC\n'): TestWorkspace {
  const { dir, cleanup } = tempDir();
  for (const d of ['sources', 'metrics/definitions']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'bearing.yaml'), settings);
  const env: NodeJS.ProcessEnv = { ...process.env, BEARING_WORKSPACE: dir };
  for (const k of ['BEARING_DB', 'BEARING_METRICS', 'BEARING_GOALS', 'BEARING_SOURCES_DIR']) delete env[k];
  return {
    dir,
    db: join(dir, 'bearing.duckdb'),
    sources: join(dir, 'sources'),
    write(relative, content) {
      const path = join(dir, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    bearing: (...args) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env, cwd: dir });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup,
  };
}
