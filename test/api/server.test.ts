import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp, listen, type RunningServer } from '../../api/server.ts';
import { Database } from '../../data/db.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('server over real HTTP', () => {
  const { dir, cleanup } = tempDir();
  let db: Database;
  let server: RunningServer;
  beforeAll(async () => {
    copyFileSync(SAMPLE_DB, join(dir, 's.duckdb'));
    db = await Database.open(join(dir, 's.duckdb'), { allowedDirectories: [dir] });
    const catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
    server = await listen(createServerApp({ db, catalog, stagingDir: dir, goalsFile: join(dir, 'goals.yaml') }, join(dir, 'no-web-build')), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    db.close();
    cleanup();
  });

  it('GET /api/health reports the as-of date and row counts', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const counts = await db.one<Record<string, number>>(`SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM touchpoints) AS touchpoints`);
    expect(body).toMatchObject({ ok: true, as_of: '2026-10-31', tables: counts });
  });

  it('unknown API paths answer a JSON 404 in the one error shape', async () => {
    const res = await fetch(`${server.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'no route for GET /api/nothing-here' } });
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/health');
  });

  it('sends security headers, including a CSP without inline scripts', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
