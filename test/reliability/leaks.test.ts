// What the product writes leaks nothing: a broken goals file is named by its file name, never the
// server's path; the database, its staging folder and the tokens are the owner's alone, and a file
// Bearing rewrites keeps the mode it had.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../data/atomicFile.ts';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { startServe } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

describe('a broken goals file', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('is named by its file name, not the server path', async () => {
    writeFileSync(s.goalsFile, '- id: [unclosed\n');
    const goal = { id: 'new-goal', metric: 'retention_90d', target: 0.5, due: '2027-06-30' };
    const res = await s.call('POST', '/api/goals', { role: 'analyst', body: goal });
    expect(res.status).toBe(422);
    const text = JSON.stringify(res.body);
    expect(text).toMatch(/goals\.yaml has problems/);
    expect(text).not.toContain(s.dir);
  });
});

describe('files Bearing creates', () => {
  let ws: TestWorkspace;
  beforeAll(() => {
    ws = makeWorkspace();
  });
  afterAll(() => ws.cleanup());
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('are readable by their owner only; a rewritten file keeps its mode', async () => {
    const r = ws.bearing('generate', '--db', ws.db, '--customers', '300', '--seed', '3');
    expect(r.status, r.stderr).toBe(0);
    expect(mode(ws.db)).toBe(0o600);
    const server = await startServe(['--db', ws.db, '--port', '0', '--metrics', SHIPPED_METRICS_DIR], {
      ...process.env,
      BEARING_WORKSPACE: ws.dir,
    });
    try {
      expect(mode(join(ws.dir, 'staging'))).toBe(0o700);
    } finally {
      await server.stop();
    }
    const shared = ws.write('metrics/goals.yaml', '[]\n');
    expect(mode(shared)).toBe(0o644);
    writeFileAtomic(shared, '- { id: g, metric: nps, target: 30, due: 2027-06-30 }\n');
    expect(mode(shared)).toBe(0o644);
  });
});
