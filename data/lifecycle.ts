// Dates a customer's life needs that an export may not give. E-commerce exports have no signup
// and no churn: without a signup the customer signed up at their first event in any table, and
// with `churn.inactive_after_days` a customer no source calls churned is churned that many days
// after their last event, once that day is on or before the data's as-of date. Both are modelling
// choices, inferred again at every import (new activity moves them) and shown on the Data page;
// a date a source gives always wins.
import { quoteIdent, type Session } from './db.ts';

export interface LifecycleSettings {
  /** Churn after this many days without an event, for customers no source marks as churned. */
  inactiveAfterDays?: number;
}

/** Bookkeeping: which customers' dates Bearing inferred, and the rule in force. */
export async function ensureLifecycleTables(session: Session): Promise<void> {
  await session.run(
    `CREATE TABLE IF NOT EXISTS lifecycle_inferred (customer_id VARCHAR NOT NULL, signup_date DATE, churn_date DATE)`,
  );
  await session.run(`CREATE TABLE IF NOT EXISTS lifecycle_rule (inactive_after_days INTEGER)`);
}

/**
 * Inferred dates go back to empty where they are still what Bearing inferred, so an import
 * compares the sources' rows with what the sources gave before.
 */
export async function revertInferred(session: Session): Promise<void> {
  const any = await session.one<{ n: number }>(`SELECT count(*) AS n FROM lifecycle_inferred`);
  if (!any?.n) return;
  await session.run(`UPDATE customers c SET
      signup_date = CASE WHEN i.signup_date IS NOT NULL AND c.signup_date = i.signup_date THEN NULL
        ELSE c.signup_date END,
      churn_date = CASE WHEN i.churn_date IS NOT NULL AND c.churn_date = i.churn_date THEN NULL ELSE c.churn_date END
    FROM lifecycle_inferred i WHERE c.customer_id = i.customer_id`);
}

const EVENTS = [
  ['touchpoints', 'occurred_at'],
  ['orders', 'ordered_at'],
  ['surveys', 'responded_at'],
] as const;

/**
 * Infer the dates again over the committed rows of this transaction; returns whether anything
 * inferred differs from before (the data then changed even if no row was written).
 */
export async function inferLifecycle(session: Session, settings: LifecycleSettings = {}): Promise<boolean> {
  const days = settings.inactiveAfterDays ?? null;
  const stats = await session.one<{ blank: number; inferred: number; rule: number | null }>(
    `SELECT (SELECT count(*) FROM customers WHERE signup_date IS NULL) AS blank, (SELECT count(*) FROM ` +
      `lifecycle_inferred) AS inferred, (SELECT max(inactive_after_days) FROM lifecycle_rule) AS rule`,
  );
  if (!stats?.blank && !stats?.inferred && days === null && stats?.rule == null) return false;
  await revertInferred(session);
  const events = EVENTS.map(([t, c]) => `SELECT customer_id, CAST(${quoteIdent(c)} AS DATE) AS d FROM ${t}`).join(
    ' UNION ALL ',
  );
  const end = `greatest(coalesce(s.last, c.signup_date), coalesce(c.signup_date, s.last)) + CAST($days AS INTEGER)`;
  await session.run(
    `CREATE OR REPLACE TEMP TABLE lifecycle_now AS
     WITH span AS (SELECT customer_id, min(d) AS first, max(d) AS last FROM (${events}) GROUP BY customer_id),
     horizon AS (SELECT greatest((SELECT max(last) FROM span), (SELECT max(signup_date) FROM customers)) AS as_of)
     SELECT customer_id, signup_date, churn_date FROM (
       SELECT c.customer_id,
         CASE WHEN c.signup_date IS NULL THEN s.first END AS signup_date,
         CASE WHEN c.churn_date IS NULL AND $days IS NOT NULL AND ${end} <= (SELECT as_of FROM horizon)
           THEN ${end} END AS churn_date
       FROM customers c LEFT JOIN span s USING (customer_id))
     WHERE signup_date IS NOT NULL OR churn_date IS NOT NULL`,
    { days },
  );
  const differs = await session.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM (SELECT * FROM lifecycle_now EXCEPT SELECT * FROM lifecycle_inferred)) + (SELECT ` +
      `count(*) FROM (SELECT * FROM lifecycle_inferred EXCEPT SELECT * FROM lifecycle_now)) + (SELECT CASE WHEN ` +
      `(SELECT max(inactive_after_days) FROM lifecycle_rule) IS NOT DISTINCT FROM CAST($days AS INTEGER) THEN 0 ` +
      `ELSE 1 END) AS n`,
    { days },
  );
  await session.run(`UPDATE customers c SET signup_date = coalesce(n.signup_date, c.signup_date),
      churn_date = coalesce(n.churn_date, c.churn_date)
    FROM lifecycle_now n WHERE c.customer_id = n.customer_id`);
  await session.run(`DELETE FROM lifecycle_inferred`);
  await session.run(`INSERT INTO lifecycle_inferred SELECT * FROM lifecycle_now`);
  await session.run(`DELETE FROM lifecycle_rule`);
  if (days !== null) await session.run(`INSERT INTO lifecycle_rule VALUES (CAST($days AS INTEGER))`, { days });
  await session.run(`DROP TABLE lifecycle_now`);
  return (differs?.n ?? 0) > 0;
}

export type LifecycleFacts = {
  inactive_after_days: number | null;
  signup_inferred: number;
  churn_inferred: number;
  /** Customers with neither a signup date nor any event: they count in no period. */
  without_signup: number;
};

export async function readLifecycle(session: Session): Promise<LifecycleFacts> {
  const row = await session.one<LifecycleFacts>(
    `SELECT (SELECT max(inactive_after_days) FROM lifecycle_rule) AS inactive_after_days,
       (SELECT count(signup_date) FROM lifecycle_inferred) AS signup_inferred,
       (SELECT count(churn_date) FROM lifecycle_inferred) AS churn_inferred,
       (SELECT count(*) FROM customers WHERE signup_date IS NULL) AS without_signup`,
  );
  return row ?? { inactive_after_days: null, signup_inferred: 0, churn_inferred: 0, without_signup: 0 };
}
