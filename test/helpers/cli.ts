// The real `bearing` binary, run as a user would.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('api/bin/bearing.js');
export const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

/** Start `bearing serve` and wait for it to listen (or to exit). */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /serving .* on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        const stop = () => {
          child.kill('SIGTERM');
          return exited;
        };
        ready({ url, output: () => output, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(new Error(`serve exited with ${code}: ${output}`)));
  });
}

/** What a spawned process has written so far, on each stream. */
export function outputOf(child: ChildProcess): { readonly stdout: string; readonly stderr: string } {
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    out.stdout += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    out.stderr += d;
  });
  return out;
}
