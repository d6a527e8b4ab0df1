// What the alerts and the digest remember: each goal's reading every time it was evaluated
// (goal_readings, append-only), every alert and its delivery to each target (alerts: one row per
// change and target, never twice for the same change), and when each digest was made.
import type { Session } from './db.ts';

export interface GoalReading {
  goal: string;
  status: string;
  probability: number | null;
  shift_kind: string;
  shift_period: string | null;
  stale: boolean;
  /** Milestones judged missed, by date. */
  missed: string[];
  as_of: string;
}

export type AlertRow = {
  id: number;
  key: string;
  rule: string;
  goal: string;
  change: string;
  target: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
};

export async function ensureAlertTables(session: Session): Promise<void> {
  await session.run(`CREATE TABLE IF NOT EXISTS goal_readings (evaluated_at VARCHAR NOT NULL, goal VARCHAR NOT NULL,
    status VARCHAR NOT NULL, probability DOUBLE, shift_kind VARCHAR NOT NULL, shift_period VARCHAR,
    stale BOOLEAN NOT NULL, missed VARCHAR NOT NULL, as_of VARCHAR NOT NULL)`);
  await session.run(`CREATE SEQUENCE IF NOT EXISTS alert_ids START 1`);
  await session.run(`CREATE TABLE IF NOT EXISTS alerts (id BIGINT PRIMARY KEY DEFAULT nextval('alert_ids'),
    "key" VARCHAR NOT NULL UNIQUE, rule VARCHAR NOT NULL, goal VARCHAR NOT NULL, change VARCHAR NOT NULL,
    target VARCHAR NOT NULL, status VARCHAR NOT NULL, attempts INTEGER NOT NULL, last_error VARCHAR,
    created_at VARCHAR NOT NULL, sent_at VARCHAR)`);
  await session.run(`CREATE TABLE IF NOT EXISTS digests (made_at VARCHAR NOT NULL)`);
}

/** Each goal's latest reading at or before `at` (ISO time; default: the latest of all). */
export async function readingsAt(session: Session, at?: string): Promise<Map<string, GoalReading>> {
  const rows = await session.all<Record<string, string | number | boolean | null>>(
    `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY goal ORDER BY evaluated_at DESC) AS nth
      FROM goal_readings WHERE evaluated_at <= coalesce($at, '9999')) WHERE nth = 1`,
    { at: at ?? null },
  );
  return new Map(
    rows.map((r) => [
      String(r.goal),
      {
        goal: String(r.goal),
        status: String(r.status),
        probability: r.probability === null ? null : Number(r.probability),
        shift_kind: String(r.shift_kind),
        shift_period: r.shift_period === null ? null : String(r.shift_period),
        stale: Boolean(r.stale),
        missed: JSON.parse(String(r.missed)) as string[],
        as_of: String(r.as_of),
      },
    ]),
  );
}

export async function recordReadings(session: Session, at: string, readings: GoalReading[]): Promise<void> {
  for (const r of readings)
    await session.run(
      `INSERT INTO goal_readings VALUES ($at, $goal, $status, $probability, $shift_kind, $shift_period, $stale, ` +
        `$missed, $as_of)`,
      { ...r, at, missed: JSON.stringify(r.missed) },
    );
}

/** Adds the alert unless the same change was already recorded for that target; returns whether it is new. */
export async function addAlert(
  session: Session,
  alert: Pick<AlertRow, 'key' | 'rule' | 'goal' | 'change' | 'target'>,
  at: string,
): Promise<boolean> {
  const exists = await session.one(`SELECT 1 AS x FROM alerts WHERE "key" = $key`, { key: alert.key });
  if (exists) return false;
  await session.run(
    `INSERT INTO alerts ("key", rule, goal, change, target, status, attempts, created_at) ` +
      `VALUES ($key, $rule, $goal, $change, $target, 'pending', 0, $at)`,
    { ...alert, at },
  );
  return true;
}

/** Alerts still to send: pending ones, and failed ones with attempts left. */
export async function undelivered(session: Session, maxAttempts: number): Promise<AlertRow[]> {
  return session.all<AlertRow>(
    `SELECT * FROM alerts WHERE status = 'pending' OR (status = 'failed' AND attempts < $max) ORDER BY id`,
    { max: maxAttempts },
  );
}

export async function markDelivery(
  session: Session,
  id: number,
  outcome: { ok: boolean; attempts: number; error?: string; at: string },
): Promise<void> {
  await session.run(
    `UPDATE alerts SET status = $status, attempts = attempts + $attempts, last_error = $error, sent_at = $sent ` +
      'WHERE id = $id',
    {
      id,
      status: outcome.ok ? 'sent' : 'failed',
      attempts: outcome.attempts,
      error: outcome.error ?? null,
      sent: outcome.ok ? outcome.at : null,
    },
  );
}

export async function listAlerts(session: Session, limit = 100): Promise<AlertRow[]> {
  return session.all<AlertRow>(`SELECT * FROM alerts ORDER BY id DESC LIMIT ${Math.max(1, Math.min(1000, limit))}`);
}

export async function lastDigest(session: Session): Promise<string | null> {
  return (await session.one<{ at: string | null }>(`SELECT max(made_at) AS at FROM digests`))?.at ?? null;
}

export async function recordDigest(session: Session, at: string): Promise<void> {
  await session.run(`INSERT INTO digests VALUES ($at)`, { at });
}
