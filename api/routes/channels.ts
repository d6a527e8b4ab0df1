import { createRoute, z } from '@hono/zod-openapi';
import { compareChannels, OUTCOMES } from '../../metrics/channels/compare.ts';
import { budgetWhatIf } from '../../metrics/channels/whatIf.ts';
import type { AppDeps } from '../context.ts';
import { ErrorBody, Interval, IsoDate, json } from '../schemas.ts';
import { router } from '../router.ts';

const ChannelRow = z.object({
  channel: z.string(),
  exposed: z.number(),
  unexposed: z.number(),
  rate_exposed: z.number().nullable(),
  rate_unexposed: z.number().nullable(),
  naive_lift: z.number().nullable(),
  lift: z.number().nullable(),
  ci: Interval,
  compared_exposed: z.number(),
  strata: z.number(),
  strata_without_overlap: z.number(),
  dropped_exposed: z.number(),
  spend: z.number(),
  incremental: z.number().nullable(),
  incremental_ci: Interval,
  cost_per_incremental: z.number().nullable(),
  cost_ci: Interval,
  roi: z.number().nullable(),
  roi_ci: Interval,
  notes: z.array(z.string()),
  estimand: z.enum(['effect on the reached', 'effect on the compared reached']),
  overlap: z.object({
    propensity_range: Interval,
    ess: z.number().nullable(),
    dropped_share: z.number(),
  }),
  e_value: z.object({ point: z.number(), ci: z.number() }).nullable(),
  p_value: z.number().nullable(),
  q_value: z.number().nullable(),
  distinguishable: z.boolean(),
  method: z.enum(['doubly robust']).nullable(),
  cross_check: z.object({
    method: z.literal('exact stratification'),
    lift: z.number().nullable(),
    ci: Interval,
    dropped_share: z.number(),
  }),
  placebo: z.object({
    outcome: z.string(),
    lift: z.number().nullable(),
    ci: Interval,
    p_value: z.number().nullable(),
    flagged: z.boolean(),
  }),
  response_rate: z.object({ reached: z.number(), not_reached: z.number() }).nullable().optional(),
  unweighted: z.object({ lift: z.number().nullable(), ci: Interval }).optional(),
});
const Comparison = z
  .object({
    outcome: z.enum(OUTCOMES),
    unit: z.enum(['share', 'points', 'currency']),
    window_days: z.number(),
    horizon_days: z.number(),
    as_of: z.string(),
    cohort: z.object({
      from: z.string().nullable(),
      to: z.string().nullable(),
      customers: z.number(),
      spend_months: z.object({ from: z.string(), to: z.string() }).nullable(),
    }),
    method: z.string(),
    covariates: z.array(z.string()),
    channels: z.array(ChannelRow),
    warnings: z.array(z.string()),
  })
  .openapi('ChannelComparison');
const Query = z.object({
  outcome: z.enum(OUTCOMES).optional(),
  window: z.coerce.number().int().min(1).max(365).optional(),
  horizon: z.coerce.number().int().min(1).max(1095).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  as_of: IsoDate.optional(),
});
const WhatIfBody = z.strictObject({
  outcome: z.enum(['retention', 'revenue']).optional(),
  window: z.number().int().min(1).max(365).optional(),
  horizon: z.number().int().min(1).max(1095).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  elasticity: z.number().gt(0).max(1).optional(),
  moves: z.array(z.strictObject({ from: z.string(), to: z.string(), amount: z.number().positive() })).max(50),
});
const WhatIfAnswer = z
  .object({
    model: z.literal(true),
    label: z.string(),
    elasticity: z.number(),
    assumptions: z.array(z.string()),
    channels: z.array(
      z.object({
        channel: z.string(),
        spend_now: z.number(),
        spend_after: z.number(),
        incremental_now: z.number().nullable(),
        incremental_after: z.number().nullable(),
        change: z.number().nullable(),
        change_ci: Interval,
        measured: z.boolean(),
      }),
    ),
    total_change: z.number(),
    total_change_ci: z.tuple([z.number(), z.number()]),
  })
  .openapi('WhatIf');

const compare = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every channel compared on one outcome, with spend and cost per incremental customer',
  request: { query: Query },
  responses: { 200: json(Comparison, 'Comparison'), 400: json(ErrorBody, 'Bad request') },
});
const whatIf = createRoute({
  method: 'post',
  path: '/what-if',
  summary: 'Model moving budget between channels (a model, not a measurement)',
  request: { body: { content: { 'application/json': { schema: WhatIfBody } } } },
  responses: {
    200: json(WhatIfAnswer, 'Modelled change in retained customers (or revenue)'),
    400: json(ErrorBody, 'Bad request'),
    422: json(ErrorBody, 'No channel has a measured lift: nothing can be modelled'),
  },
});

export const channelRoutes = (deps: AppDeps) =>
  router()
    .openapi(compare, async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await compareChannels(deps.db, {
          outcome: q.outcome,
          window: q.window,
          horizon: q.horizon,
          from: q.from,
          to: q.to,
          asOf: q.as_of,
        }),
        200,
      );
    })
    .openapi(whatIf, async (c) => {
      const b = c.req.valid('json');
      const comparison = await compareChannels(deps.db, {
        outcome: b.outcome ?? 'retention',
        window: b.window,
        horizon: b.horizon,
        from: b.from,
        to: b.to,
      });
      return c.json(budgetWhatIf(comparison, b.moves, b.elasticity), 200);
    });
