// Why a metric or a goal moved: GET /metrics/:name/drivers and /goals/:id/drivers.
import { createRoute, z } from '@hono/zod-openapi';
import { BearingError } from '../../data/errors.ts';
import { metricDrivers } from '../../metrics/drivers/drivers.ts';
import { settingsOf } from '../settings.ts';
import { UNITS } from '../../metrics/definition.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { ErrorBody, Interval, IsoDate, json, WhereParam } from '../schemas.ts';
import { serverGoals } from '../goalsFile.ts';

const DriverSchema = z.object({
  dimension: z.string(),
  value: z.string(),
  kind: z.enum(['mix', 'rate', 'total']).openapi({
    description:
      'total: the group’s own change (sums); rate: the group’s own value moved; mix: the group’s share of the ' +
      'whole moved',
  }),
  contribution: z.number(),
  contribution_ci: Interval,
  share_of_change: z.number().nullable(),
  driver: z.boolean().openapi({ description: 'beyond noise (Bonferroni bound over every contribution tested)' }),
  strength: z.number().optional(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  share_before: z.number().nullable(),
  share_after: z.number().nullable(),
});

export const DriversSchema = z
  .object({
    metric: z.string(),
    label: z.string(),
    unit: z.enum(UNITS),
    direction: z.enum(['up', 'down']),
    as_of: z.string(),
    where: z.record(z.string(), z.string()),
    period: z.object({ from: z.string(), to: z.string() }),
    compare: z.object({ from: z.string(), to: z.string() }),
    before: z.number().nullable(),
    after: z.number().nullable(),
    change: z.number().nullable(),
    change_ci: Interval,
    drivers: z.array(DriverSchema),
    contributions: z.array(DriverSchema),
    unexplained: z.number().nullable(),
    method: z.string(),
    dimensions: z.array(z.string()),
    sentence: z.string(),
    lead: z.string().nullable().openapi({ description: 'The leading drivers in words (null: none)' }),
    warnings: z.array(z.string()),
  })
  .openapi('Drivers');

const DriversQuery = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  compare_from: IsoDate.optional(),
  compare_to: IsoDate.optional(),
  window: z.coerce
    .number()
    .int()
    .min(1)
    .max(12)
    .optional()
    .openapi({ description: 'Months per window when from/to are not given (default 1)' }),
  as_of: IsoDate.optional(),
  where: WhereParam,
});

const responses = {
  200: json(DriversSchema, 'The change, its drivers and every contribution'),
  400: json(ErrorBody, 'Bad request'),
  404: json(ErrorBody, 'Unknown metric or goal'),
};
const metricRoute = createRoute({
  method: 'get',
  path: '/metrics/{name}/drivers',
  summary: 'What drove a metric’s change between two windows of months, by each of its dimensions',
  request: { params: z.object({ name: z.string().max(63) }), query: DriversQuery },
  responses,
});
const goalRoute = createRoute({
  method: 'get',
  path: '/goals/{id}/drivers',
  summary: 'What drove the change of a goal’s metric (within the goal’s filters)',
  request: { params: z.object({ id: z.string().max(80) }), query: DriversQuery },
  responses,
});

type Query = z.infer<typeof DriversQuery>;
const requestOf = (q: Query, where: Record<string, string>) => ({
  from: q.from,
  to: q.to,
  compareFrom: q.compare_from,
  compareTo: q.compare_to,
  window: q.window,
  asOf: q.as_of,
  where,
});

export const driverRoutes = (deps: AppDeps) =>
  router()
    .openapi(metricRoute, async (c) => {
      const q = c.req.valid('query');
      const request = { ...requestOf(q, q.where), currency: settingsOf(deps).currency };
      const answer = await metricDrivers(deps, c.req.valid('param').name, request);
      return c.json(answer, 200);
    })
    .openapi(goalRoute, async (c) => {
      const { id } = c.req.valid('param');
      const goal = (await serverGoals(deps)).goals.find((g) => g.id === id);
      if (!goal) throw new BearingError('unknown-goal', `no goal with id "${id}"`);
      const q = c.req.valid('query');
      const request = { ...requestOf(q, { ...q.where, ...goal.where }), currency: settingsOf(deps).currency };
      const answer = await metricDrivers(deps, goal.metric, request);
      return c.json(answer, 200);
    });
