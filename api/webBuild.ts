// Builds the web app when its sources are newer than the last build, so restarts stay fast.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

export const WEB_DIST = resolve(PROJECT_ROOT, 'dist/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function buildWebIfStale(log: (message: string) => void = (m) => console.error(m)): Promise<boolean> {
  const index = join(WEB_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(resolve(PROJECT_ROOT, 'web')),
    statSync(resolve(PROJECT_ROOT, 'vite.config.ts')).mtimeMs,
    newestMtime(resolve(PROJECT_ROOT, 'api')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return false;
  log('building the web app…');
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds; under the test runner that is "test", which would bundle
  // React's development build (≈ 60 KB more on the first screen) into what the tests then serve.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: resolve(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
  return true;
}
