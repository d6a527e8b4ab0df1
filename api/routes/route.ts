// How to get back on course: GET /goals/:id/route.
import { createRoute, z } from '@hono/zod-openapi';
import { BearingError } from '../../data/errors.ts';
import { cacheKey } from '../../metrics/cacheKeys.ts';
import type { Goal } from '../../metrics/goals.ts';
import { goalRoute } from '../../metrics/route/goalRoute.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { ErrorBody, Interval, json } from '../schemas.ts';
import { serverGoals } from '../goalsFile.ts';
import { readingContext } from './goals.ts';

const PlanSchema = z.object({
  moves: z.array(z.object({ channel: z.string(), extra_per_month: z.number() })),
  extra_spend: z.number().openapi({ description: 'Extra spend a month, across the moves' }),
  extra_spend_to_due: z.number(),
  probability_after: z.number(),
  probability_after_ci: z.tuple([z.number(), z.number()]),
  value_at_due: z.number(),
  value_at_due_ci: z.tuple([z.number(), z.number()]),
  reaches_on_course: z.boolean(),
});

const LeverSchema = z.object({
  channel: z.string(),
  lift: z.number(),
  lift_ci: z.tuple([z.number(), z.number()]),
  spend_per_month: z.number(),
  reached_per_month: z.number(),
  move_per_1000: z.number().openapi({ description: 'The metric’s move at the due date for 1,000 more a month' }),
  move_per_1000_ci: Interval,
  helps: z.boolean(),
});

export const RouteSchema = z
  .object({
    goal: z.string(),
    metric: z.string(),
    status: z.string(),
    probability_now: z.number().nullable(),
    target_probability: z.number(),
    outcome: z.enum(['retention', 'nps', 'csat', 'revenue', 'mix']).nullable(),
    levers: z.array(LeverSchema),
    plans: z.array(PlanSchema),
    max_extra_per_month: z.number(),
    months_to_due: z.number(),
    reason: z.string(),
    assumptions: z.array(z.string()),
  })
  .openapi('Route');

const route = createRoute({
  method: 'get',
  path: '/goals/{id}/route',
  summary: 'How to get back on course: the measured levers on the goal’s metric and the cheapest plans',
  request: {
    params: z.object({ id: z.string().max(80) }),
    query: z.object({
      max_extra: z.coerce
        .number()
        .min(0)
        .max(1e12)
        .optional()
        .openapi({ description: 'Most extra spend a month a plan may add (default: today’s monthly spend)' }),
    }),
  },
  responses: { 200: json(RouteSchema, 'The route'), 404: json(ErrorBody, 'Unknown goal') },
});

export const routeRoutes = (deps: AppDeps) =>
  router().openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const goal = (await serverGoals(deps)).goals.find((g) => g.id === id);
    if (!goal) throw new BearingError('unknown-goal', `no goal with id "${id}"`);
    const maxExtra = c.req.valid('query').max_extra;
    const answer = await keptRoute(deps, goal, await routeKey(deps, goal, maxExtra ?? null), maxExtra);
    return c.json(answer, 200);
  });

/** Everything a goal's route back depends on besides the data (see cacheKey.route). */
export async function routeKey(deps: Pick<AppDeps, 'db' | 'catalog'>, goal: Goal, maxExtra: number | null) {
  return cacheKey.route({ goal, maxExtra, ...(await readingContext(deps.db)) }, deps.catalog.resolve);
}

/** A goal's route back under its key: cached, and kept in the database like the goal's page. */
export const keptRoute = (deps: Pick<AppDeps, 'db' | 'catalog'>, goal: Goal, key: string, maxExtra?: number) =>
  deps.db.cached(key, () => goalRoute(deps.db, deps.catalog, goal, { maxExtraPerMonth: maxExtra }), { stored: true });
