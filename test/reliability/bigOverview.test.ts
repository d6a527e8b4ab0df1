// A server with more goals than one batch (1,000) writes the overview goal by goal as it reads
// them: built whole, 21,060 goals' 296 MB answer held the event loop up to 10 s at a time. Here
// 1,044 goals on 12 real series: the answer is chunked, every goal's chance is the forecast bench's,
// and /api/health stays prompt while it is written (timed: run alone, as the other freeze tests).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, outputOf, startServe } from '../helpers/cli.ts';
import { type HealthProbe, p99 as percentile99, probeHealth } from '../helpers/healthProbe.ts';
import { writeRealSeriesWorkspace } from '../helpers/realSeriesWorkspace.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('a large overview is streamed', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  // The CLI beside the server asks the same route at the same time and reads it a goal a line.
  it('1,044 goals: streamed with the bench readings, read by the CLI beside it, health prompt', async () => {
    const expected = writeRealSeriesWorkspace(dir, 29);
    const ids = [...expected.keys()];
    expect(ids).toHaveLength(1044);
    const env = { ...process.env, BEARING_WORKSPACE: dir };
    const sync = spawnSync(process.execPath, [BIN, 'sync'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(sync.status, sync.stderr).toBe(0);
    const server = await startServe(['--port', '0'], env);
    let probe: HealthProbe | undefined;
    try {
      await (await fetch(`${server.url}/api/health`)).arrayBuffer(); // warm
      const viaCli = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const child = spawn(process.execPath, [BIN, 'heading', '--json', '--as-of', '2024-12-31'], { cwd: dir, env });
        const out = outputOf(child);
        child.once('close', (code) => done({ code, ...out }));
      });
      // Timed from a process of its own: this one reads the 15-MB answer and the CLI's output.
      probe = probeHealth(server.url, 10);
      const answer = fetch(`${server.url}/api/goals?as_of=2024-12-31`).then(async (res) => {
        const streamed = res.headers.get('transfer-encoding') === 'chunked' && !res.headers.has('content-length');
        return { status: res.status, streamed, text: await res.text() };
      });
      // Only checks answered while the overview was still being written.
      const latencies = await answer.then(
        () => probe!.stop(),
        () => probe!.stop(),
      );
      const { status, streamed, text } = await answer;
      const body = JSON.parse(text) as StreamedOverview;
      expect(status).toBe(200);
      expect(streamed).toBe(true);
      expect(body.goals.map((g) => g.id)).toEqual(ids);
      for (const g of body.goals) expect(g.arrival_probability, g.id).toBeCloseTo(expected.get(g.id)!.p, 9);
      expect(body.as_of).toBe('2024-12-31');
      expect(body.problems).toEqual([]);
      const counted = Object.entries(body.balance.business).filter(([k]) => k !== 'goals');
      expect(counted.reduce((a, [, n]) => a + n, 0)).toBe(1044);
      expect(latencies.length).toBeGreaterThan(20);
      latencies.sort((a, b) => a - b);
      const p99 = percentile99(latencies);
      const p50 = latencies[Math.floor(latencies.length / 2)] ?? 0;
      console.log(
        `health while streaming: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, ` +
          `worst ${latencies.at(-1)!.toFixed(0)} ms over ${latencies.length} checks`,
      );
      expect(p99, `p99 ${p99.toFixed(0)} ms over ${latencies.length} health checks`).toBeLessThan(250);
      // The CLI, finding the database held by the server, read the answer through it a goal at a time.
      const cli = await viaCli;
      expect(cli.code, cli.stderr).toBe(0);
      const printed = JSON.parse(cli.stdout) as StreamedOverview;
      expect(printed.goals.map((g) => [g.id, g.arrival_probability])).toEqual(
        body.goals.map((g) => [g.id, g.arrival_probability]),
      );
      expect(printed.balance).toEqual(body.balance);
    } finally {
      probe?.kill();
      await server.stop();
    }
  }, 120_000);
});

interface StreamedOverview {
  as_of: string;
  balance: { business: Record<string, number> };
  problems: unknown[];
  goals: Array<{ id: string; arrival_probability: number }>;
}
