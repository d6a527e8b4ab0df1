// Heavy answers (channel comparisons, mix fits) kept in the database beside the data they were
// computed from, so a restarted server, or a command run after it, does not compute them again: a
// channel comparison of 50,000 customers is 2–4 s of CPU per outcome. A stored answer is served
// only at the data version, the code (data/codeVersion.ts) and the key it was computed for, and
// the key names everything else it depends on (metrics/cacheKeys.ts). Answers of earlier data
// versions are deleted when one is stored, and the table is held under a size limit, oldest first.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';

/** The part of a database session used here (data/db.ts, which uses this module). */
interface Session {
  one(sql: string, params?: Record<string, string | number>): Promise<Record<string, unknown> | undefined>;
  run(sql: string, params?: Record<string, string | number>): Promise<void>;
}

export const STORED_RESULTS_SQL =
  `CREATE TABLE IF NOT EXISTS stored_results (key VARCHAR NOT NULL, code VARCHAR NOT NULL, data_version BIGINT ` +
  `NOT NULL, value VARCHAR NOT NULL, bytes BIGINT NOT NULL, compute_ms DOUBLE NOT NULL, stored_at TIMESTAMP NOT NULL)`;

const CURRENT_VERSION = '(SELECT max(data_version) FROM bearing_meta)';

/** Keys name whole definitions: stored by their hash. */
export const storedKey = (key: string, context: string) =>
  createHash('sha256').update(context).update('\u0000').update(key).digest('hex');

/** The answer stored for this key and code at the current data version, if any. */
export async function loadStored(session: Session, key: string, code: string): Promise<{ value: unknown } | null> {
  const row = await session.one(
    `SELECT value FROM stored_results WHERE key = $key AND code = $code AND data_version = ${CURRENT_VERSION}`,
    { key, code },
  );
  // Serialized by Node itself (structured clone): NaN, Infinity and typed arrays come back as they were.
  return row ? { value: deserialize(Buffer.from(String(row.value), 'base64')) } : null;
}

/**
 * Store an answer at the current data version, replacing the key's earlier one and dropping every
 * answer of another data version or other code; then the oldest until the table holds at most
 * `limitBytes`. An answer larger than a quarter of the limit is not stored.
 */
export async function saveStored(
  session: Session,
  entry: { key: string; code: string; value: unknown; computeMs: number },
  limitBytes: number,
): Promise<boolean> {
  const text = serialize(entry.value).toString('base64');
  if (text.length > limitBytes / 4) return false;
  await session.run(
    `DELETE FROM stored_results WHERE key = $key OR code <> $code OR data_version <> ${CURRENT_VERSION}`,
    { key: entry.key, code: entry.code },
  );
  await session.run(
    `INSERT INTO stored_results VALUES ($key, $code, ${CURRENT_VERSION}, $value, $bytes, $ms, current_timestamp)`,
    { key: entry.key, code: entry.code, value: text, bytes: text.length, ms: entry.computeMs },
  );
  await session.run(
    `DELETE FROM stored_results WHERE key IN (SELECT key FROM (SELECT key, sum(bytes) OVER (ORDER BY stored_at ` +
      `DESC, key) AS running FROM stored_results) WHERE running > $limit)`,
    { limit: limitBytes },
  );
  return true;
}
