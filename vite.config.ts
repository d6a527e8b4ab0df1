import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Each built script and stylesheet also written compressed (.br at brotli's best, .gz at level 9),
 * once at build: the server sends those as they are instead of compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'bearing-precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = join(options.dir!, 'assets');
      for (const name of readdirSync(assets).filter((n) => /\.(js|css|svg)$/.test(n))) {
        const bytes = readFileSync(join(assets, name));
        writeFileSync(join(assets, `${name}.gz`), gzipSync(bytes, { level: 9 }));
        const quality = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
        writeFileSync(join(assets, `${name}.br`), brotliCompressSync(bytes, { params: quality }));
      }
    },
  };
}

// Tests that assert latency or time limits (see CONTRIBUTING.md).
const TIMED = [
  'test/reliability/load.test.ts',
  'test/reliability/refreshLimit.test.ts',
  'test/reliability/freeze.test.ts',
  'test/reliability/bigOverview.test.ts',
];

// Each file gets its own DuckDB files and servers; two workers match CI's two cores.
// Generous: a test is about behaviour, and a busy 2-core machine runs it several times slower.
// Not isolated: the files a worker runs share its loaded modules (and its offload pool, whose
// worker threads took about a second each to start per file). Loading modules again for every
// file was 102 s of the suite's 1,300 file-seconds (docs/performance.md); no test relies on a
// module's state being fresh, and every file opens its own database and servers.
const shared = { root: '.', maxWorkers: 2, isolate: false, testTimeout: 180_000, hookTimeout: 300_000 };

export default defineConfig({
  root: 'web',
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
  test: {
    ...shared,
    globalSetup: ['test/globalSetup.ts'],
    // The load test measures the server's own latency under its own pathological load; run beside
    // other test files on two cores it measured their CPU instead (p99 1.2 s on CI, 0.2 s alone).
    // The same for a 2-s refresh time limit, which healthy metrics hit beside the bench. So they
    // run last, one file at a time.
    projects: [
      { test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: TIMED } },
      { test: { ...shared, name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
