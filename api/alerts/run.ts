// One evaluation of the alerts: read every goal, record the readings, raise an alert per change
// and target (never twice for the same change), and send what is still unsent; and the digest.
import { listAnnotations } from '../../data/annotations.ts';
import {
  addAlert,
  lastDigest,
  markDelivery,
  readingsAt,
  recordDigest,
  recordReadings,
  undelivered,
} from '../../data/alerts.ts';
import type { Database } from '../../data/db.ts';
import type { Settings } from '../../data/workspace.ts';
import { buildDigest, type Digest } from '../../metrics/alerts/digest.ts';
import { changesOf, readingOf } from '../../metrics/alerts/evaluate.ts';
import type { Catalog } from '../../metrics/catalog.ts';
import { readGoals } from '../../metrics/goals.ts';
import { headingOverview } from '../../metrics/heading/heading.ts';
import { deliver, targetName } from './deliver.ts';

/** Tries per alert across runs before it stays failed (shown on the Digest page). */
export const MAX_ATTEMPTS = 6;

export interface AlertContext {
  db: Database;
  catalog: Catalog;
  goalsFile: string;
  settings: Settings;
}

async function currentReadings(ctx: AlertContext) {
  const overview = await headingOverview(ctx.db, ctx.catalog, readGoals(ctx.goalsFile).goals);
  return overview.goals.map((g) => ({ ...readingOf(g), label: g.label, summary: g.summary }));
}

export async function runAlerts(
  ctx: AlertContext,
  options: { backoffMs?: number; attempts?: number } = {},
): Promise<{ changes: number; sent: number; failed: number }> {
  const alerts = ctx.settings.alerts;
  const now = new Date().toISOString();
  const readings = await currentReadings(ctx);
  const previous = await ctx.db.read((s) => readingsAt(s));
  const changes = alerts ? readings.flatMap((r) => changesOf(alerts.rules, previous.get(r.goal), r, r.label)) : [];
  await ctx.db.write(async (s) => {
    await recordReadings(s, now, readings);
    for (const c of changes)
      for (const target of alerts?.deliver ?? [])
        await addAlert(
          s,
          { key: `${c.rule}|${c.goal}|${c.identity}|${targetName(target)}`, ...c, target: targetName(target) },
          now,
        );
  });
  let sent = 0;
  let failed = 0;
  const pending = await ctx.db.read((s) => undelivered(s, MAX_ATTEMPTS));
  for (const target of alerts?.deliver ?? []) {
    const mine = pending.filter((a) => a.target === targetName(target));
    if (!mine.length) continue;
    const message = {
      title: `Bearing: ${mine.length} goal change${mine.length === 1 ? '' : 's'}`,
      lines: mine.map((a) => a.change),
    };
    const outcome = await deliver(target, message, options);
    const at = new Date().toISOString();
    await ctx.db.write(async (s) => {
      for (const a of mine) await markDelivery(s, Number(a.id), { ...outcome, at });
    });
    if (outcome.ok) sent += mine.length;
    else failed += mine.length;
  }
  return { changes: changes.length, sent, failed };
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
  const notes = (await listAnnotations(ctx.db, {})).filter((n) => n.created_at >= since);
  const digest = buildDigest({ since, madeAt, before, now, notes });
  if (options.record)
    await ctx.db.write(async (s) => {
      await recordReadings(s, madeAt, now);
      await recordDigest(s, madeAt);
    });
  return digest;
}
