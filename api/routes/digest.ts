// The digest (what changed since a date), the alerts raised and their deliveries, and running
// the alert rules now.
import { createRoute, z } from '@hono/zod-openapi';
import { listAlerts } from '../../data/alerts.ts';
import { BearingError } from '../../data/errors.ts';
import { settingsOf } from '../settings.ts';
import { makeDigest, runAlerts } from '../alerts/run.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { IsoDate, json } from '../schemas.ts';

const DigestSchema = z
  .object({
    since: z.string(),
    made_at: z.string(),
    items: z.array(
      z.object({
        goal: z.string(),
        label: z.string(),
        kind: z.enum(['status', 'probability', 'shift', 'stale', 'milestone', 'note', 'checkin', 'new']),
        text: z.string(),
        why: z.string().optional().openapi({ description: 'Why the goal’s metric moved: its drivers in words' }),
      }),
    ),
    goals: z.array(
      z.object({
        goal: z.string(),
        label: z.string(),
        status: z.string(),
        probability: z.number().nullable(),
        summary: z.string(),
      }),
    ),
  })
  .openapi('Digest');

const AlertSchema = z.object({
  id: z.number(),
  rule: z.string(),
  goal: z.string(),
  change: z.string(),
  target: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});

const digestRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'What changed since a date (default: seven days ago): statuses, chances, shifts, stale data, notes',
  request: { query: z.object({ since: IsoDate.optional() }) },
  responses: { 200: json(DigestSchema, 'Digest') },
});

const alertsRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Alerts raised and their delivery to each target (sent, failed with attempts, pending), newest first',
  responses: { 200: json(z.object({ alerts: z.array(AlertSchema) }), 'Alerts') },
});

const runRoute = createRoute({
  method: 'post',
  path: '/run',
  summary: 'Evaluate the alert rules now and send what is due (analyst or admin)',
  responses: { 200: json(z.object({ changes: z.number(), sent: z.number(), failed: z.number() }), 'Run') },
});

export function alertContext(deps: AppDeps) {
  return { db: deps.db, catalog: deps.catalog, goalsFile: deps.goalsFile, settings: settingsOf(deps) };
}

export const digestRoutes = (deps: AppDeps) =>
  router().openapi(digestRoute, async (c) => {
    const { since } = c.req.valid('query');
    return c.json(await makeDigest(alertContext(deps), { since }), 200);
  });

export const alertRoutes = (deps: AppDeps) =>
  router()
    .openapi(alertsRoute, async (c) => {
      const alerts = await deps.db.read((s) => listAlerts(s));
      return c.json({ alerts: alerts.map((a) => ({ ...a, id: Number(a.id), attempts: Number(a.attempts) })) }, 200);
    })
    .openapi(runRoute, async (c) => {
      const ctx = alertContext(deps);
      if (!ctx.settings.alerts) throw new BearingError('bad-config', 'bearing.yaml has no alerts: section');
      return c.json(await runAlerts(ctx), 200);
    });
