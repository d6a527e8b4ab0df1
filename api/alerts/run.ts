// One evaluation of the alerts: read every goal, record the readings, raise an alert per change
// and target (never twice for the same change), put them in the outbox and send what is due; and
// the digest.
//
// Exactly once, as far as a sender can promise it: a change becomes one alert row (its key names
// the change and the reading it was measured against, so a repeat of the same change later is a
// new alert, and a second run against the same reading is the same one); alerts become one
// delivery per target under an idempotency key fixed before the first try; a delivery is claimed
// under a lease in a transaction, so two runs never send it at once. A sender that dies after the
// receiver took a message and before recording it sends it again once the lease runs out, under
// the same key (header Idempotency-Key for webhooks, the email's Message-ID): a receiver that
// keeps keys drops the repeat; one that keeps none may see it twice, only in that window.
import { randomUUID } from 'node:crypto';
import { listAnnotations } from '../../data/annotations.ts';
import { listCheckins } from '../../data/checkins.ts';
import { currentFacts } from '../../data/schema.ts';
import { metricDrivers } from '../../metrics/drivers/drivers.ts';
import {
  addAlert,
  claimDeliveries,
  enqueueDeliveries,
  type GoalReading,
  lastDigest,
  markDelivery,
  readingsAt,
  recordDigest,
  recordReadings,
} from '../../data/alerts.ts';
import type { Database } from '../../data/db.ts';
import type { Settings } from '../../data/workspace.ts';
import { buildDigest, changedGoals, type Digest, withWhy } from '../../metrics/alerts/digest.ts';
import { changesOf, readingOf } from '../../metrics/alerts/evaluate.ts';
import { goalName } from '../../metrics/words/heading.ts';
import type { Catalog } from '../../metrics/catalog.ts';
import { readGoals } from '../../metrics/goals.ts';
import { headingEach } from '../../metrics/heading/heading.ts';
import { deliver, type Target, targetName } from './deliver.ts';

/** Tries per delivery across runs before it stays failed (shown on the Digest page). */
export const MAX_ATTEMPTS = 6;
/** How long a claimed delivery is left to its sender before another run may take it over. */
export const LEASE_MS = Number(process.env.BEARING_ALERT_LEASE_SECONDS ?? 300) * 1000;

/** Retries within a run, their back-off, each try's time limit, and the lease (tests shorten them). */
export interface DeliveryOptions {
  backoffMs?: number;
  attempts?: number;
  timeoutMs?: number;
  leaseMs?: number;
}

export interface AlertContext {
  db: Database;
  catalog: Catalog;
  goalsFile: string;
  settings: Settings;
}

// Each goal's reading is kept, not the whole heading (which holds its series): a large goals file
// is read a batch at a time (headingEach) without every goal's series in memory at once.
async function currentReadings(ctx: AlertContext) {
  const out: Array<GoalReading & { label: string; summary: string }> = [];
  await headingEach(ctx.db, ctx.catalog, readGoals(ctx.goalsFile).goals, { currency: ctx.settings.currency }, (g) => {
    // Two goals on one metric (all customers, and one segment) are told apart in every message.
    out.push({ ...readingOf(g), label: goalName(g.label, g.where), summary: g.summary });
  });
  return out;
}

// Runs in this process one at a time: the server's schedule, an API call and a test may overlap.
let running: Promise<unknown> = Promise.resolve();

export function runAlerts(
  ctx: AlertContext,
  options: DeliveryOptions = {},
): Promise<{ changes: number; sent: number; failed: number }> {
  const next = running.catch(() => undefined).then(() => evaluateAndSend(ctx, options));
  running = next;
  return next;
}

async function evaluateAndSend(
  ctx: AlertContext,
  options: DeliveryOptions,
): Promise<{ changes: number; sent: number; failed: number }> {
  const alerts = ctx.settings.alerts;
  const now = new Date().toISOString();
  const readings = await currentReadings(ctx);
  const previous = await ctx.db.read((s) => readingsAt(s));
  const changes = alerts
    ? readings.flatMap((r) => {
        const before = previous.get(r.goal);
        return changesOf(alerts.rules, before, r, r.label).map((c) => ({ ...c, since: before?.evaluated_at ?? '' }));
      })
    : [];
  const targets = alerts?.deliver ?? [];
  // Each alert carries why its goal's metric moved, as the digest does.
  const why = changes.length && targets.length ? await whyOf(ctx, new Set(changes.map((c) => c.goal))) : new Map();
  await ctx.db.write(async (s) => {
    await recordReadings(s, now, readings);
    for (const c of changes)
      for (const target of targets)
        await addAlert(
          s,
          {
            key: `${c.rule}|${c.goal}|${c.identity}|${c.since}|${targetName(target)}`,
            rule: c.rule,
            goal: c.goal,
            change: why.has(c.goal) ? `${c.change}. Why: ${why.get(c.goal)}` : c.change,
            target: targetName(target),
          },
          now,
        );
    await enqueueDeliveries(s, now, randomUUID, (n) => `Bearing: ${n} goal change${n === 1 ? '' : 's'}`);
  });
  const { sent, failed } = await sendDue(ctx.db, targets, options);
  return { changes: changes.length, sent, failed };
}

