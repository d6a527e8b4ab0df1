// No request can freeze the server: the real `bearing serve` answers /api/health promptly while a
// mix fit, a channel comparison and a sync run at once, and stops within its 5-s grace while a fit
// is running. Before the offload pool (metrics/offload/) one fit held every request 5–10 s on the
// sample and SIGTERM waited 58–117 s for it.
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { startServe } from '../helpers/cli.ts';
import { type HealthProbe, p99 as percentile99, probeHealth } from '../helpers/healthProbe.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

let ws: TestWorkspace;
const ADMIN = 'freeze-admin-token-0123456789';

beforeAll(() => {
  ws = makeWorkspace('timezone: UTC\n');
  copyFileSync(SAMPLE_DB, ws.db);
  // A source big enough that its sync takes a while: 150,000 touchpoints of existing customers.
  const lines = ['customer_id,channel,occurred_at'];
  for (let i = 0; i < 150_000; i++)
    lines.push(`C${String(i % 2000).padStart(7, '0')},webinar,2026-0${1 + (i % 9)}-1${i % 10}T10:00:00`);
  ws.write('sources/exports/touches.csv', `${lines.join('\n')}\n`);
  ws.write(
    'sources/crm.yaml',
    'sources:\n  - name: webinars\n    table: touchpoints\n    files: exports/touches.csv\n',
  );
});
afterAll(() => ws.cleanup());

const env = () => ({ ...process.env, BEARING_WORKSPACE: ws.dir, BEARING_TOKENS: `admin:${ADMIN}` });

async function timedHealth(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/api/health`);
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return performance.now() - t;
}

describe('the event loop stays free', () => {
  // The target is p99 under 100 ms; on this machine, idle, it measured 55–90 ms (npm run bench
  // reports it). A pass/fail test on a shared machine asserts what cannot be timing luck: no health
  // check waits behind the seconds of work (before: 5–10 s).
  it('answers /api/health promptly (p99 well under 250 ms) while a fit, a comparison and a sync run', async () => {
    const server = await startServe(['--db', ws.db, '--port', '0', '--metrics', SHIPPED_METRICS_DIR], env());
    let probe: HealthProbe | undefined;
    try {
      await timedHealth(server.url); // warm
      const auth = { authorization: `Bearer ${ADMIN}` };
      // Timed from a process of its own, as a dashboard would be (test/helpers/healthProbe.ts).
      probe = probeHealth(server.url, 10);
      const heavy = Promise.all([
        fetch(`${server.url}/api/mix?kpi=store_revenue&draws=300&seed=11`, { headers: auth }).then((r) => r.status),
        fetch(`${server.url}/api/channels?outcome=revenue&window=21`).then((r) => r.status),
        fetch(`${server.url}/api/sync`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{}',
        }).then(async (r) => (r.status === 200 ? 200 : `${r.status} ${await r.text()}`)),
      ]);
      const latencies = await heavy.then(
        () => probe!.stop(),
        () => probe!.stop(),
      );
      expect(await heavy).toEqual([200, 200, 200]);
      const p99 = percentile99(latencies);
      console.log(`health while a fit, a comparison and a sync ran: p99 ${p99.toFixed(0)} ms over ${latencies.length}`);
      // Enough samples to mean something: the heavy work took seconds.
      expect(latencies.length).toBeGreaterThan(20);
      expect(p99, `p99 ${p99.toFixed(0)} ms over ${latencies.length} health checks`).toBeLessThan(250);
    } finally {
      probe?.kill();
      await server.stop();
    }
  }, 180_000);

  it('stops within 5 s of SIGTERM while a fit runs', async () => {
    const server = await startServe(['--db', ws.db, '--port', '0', '--metrics', SHIPPED_METRICS_DIR], env());
    // Many fits, so some are still running or waiting when SIGTERM comes (a fit of 2,000 refits
    // takes a fraction of a second since the mix stopped refitting each channel's removal: a few
    // may be over before the signal, and one may finish while it arrives).
    const fits = Array.from({ length: 24 }, (_, i) => 12 + i).map((seed) => {
      const fit: { done: boolean; status: number | string | null; settled: Promise<void> } = {
        done: false,
        status: null,
        settled: Promise.resolve(),
      };
      fit.settled = fetch(`${server.url}/api/mix?kpi=store_revenue&draws=1000&seed=${seed}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
        .then(
          (r) => r.status,
          () => 'closed',
        )
        .then((status) => {
          fit.done = true;
          fit.status = status;
        });
      return fit;
    });
    await new Promise((r) => setTimeout(r, 1500));
    const inFlight = fits.filter((f) => !f.done);
    expect(inFlight.length, 'a fit is still under way when the signal comes').toBeGreaterThan(0);
    const t = performance.now();
    const code = await server.stop();
    const took = performance.now() - t;
    expect(code).toBe(0);
    expect(took).toBeLessThan(5000);
    await Promise.all(fits.map((f) => f.settled));
    // Work under way is cut, not waited for: a fit that was finishing as the signal came may still
    // answer, but the rest are refused or closed.
    for (const f of inFlight) expect([200, 503, 'closed']).toContain(f.status);
    expect(inFlight.filter((f) => f.status !== 200).length).toBeGreaterThan(0);
  }, 60_000);
});
