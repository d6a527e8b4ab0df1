// What the alerts and the digest remember: each goal's reading every time it was evaluated
// (goal_readings, append-only), every alert (one row per change and target, never twice for the
// same change), the outbox of deliveries (one message per target holding a fixed set of alerts,
// with the idempotency key it is always sent under and a lease while it is being sent), and when
// each digest was made.
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
  await session.run(`ALTER TABLE alerts ADD COLUMN IF NOT EXISTS delivery_id BIGINT`);
  await session.run(`CREATE SEQUENCE IF NOT EXISTS delivery_ids START 1`);
  await session.run(`CREATE TABLE IF NOT EXISTS deliveries (id BIGINT PRIMARY KEY DEFAULT nextval('delivery_ids'),
    "key" VARCHAR NOT NULL UNIQUE, target VARCHAR NOT NULL, title VARCHAR NOT NULL, lines VARCHAR NOT NULL,
    status VARCHAR NOT NULL, attempts INTEGER NOT NULL, last_error VARCHAR, lease_until VARCHAR,
    created_at VARCHAR NOT NULL, sent_at VARCHAR)`);
}

/** Each goal's latest reading at or before `at` (ISO time; default: the latest of all), with when it was taken. */
export async function readingsAt(
  session: Session,
  at?: string,
): Promise<Map<string, GoalReading & { evaluated_at: string }>> {
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
        evaluated_at: String(r.evaluated_at),
      },
    ]),
  );
}

export async function recordReadings(session: Session, at: string, readings: GoalReading[]): Promise<void> {
  for (const r of readings)
    await session.run(
      `INSERT INTO goal_readings VALUES ($at, $goal, $status, $probability, $shift_kind, $shift_period, $stale, ` +
        `$missed, $as_of)`,
      {
        at,
        goal: r.goal,
        status: r.status,
        probability: r.probability,
        shift_kind: r.shift_kind,
        shift_period: r.shift_period,
        stale: r.stale,
        missed: JSON.stringify(r.missed),
        as_of: r.as_of,
      },
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

export interface Delivery {
  id: number;
  key: string;
  target: string;
  title: string;
  lines: string[];
  attempts: number;
}

/**
 * Puts every alert not yet in a delivery into one new delivery per target, under a fresh
 * idempotency key: whatever happens later, those alerts are sent as that message and that key.
 */
export async function enqueueDeliveries(
  session: Session,
  at: string,
  newKey: () => string,
  titleOf: (count: number) => string,
): Promise<void> {
  const waiting = await session.all<{ id: number; target: string; change: string }>(
    `SELECT id, target, change FROM alerts WHERE delivery_id IS NULL AND status IN ('pending', 'failed') ORDER BY id`,
  );
  const byTarget = new Map<string, typeof waiting>();
  for (const a of waiting) byTarget.set(a.target, [...(byTarget.get(a.target) ?? []), a]);
  for (const [target, alerts] of byTarget) {
    const row = await session.one<{ id: number }>(
      `INSERT INTO deliveries ("key", target, title, lines, status, attempts, created_at)
       VALUES ($key, $target, $title, $lines, 'pending', 0, $at) RETURNING id`,
      {
        key: newKey(),
        target,
        title: titleOf(alerts.length),
        lines: JSON.stringify(alerts.map((a) => a.change)),
        at,
      },
    );
    await session.run(
      `UPDATE alerts SET delivery_id = $delivery WHERE id IN (${alerts.map((a) => Number(a.id)).join(', ')})`,
      { delivery: Number(row!.id) },
    );
  }
}

/**
 * Claims the deliveries due now (pending, failed with tries left, or sending under a lease that
 * ran out: its sender died) by leasing them until `leaseUntil`. Run in a write transaction, so two
 * runs never claim the same delivery.
 */
export async function claimDeliveries(
  session: Session,
  now: string,
  leaseUntil: string,
  maxAttempts: number,
): Promise<Delivery[]> {
  const due = await session.all<{
    id: number;
    key: string;
    target: string;
    title: string;
    lines: string;
    attempts: number;
  }>(
    `SELECT id, "key", target, title, lines, attempts FROM deliveries
     WHERE status = 'pending' OR (status = 'failed' AND attempts < $max) OR (status = 'sending' AND lease_until < $now)
     ORDER BY id`,
    { max: maxAttempts, now },
  );
  for (const d of due)
    await session.run(`UPDATE deliveries SET status = 'sending', lease_until = $lease WHERE id = $id`, {
      id: Number(d.id),
      lease: leaseUntil,
    });
  return due.map((d) => ({ ...d, id: Number(d.id), lines: JSON.parse(d.lines) as string[] }));
}

/** What one try of a delivery came to, on the delivery and on each of its alerts. */
export async function markDelivery(
  session: Session,
  id: number,
  outcome: { ok: boolean; attempts: number; error?: string; at: string },
): Promise<void> {
  const values = {
    id,
    status: outcome.ok ? 'sent' : 'failed',
    attempts: outcome.attempts,
    error: outcome.error ?? null,
    sent: outcome.ok ? outcome.at : null,
  };
  await session.run(
    `UPDATE deliveries SET status = $status, attempts = attempts + $attempts, last_error = $error, sent_at = $sent,
       lease_until = NULL WHERE id = $id`,
    values,
  );
  await session.run(
    `UPDATE alerts SET status = $status, attempts = attempts + $attempts, last_error = $error, sent_at = $sent ` +
      'WHERE delivery_id = $id',
    values,
  );
}

export async function listAlerts(session: Session, limit = 100): Promise<AlertRow[]> {
  const rows = await session.all<AlertRow>(
    `SELECT * EXCLUDE (delivery_id) FROM alerts ORDER BY id DESC LIMIT ${Math.max(1, Math.min(1000, limit))}`,
  );
  // Errors stored by versions before delivery errors were scrubbed may hold a URL with its secret.
  return rows.map((r) => ({ ...r, last_error: r.last_error?.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>') ?? null }));
}

export async function lastDigest(session: Session): Promise<string | null> {
  return (await session.one<{ at: string | null }>(`SELECT max(made_at) AS at FROM digests`))?.at ?? null;
}

export async function recordDigest(session: Session, at: string): Promise<void> {
  await session.run(`INSERT INTO digests VALUES ($at)`, { at });
}
