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

export async function startServerChild(db: string, env: Record<string, string>): Promise<ServerChild> {
  const started = performance.now();
  const child = spawn(process.execPath, ['api/bin/bearing.js', 'serve', '--db', db, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
