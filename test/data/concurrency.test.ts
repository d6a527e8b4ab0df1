// The commit lock, the lanes and the result cache of data/db.ts, step by step: each step of the
// interleaving is released by hand and what may run at that moment is checked.
import { describe, expect, it } from 'vitest';
import { CommitLock } from '../../data/commitLock.ts';
import { BearingError } from '../../data/errors.ts';
import { Lane } from '../../data/lane.ts';
import { ResultCache } from '../../data/resultCache.ts';

/** A promise released from outside. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
/** Lets every promise already settled run its continuations. */
const settle = () => new Promise((r) => setImmediate(r));

describe('the commit lock', () => {
  it('lets readers share, makes a commit wait for them, and holds new readers until it ends', async () => {
    const lock = new CommitLock();
    const log: string[] = [];
    const r1 = gate();
    const r2 = gate();
    const reading1 = lock.read(async () => {
      log.push('r1 in');
      await r1.promise;
      log.push('r1 out');
    });
    const reading2 = lock.read(async () => {
      log.push('r2 in');
      await r2.promise;
      log.push('r2 out');
    });
    await settle();
    expect(log).toEqual(['r1 in', 'r2 in']); // readers share
    const c = gate();
    const committing = lock.commit(async () => {
      log.push('commit in');
      await c.promise;
      log.push('commit out');
    });
    const reading3 = lock.read(async () => {
      log.push('r3 in');
    });
    await settle();
    expect(log).toEqual(['r1 in', 'r2 in']); // the commit waits for both readers, r3 waits for the commit
    expect(lock.busy).toBe(true);
    r1.open();
    await settle();
    expect(log.at(-1)).toBe('r1 out');
    r2.open();
    await settle();
    expect(log.slice(-2)).toEqual(['r2 out', 'commit in']);
    c.open();
    await Promise.all([reading1, reading2, committing, reading3]);
    expect(log.slice(-2)).toEqual(['commit out', 'r3 in']);
    expect(lock.commits).toBe(1);
  });

  it('runs commits one at a time, tells data commits from bookkeeping, and frees itself when one fails', async () => {
    const lock = new CommitLock();
    let dataCommits = 0;
    lock.onCommit = () => dataCommits++;
    const first = gate();
    const log: string[] = [];
    const a = lock.commit(async () => {
      log.push('a');
      await first.promise;
    });
    const b = lock.commit(async () => {
      log.push('b');
    }, false);
    await settle();
    expect(log).toEqual(['a']);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a', 'b']);
    expect([lock.commits, dataCommits]).toEqual([2, 1]);
    await expect(lock.commit(() => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(lock.busy).toBe(false);
    expect(lock.commits).toBe(2);
    let idle = false;
    const c = gate();
    const running = lock.commit(() => c.promise);
    const waited = lock.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    c.open();
    await Promise.all([running, waited]);
    expect(idle).toBe(true);
  });
});

describe('a lane', () => {
  it('runs at most its slots at once, the rest in order, and refuses a caller over its own limit', async () => {
    const lane = new Lane(2, 1);
    const leaveA = await lane.enter('a');
    const leaveB = await lane.enter('b');
    const order: string[] = [];
    const c = lane.enter('c').then((leave) => {
      order.push('c');
      return leave;
    });
    const d = lane.enter('d').then((leave) => {
      order.push('d');
      return leave;
    });
    await settle();
    expect(order).toEqual([]);
    await expect(lane.enter('a')).rejects.toBeInstanceOf(BearingError);
    leaveA();
    leaveA(); // leaving twice frees one slot, not two
    await settle();
    expect(order).toEqual(['c']);
    leaveB();
    await settle();
    expect(order).toEqual(['c', 'd']);
    (await c)();
    (await d)();
    const again = await lane.enter('a'); // a's own count went back to zero
    again();
  });
});

describe('the result cache', () => {
  it('computes a key once per data version and never keeps an answer the data outran', async () => {
    const cache = new ResultCache(1_000_000, true);
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cache.get('k', compute)).toBe(1);
    expect(await cache.get('k', compute)).toBe(1);
    cache.dataChanged();
    expect(await cache.get('k', compute)).toBe(2);
    const slow = gate<number>();
    const pending = cache.get('s', () => slow.promise);
    cache.dataChanged(); // the data moved on while it ran
    slow.open(41);
    expect(await pending).toBe(41);
    expect(await cache.get('s', async () => 42)).toBe(42);
    await expect(cache.get('f', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('f', async () => 'recomputed')).toBe('recomputed');
  });

  it('is bounded by bytes, oldest out first, and keeps only what keepOnly says across a notes write', async () => {
    const cache = new ResultCache(400, true);
    // Each answer is 97 bytes (a quarter of the bound at most is kept): four fit, a fifth evicts.
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, async () => 'x'.repeat(95));
    await settle();
    expect(cache.stats).toMatchObject({ entries: 4, bytes: 388 });
    await cache.get('a', async () => 'unused'); // a is now the most recent
    await cache.get('e', async () => 'x'.repeat(95));
    await settle();
    expect(cache.stats.entries).toBe(4);
    let recomputed = false;
    await cache.get('b', async () => {
      recomputed = true;
      return '';
    });
    expect(recomputed).toBe(true); // b was the oldest
    cache.keepOnly((key) => key.startsWith('series'));
    expect(cache.stats.entries).toBe(0);
  });
});

describe('the result cache and refusals', () => {
  it('keeps a time-limit refusal for the data version (a loop cannot restart the work)', async () => {
    const cache = new ResultCache(1_000_000, true);
    let runs = 0;
    const slow = () => {
      runs++;
      return Promise.reject(new BearingError('compute-timeout', 'ran too long'));
    };
    for (let i = 0; i < 3; i++) await expect(cache.get('fit', slow)).rejects.toThrow('ran too long');
    expect(runs).toBe(1);
    cache.dataChanged();
    await expect(cache.get('fit', slow)).rejects.toThrow('ran too long');
    expect(runs).toBe(2);
  });
});
