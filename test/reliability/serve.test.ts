// The real `bearing serve`: Host names it answers to, what it cleans at start, how fast it stops.
import { existsSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { run, startServe } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

function get(url: string, host: string): Promise<number> {
  const u = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ hostname: u.hostname, port: u.port, path: '/api/health', headers: { host } }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('bearing serve', () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'w.duckdb');
  beforeAll(() => {
    expect(run('generate', '--db', db, '--customers', '3000', '--seed', '4', '--end', '2026-10-31').status).toBe(0);
  }, 60_000);
  afterAll(cleanup);

  it('on loopback answers only loopback Host names (DNS rebinding), plus BEARING_ALLOWED_HOSTS; cleans staging at ' +
    'start', async () => {
    const left = join(dir, 'staging', 'upload-killed');
    mkdirSync(left, { recursive: true });
    writeFileSync(join(left, 'customers.csv'), 'half an upload');
    const server = await startServe(['--db', db, '--port', '0'], {
      ...process.env,
      BEARING_ALLOWED_HOSTS: 'bearing.internal',
    });
    try {
      expect(existsSync(left)).toBe(false);
      const port = new URL(server.url).port;
      expect(await get(server.url, 'evil.example')).toBe(421);
      expect(await get(server.url, `evil.example:${port}`)).toBe(421);
      expect(await get(server.url, `localhost:${port}`)).toBe(200);
      expect(await get(server.url, `127.0.0.1:${port}`)).toBe(200);
      expect(await get(server.url, `bearing.internal:${port}`)).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('stops within a few seconds while a slow definition is being refreshed', async () => {
    const metrics = join(dir, 'metrics');
    cpSync(SHIPPED_METRICS_DIR, metrics, { recursive: true });
    writeFileSync(
      join(metrics, 'aa_slow.yaml'),
      `name: aa_slow\nlabel: slow\ndescription: quadratic\nunit: count\ndirection: up\ntable: orders\ntime: ` +
        `ordered_at\nmeasure: "count(*) + (select count(*) from touchpoints a, touchpoints b where a.occurred_at < ` +
        `b.occurred_at)"\n`,
    );
    const server = await startServe(['--db', db, '--port', '0', '--metrics', metrics], {
      ...process.env,
      BEARING_REFRESH_TIMEOUT: '120',
    });
    // Stopped while the slow definition's refresh is really running (not after a guessed sleep).
    let refreshing = false;
    for (let i = 0; i < 200 && !refreshing; i++) {
      refreshing = (await (await fetch(`${server.url}/api/health`)).json()).rollups?.refreshing === true;
      if (!refreshing) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refreshing).toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // into the quadratic query
    const started = performance.now();
    const code = await server.stop();
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
    // And the next start is not wedged by it either (its refresh has the time limit, then skips it).
    const again = await startServe(['--db', db, '--port', '0', '--metrics', metrics], {
      ...process.env,
      BEARING_REFRESH_TIMEOUT: '1',
    });
    try {
      const health = (await (await fetch(`${again.url}/api/health`)).json()) as { ok: boolean };
      expect(health.ok).toBe(true);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