/** Claims the due deliveries under a lease, sends each under its key, and records what came of it. */
async function sendDue(
  db: Database,
  targets: Target[],
  options: DeliveryOptions,
): Promise<{ sent: number; failed: number }> {
  const claimedAt = new Date();
  const lease = new Date(claimedAt.getTime() + (options.leaseMs ?? LEASE_MS)).toISOString();
  const due = await db.write((s) => claimDeliveries(s, claimedAt.toISOString(), lease, MAX_ATTEMPTS));
  let sent = 0;
  let failed = 0;
  for (const delivery of due) {
    const target = targets.find((t) => targetName(t) === delivery.target);
    const outcome = target
      ? await deliver(target, { title: delivery.title, lines: delivery.lines, key: delivery.key }, options)
      : { ok: false, attempts: 1, error: `${delivery.target} is no longer in bearing.yaml's alerts.deliver` };
    const at = new Date().toISOString();
    await db.write((s) => markDelivery(s, delivery.id, { ...outcome, at }));
    if (outcome.ok) sent += delivery.lines.length;
    else failed += delivery.lines.length;
  }
  return { sent, failed };
}

/** What changed since `since` (default: the last digest, else seven days ago); recorded as a digest when `record`. */
export async function makeDigest(
  ctx: AlertContext,
  options: { since?: string; record?: boolean } = {},
): Promise<Digest> {
  const madeAt = new Date().toISOString();
  const last = await ctx.db.read(lastDigest);
  const since = options.since ?? last ?? new Date(Date.now() - 7 * 86_400_000).toISOString();
  const now = await currentReadings(ctx);
  const before = await ctx.db.read((s) => readingsAt(s, since.length === 10 ? `${since}T23:59:59.999Z` : since));
  const fromHistory = await historyReadings(ctx, before, now);
  const notes = (await listAnnotations(ctx.db, {})).filter((n) => n.created_at >= since);
  const checkins = (await listCheckins(ctx.db)).filter((c) => c.created_at >= since);
  const plain = buildDigest({ since, madeAt, before, now, notes, checkins, fromHistory });
  const changed = changedGoals(plain);
  const digest = changed.size ? withWhy(plain, await whyOf(ctx, changed)) : plain;
  if (options.record)
    await ctx.db.write(async (s) => {
      await recordReadings(s, madeAt, now);
      await recordDigest(s, madeAt);
    });
  return digest;
}

/**
 * On first use no reading was recorded: each goal without one is read as of the end of the month
 * before the data's latest, from the history the database already holds, so the first digest says
 * what moved over the last month rather than "first reading". The readings are put into `before`.
 */
async function historyReadings(
  ctx: AlertContext,
  before: Map<string, GoalReading>,
  now: Array<{ goal: string }>,
): Promise<{ goals: Set<string>; asOf: string } | undefined> {
  const missing = new Set(now.filter((r) => !before.has(r.goal)).map((r) => r.goal));
  const asOf = (await currentFacts(ctx.db)).as_of;
  if (!missing.size || !asOf) return undefined;
  const monthStartOfAsOf = `${asOf.slice(0, 7)}-01`;
  const earlier = new Date(Date.parse(`${monthStartOfAsOf}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const goals = readGoals(ctx.goalsFile).goals.filter((g) => missing.has(g.id));
  await headingEach(ctx.db, ctx.catalog, goals, { asOf: earlier, currency: ctx.settings.currency }, (g) => {
    before.set(g.id, readingOf(g));
  });
  return { goals: missing, asOf: earlier };
}

/** Each changed goal's drivers in words: the last three months' when they name one, else the last month's. */
async function whyOf(ctx: AlertContext, goals: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const goal of readGoals(ctx.goalsFile).goals.filter((g) => goals.has(g.id))) {
    try {
      const request = { where: goal.where ?? {}, currency: ctx.settings.currency };
      const quarter = await metricDrivers(ctx, goal.metric, { ...request, window: 3 });
      const answer = quarter.drivers.length
        ? quarter
        : await metricDrivers(ctx, goal.metric, { ...request, window: 1 });
      out.set(goal.id, answer.sentence);
    } catch {
      // A goal whose metric cannot be split (no data yet, a failing definition) keeps its change without a why.
    }
  }
  return out;
}
