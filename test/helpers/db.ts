import { afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../data/db.ts';
import { CONTRACT_TABLES } from '../../data/contract.ts';
import { ensureSchema } from '../../data/schema.ts';
import { tempDir } from './tmp.ts';

export async function openTestDb(dir: string, name = 'test.duckdb'): Promise<Database> {
  const db = await Database.open(join(dir, name), { allowedDirectories: [dir] });
  await db.write(ensureSchema);
  return db;
}

/** Row count and an order-independent hash of every row, per contract table. */
export async function contentFingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of CONTRACT_TABLES) {
    const row = await db.one<{ n: number; h: string }>(
      `SELECT count(*) AS n, coalesce(sum(hash(t))::VARCHAR, '0') AS h FROM ${t} t`,
    );
    out[t] = `${row?.n}:${row?.h}`;
  }
  return out;
}

/**
 * A test database in a fresh folder for a whole test file: opened before its tests, closed and
 * removed after them. `db` is read once the file's tests run.
 */
export function testDatabase(): { dir: string; readonly db: Database } {
  const { dir, cleanup } = tempDir();
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDb(dir);
  });
  afterAll(() => {
    db?.close();
    cleanup();
  });
  return {
    dir,
    get db() {
      if (!db) throw new Error('the test database opens in beforeAll');
      return db;
    },
  };
}
