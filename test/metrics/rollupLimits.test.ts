// A dimension with many values is never stored as a month series bigger than one answer may hold
// (a 50,000-value kept column made the background refresh hold 2.8 GB and fail 9 sets): the set is
// named as not stored, and its breakdowns are computed on request. The real binary, with the
// answer limit lowered so the sample's regions are "many".
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { startServe } from '../helpers/cli.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

let ws: TestWorkspace;
beforeAll(() => {
  ws = makeWorkspace();
  copyFileSync(SAMPLE_DB, ws.db);
});
afterAll(() => ws.cleanup());

describe('stored series', () => {
  it('are not stored beyond what one answer may hold; such breakdowns are computed on request', async () => {
    const server = await startServe(['--db', ws.db, '--port', '0', '--metrics', SHIPPED_METRICS_DIR], {
      ...process.env,
      BEARING_WORKSPACE: ws.dir,
      BEARING_MAX_ROWS: '100',
    });
    try {
      let rollups: {
        refreshing: boolean;
        finished_at: string | null;
        failed: unknown[];
        not_stored: Array<{ metric: string; dimension: string | null }>;
      };
      const deadline = Date.now() + 90_000;
      do {
        await new Promise((r) => setTimeout(r, 300));
        rollups = (await (await fetch(`${server.url}/api/health`)).json()).rollups;
      } while ((rollups.refreshing || !rollups.finished_at) && Date.now() < deadline);
      expect(rollups.not_stored).toContainEqual({ metric: 'active_customers', dimension: 'region' });
      expect(rollups.failed).toEqual([]);
      const res = await fetch(`${server.url}/api/metrics/active_customers/series?by=region&from=2026-01-01`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.rows.length, JSON.stringify(body).slice(0, 300)).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
