// Fits and comparisons run below the priority of the thread that answers requests, so on a busy
// machine the operating system hands the event loop the CPU first (metrics/offload/worker.js).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OffloadPool } from '../../metrics/offload/pool.ts';

/** Each thread of this process with its nice value (/proc/self/task/<tid>/stat, field 19). */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return out;
}

describe('the offload pool’s worker threads', () => {
  it.runIf(process.platform === 'linux')(
    'run 10 below the thread that answers requests',
    async () => {
      const before = threadNice();
      const main = before.get(process.pid)!;
      const pool = new OffloadPool({ workers: 1, timeoutMs: 60_000, maxQueued: 8, perCaller: 2, memoryMb: 512 });
      try {
        // A task answered means the worker has started and set its own priority.
        const parsed = await pool.run('goals-parse', {
          file: 'goals.yaml',
          text: '- { id: a, metric: revenue, target: 1, due: 2027-06-30 }',
        });
        expect(parsed.goals).toHaveLength(1);
        const lowered = [...threadNice()].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, main + 10));
        expect(lowered).toHaveLength(1);
        expect(threadNice().get(process.pid)).toBe(main);
      } finally {
        await pool.close();
      }
    },
    60_000,
  );
});
