// Heavy answers kept in the database for the next process (data/storedResults.ts): served only at
// the same data version, code and time zone, exactly as computed, within a size limit, and never at
// the cost of an answer when the store cannot be read or written.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { saveExperiment } from '../../data/experiments.ts';
import { ensureSchema } from '../../data/schema.ts';
import { compareChannels } from '../../metrics/channels/compare.ts';
import { plantWorld } from '../channels/plantedWorlds.ts';
import { tempDir } from '../helpers/tmp.ts';

const folder = tempDir();
const file = join(folder.dir, 'world.duckdb');

beforeAll(async () => {
  const db = await Database.open(file, { allowedDirectories: [folder.dir] });
  try {
    await db.write(ensureSchema);
    await plantWorld(db, folder.dir, 'acquisition', 2000, 3);
  } finally {
    db.close();
  }
}, 120_000);
afterAll(() => folder.cleanup());

/** Open the world's file as a new process would, run `work`, close it. */
async function session<T>(
  work: (db: Database) => Promise<T>,
  options: Parameters<typeof Database.open>[1] = {},
): Promise<T> {
  const db = await Database.open(file, { allowedDirectories: [folder.dir], ...options });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** An answer with what JSON would lose: NaN, infinities, -0, undefined and a typed array. */
const awkward = () => ({
  lift: Number.NaN,
  bounds: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  zero: -0,
  missing: undefined,
  draws: new Float64Array([0.1, 0.2, 0.30000000000000004]),
  rows: [{ channel: 'email', n: 12 }],
});

/** The answer for `key` and how many times it was computed in this opening. */
async function answer(db: Database, key: string, value: () => unknown = awkward) {
  let computed = 0;
  const got = await db.cached(
    key,
    async () => {
      computed++;
      return value();
    },
    { stored: true },
  );
  return { got, computed };
}

const storedRows = (db: Database) =>
  db.all<{ n: number; bytes: number | null }>(`SELECT count(*) AS n, sum(bytes) AS bytes FROM stored_results`);

describe('answers stored for the next process', () => {
  it('are computed once and read back exactly by the next opening of the file', async () => {
    const first = await session((db) => answer(db, 'test\u0000once'));
    expect(first.computed).toBe(1);
    const second = await session((db) => answer(db, 'test\u0000once'));
    expect(second.computed).toBe(0);
    // Deep and strict: NaN, -0, undefined and the typed array come back as they were.
    expect(isDeepStrictEqual(second.got, awkward())).toBe(true);
    // Another key is another answer.
    expect((await session((db) => answer(db, 'test\u0000other'))).computed).toBe(1);
  });

  it('are computed again after the data change, and the earlier version’s answers are dropped', async () => {
    await session((db) => answer(db, 'test\u0000data'));
    expect((await session((db) => answer(db, 'test\u0000data'))).computed).toBe(0);
    await session((db) =>
      saveExperiment(db, {
        experiment_id: 'x1',
        channel: 'email',
        start: '2024-01-01',
        end: '2024-02-01',
        metric: 'revenue',
        lift: 0.1,
        lift_se: 0.02,
        spend: 100,
        notes: null,
      }),
    );
    expect((await session((db) => answer(db, 'test\u0000data'))).computed).toBe(1);
    // Only this version's answer is left: the others were of the data before the experiment.
    expect((await session(storedRows))[0]!.n).toBe(1);
    expect((await session((db) => answer(db, 'test\u0000data'))).computed).toBe(0);
  });

  it('are computed again in another time zone, and not stored at all when caching is off', async () => {
    await session((db) => answer(db, 'test\u0000zone'));
    expect((await session((db) => answer(db, 'test\u0000zone'), { timezone: 'America/Sao_Paulo' })).computed).toBe(1);
    expect((await session((db) => answer(db, 'test\u0000zone'), { timezone: 'America/Sao_Paulo' })).computed).toBe(0);
    await session((db) => answer(db, 'test\u0000uncached'), { cache: false });
    expect((await session((db) => answer(db, 'test\u0000uncached'), { cache: false })).computed).toBe(1);
    await session((db) => answer(db, 'test\u0000unstored'), { store: false });
    expect((await session((db) => answer(db, 'test\u0000unstored'))).computed).toBe(1);
  });

  it('stay under the size limit, oldest out first; an answer over a quarter of it is not stored', async () => {
    const limit = 200_000;
    const big = () => ({ values: Array.from({ length: 3000 }, (_, i) => i + 0.5) });
    for (let i = 0; i < 12; i++) await session((db) => answer(db, `test\u0000big${i}`, big), { cacheBytes: limit });
    const [{ n, bytes }] = (await session(storedRows)) as [{ n: number; bytes: number }];
    expect(bytes).toBeLessThanOrEqual(limit);
    expect(n).toBeGreaterThan(1);
    expect((await session((db) => answer(db, 'test\u0000big11', big), { cacheBytes: limit })).computed).toBe(0);
    expect((await session((db) => answer(db, 'test\u0000big0', big), { cacheBytes: limit })).computed).toBe(1);
    const huge = () => ({ values: Array.from({ length: 20_000 }, (_, i) => i + 0.5) });
    await session((db) => answer(db, 'test\u0000huge', huge), { cacheBytes: limit });
    expect((await session((db) => answer(db, 'test\u0000huge', huge), { cacheBytes: limit })).computed).toBe(1);
  });

  it('cost only time when the store cannot be used: an answer that cannot be stored is still given', async () => {
    const fn = () => ({ run: () => 1 });
    const first = await session((db) => answer(db, 'test\u0000function', fn));
    expect(first.computed).toBe(1);
    expect(typeof (first.got as { run: unknown }).run).toBe('function');
    expect((await session((db) => answer(db, 'test\u0000function', fn))).computed).toBe(1);
  });

  it('a channel comparison read back equals the one computed, and is what the next process serves', async () => {
    const computed = await session((db) => compareChannels(db, { outcome: 'retention' }));
    const row = await session((db) =>
      db.one<{ n: number; ms: number }>(`SELECT count(*) AS n, max(compute_ms) AS ms FROM stored_results`),
    );
    expect(row!.n).toBeGreaterThanOrEqual(1);
    expect(row!.ms).toBeGreaterThan(0);
    const again = await session((db) => compareChannels(db, { outcome: 'retention' }));
    expect(isDeepStrictEqual(again, computed)).toBe(true);
    // Computed on its own, without the store, it is the same answer.
    const fresh = await session((db) => compareChannels(db, { outcome: 'retention' }), { store: false });
    expect(isDeepStrictEqual(fresh, computed)).toBe(true);
  });
});
