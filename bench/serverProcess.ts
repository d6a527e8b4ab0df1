// The server as a child process, so its memory and start-up time are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerChild {
  url: string;
  startupMs: number;
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

// Servers still running when the bench ends, however it ends (a time-out's SIGTERM included), are
// killed with it: a timed-out bench once left an orphaned `bearing serve` behind.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(130));

export async function startServerChild(db: string, env: Record<string, string>): Promise<ServerChild> {
  const started = performance.now();
  const child = spawn(process.execPath, ['api/bin/bearing.js', 'serve', '--db', db, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /serving .* on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  for (;;) {
    if ((await fetch(`${url}/api/health`).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url,
    startupMs: performance.now() - started,
    child,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
