// Check-ins: a goal owner's short word on a goal (how confident they are, what they are doing),
// stored beside the notes and signed by the token that wrote it.
import type { Database, Session } from './db.ts';

export interface Checkin {
  id: number;
  goal: string;
  /** How likely the owner thinks the goal is to be met, 0–100. */
  confidence: number;
  text: string;
  author: string | null;
  created_at: string;
}

export async function ensureCheckinTable(session: Session): Promise<void> {
  await session.run(`CREATE SEQUENCE IF NOT EXISTS checkin_ids START 1`);
  await session.run(`CREATE TABLE IF NOT EXISTS checkins (
    id BIGINT PRIMARY KEY DEFAULT nextval('checkin_ids'),
    goal VARCHAR NOT NULL,
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    text VARCHAR NOT NULL,
    author VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  )`);
}

const COLUMNS = `id, goal, confidence, text, author, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at`;

/** Check-ins, newest first: one goal's, or every goal's latest (one each). */
export async function listCheckins(db: Database, filter: { goal?: string; latest?: boolean } = {}): Promise<Checkin[]> {
  const params = { goal: filter.goal ?? null };
  const sql = filter.latest
    ? `SELECT ${COLUMNS} FROM checkins WHERE ($goal IS NULL OR goal = $goal)
       QUALIFY row_number() OVER (PARTITION BY goal ORDER BY created_at DESC, id DESC) = 1 ORDER BY goal`
    : `SELECT ${COLUMNS} FROM checkins WHERE ($goal IS NULL OR goal = $goal) ORDER BY created_at DESC, id DESC`;
  // Kept until the next write (every check-in is a write through writeNotes, which clears it).
  return db.cached(
    `checkins\u0000${JSON.stringify({ ...params, latest: !!filter.latest })}`,
    () => db.all<Checkin & Record<string, string | number | null>>(sql, params),
    { evenWhenCachingIsOff: true },
  );
}

export async function createCheckin(
  db: Database,
  input: { goal: string; confidence: number; text: string; author: string | null },
): Promise<Checkin> {
  return db.writeNotes(async (s) => {
    const row = await s.one<Checkin & Record<string, string | number | null>>(
      `INSERT INTO checkins (goal, confidence, text, author) VALUES ($goal, $confidence, $text, $author)
       RETURNING ${COLUMNS}`,
      input,
    );
    return row!;
  });
}
