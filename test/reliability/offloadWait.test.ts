// The pool's share per caller bounds the work anonymous readers can start, but the later parts of
// work it already admitted (the next batch of a streamed overview of 1,000+ goals) wait for room
// instead of being refused: refused, the answer was cut part way (metrics/offload/pool.ts).
import { describe, expect, it } from 'vitest';
import { OffloadPool } from '../../metrics/offload/pool.ts';

/** A goals file whose parse takes a worker a while (3,000 goals). */
const text = Array.from(
  { length: 3000 },
  (_, i) => `- { id: g${i}, metric: revenue, target: ${1000 + i}, due: 2027-06-30 }`,
).join('\n');
const input = { file: 'goals.yaml', text };

describe('a caller at its share of the pool', () => {
  it('is refused new work, while a later part of admitted work waits its turn and runs', async () => {
    const pool = new OffloadPool({ workers: 1, timeoutMs: 120_000, maxQueued: 8, perCaller: 1, memoryMb: 512 });
    try {
      const first = pool.run('goals-parse', input);
      await expect(pool.run('goals-parse', input)).rejects.toMatchObject({ code: 'too-many-requests' });
      await expect(pool.runWhenFree('goals-parse', input, { maxWaitMs: 0 })).rejects.toMatchObject({
        code: 'too-many-requests',
      });
      const later = pool.runWhenFree('goals-parse', input);
      const [a, b] = await Promise.all([first, later]);
      expect(a.goals).toHaveLength(3000);
      expect(a.problems).toEqual([]);
      expect(b).toEqual(a);
      expect(pool.stats.running + pool.stats.queued).toBe(0);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
