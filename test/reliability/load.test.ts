// Dashboard reads keep answering while four pathological previews (from four callers) and a slow
// saved definition run: analyst work has its own lane, long reads never hold up a write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKENS, startTestServer, type TestServer } from '../helpers/server.ts';

const QUADRATIC = 'count(*) + (select count(*) from touchpoints a, touchpoints b where a.occurred_at < b.occurred_at)';
const definition = (name: string) =>
  `name: ${name}\nlabel: ${name}\ndescription: slow\nunit: count\ndirection: up\ntable: orders\ntime: ` +
  `ordered_at\nmeasure: ${JSON.stringify(QUADRATIC)}\n`;
const READS = [
  '/api/goals',
  '/api/metrics/revenue/series',
  '/api/metrics/nps/series?by=segment',
  '/api/annotations',
  '/api/health',
  '/api/goals/social-engagement',
  '/api/channels',
];
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe('dashboard reads under pathological analyst load', () => {
  let s: TestServer;
  beforeAll(async () => {
    // Time limits just past the 6-s load below: the slow queries run through all of it, and the file
    // (in the one-at-a-time `timed` project) does not then wait out a longer limit.
    s = await startTestServer({ rollups: true, queryTimeoutMs: 7_000, backgroundTimeoutMs: 7_000 });
    await s.rollups!.schedule();
    for (const path of READS) expect((await s.call('GET', path)).status).toBe(200); // warm, as a dashboard is
  }, 120_000);
  afterAll(() => s.close());

  it('p99 under 3 s, no errors, and a note saved promptly', async () => {
    expect(
      (await s.call('PUT', '/api/metrics/zz_slow', { role: 'analyst', body: { yaml: definition('zz_slow') } })).status,
    ).toBe(200);
    const callers: Array<Record<string, string>> = [
      { authorization: `Bearer ${TEST_TOKENS.viewer}` },
      { authorization: `Bearer ${TEST_TOKENS.analyst}` },
      { authorization: `Bearer ${TEST_TOKENS.admin}` },
      {},
    ];
    const previews = callers.map((headers) =>
      fetch(`${s.url}/api/metrics/preview`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ yaml: definition('draft') }),
      }).then((r) => r.status),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(s.rollups!.busy).toBe(true);

    const latencies: number[] = [];
    let errors = 0;
    const until = Date.now() + 6000;
    const worker = async (w: number) => {
      for (let i = w; Date.now() < until; i++) {
        const started = performance.now();
        const res = await fetch(`${s.url}${READS[i % READS.length]}`);
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
        if (res.status !== 200) errors++;
      }
    };
    let noteMs = Infinity;
    const [note] = await Promise.all([
      new Promise((r) => setTimeout(r, 2000)).then(async () => {
        const started = performance.now();
        const answer = await s.call('POST', '/api/annotations', {
          role: 'analyst',
          body: { date: '2026-10-02', text: 'written under load' },
        });
        noteMs = performance.now() - started;
        return answer;
      }),
      ...Array.from({ length: 8 }, (_, w) => worker(w)),
    ]);
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(
      `load: ${latencies.length} reads in 6 s, p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ` +
        `${latencies.at(-1)!.toFixed(0)} ms, ${errors} errors; note saved in ${noteMs.toFixed(0)} ms`,
    );
    expect(errors).toBe(0);
    // Not frozen behind the previews (each runs up to its 30-s time limit); the figures themselves are
    // printed above and measured by npm run bench.
    expect(p99).toBeLessThan(3000);
    expect((note as { status: number }).status).toBe(201);
    expect(noteMs).toBeLessThan(3000);
    // The previews end by their time limit (504) or finish; none takes the server down.
    for (const status of await Promise.all(previews)) expect([200, 504, 429]).toContain(status);
  }, 120_000);
});
