// BEARING_THREADS sets DuckDB's threads for every database a command or server opens; an explicit
// option wins, and a value that is not a whole number is refused by name before anything runs.
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';

const before = process.env.BEARING_THREADS;
afterEach(() => {
  if (before === undefined) delete process.env.BEARING_THREADS;
  else process.env.BEARING_THREADS = before;
});

async function threadsOf(options: { threads?: number } = {}): Promise<number> {
  const db = await Database.open(':memory:', options);
  try {
    return Number((await db.one<{ t: string }>(`SELECT current_setting('threads') AS t`))!.t);
  } finally {
    db.close();
  }
}

describe('BEARING_THREADS', () => {
  it('sets the threads of a database opened without the option; the option wins', async () => {
    process.env.BEARING_THREADS = '3';
    expect(await threadsOf()).toBe(3);
    expect(await threadsOf({ threads: 2 })).toBe(2);
    process.env.BEARING_THREADS = '1';
    expect(await threadsOf()).toBe(1);
  });

  it.each(['two', '0', '1.5', '-1'])('refuses %s, naming the setting', async (value) => {
    process.env.BEARING_THREADS = value;
    await expect(Database.open(':memory:')).rejects.toThrow(
      `BEARING_THREADS "${value}" is not a whole number of threads (1 or more)`,
    );
  });
});
