// Times GET /api/health from a process of its own that does nothing else. Timed from the test's own
// process, the figures were that process's: reading a 15-MB streamed answer and a CLI's output there
// held its event loop up to 230 ms (measured with monitorEventLoopDelay), while the server answered
// in time. The probe still shares the machine's cores with the server, as any client does.
import { spawn } from 'node:child_process';
import { outputOf } from './cli.ts';

const SCRIPT = `
const url = process.argv[1];
const pause = Number(process.argv[2]);
const latencies = [];
let stop = false;
process.stdin.on('data', () => { stop = true; });
(async () => {
  while (!stop) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error('health answered ' + res.status);
    if (!stop) latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, pause));
  }
  process.stdout.write(JSON.stringify(latencies));
  process.exit(0);
})().catch((e) => { console.error(e?.message ?? e); process.exit(1); });
`;

export interface HealthProbe {
  /** Stops checking and answers every check's time (ms), in the order made. */
  stop(): Promise<number[]>;
  /** Ends the probe at once (for a `finally`; nothing when already stopped). */
  kill(): void;
}

/** Starts checking `${url}/api/health`, `pauseMs` after each answer, until stopped. */
export function probeHealth(url: string, pauseMs = 25): HealthProbe {
  const child = spawn(process.execPath, ['-e', SCRIPT, `${url}/api/health`, String(pauseMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = outputOf(child);
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return {
    async stop() {
      child.stdin.end('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited.finally(() => clearTimeout(timer));
      if (code !== 0) throw new Error(`the health probe exited with ${code}: ${out.stderr}`);
      return JSON.parse(out.stdout) as number[];
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The 99th percentile of some times (the worst when there are under 100). */
export function p99(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.99)] ?? 0;
}
