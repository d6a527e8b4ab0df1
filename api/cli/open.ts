import { existsSync } from 'node:fs';
import { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { ensureSchema } from '../../data/schema.ts';

/** Open a database for reading, failing clearly when it does not exist. */
export async function openExisting(path: string): Promise<Database> {
  if (!existsSync(path))
    throw new BearingError('no-database', `${path} does not exist: run "bearing generate" or "bearing import" first`);
  const db = await Database.open(path, { queryTimeoutMs: Number(process.env.BEARING_QUERY_TIMEOUT ?? 30) * 1000 });
  await db.write(ensureSchema);
  return db;
}

/**
 * A database whose catalog `bearing check` can bind against. The contract fixes the catalog, so
 * when the file is held by a running server (or absent) an empty in-memory copy is equivalent.
 */
export async function openForCheck(path: string): Promise<{ db: Database; note?: string }> {
  try {
    return { db: await openExisting(path) };
  } catch (error) {
    if (!(error instanceof BearingError) || !['database-busy', 'no-database'].includes(error.code)) throw error;
    const db = await Database.open(':memory:');
    await db.write(ensureSchema);
    return {
      db,
      note:
        `note: checked against the data contract's empty catalog ` +
        `(${error.code === 'database-busy' ? 'the database is in use by a server' : 'no database yet'})`,
    };
  }
}
