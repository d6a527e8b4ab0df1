import { createRoute, z } from '@hono/zod-openapi';
import { controlList, optimizeMix, runMix } from '../../metrics/mix/index.ts';
import { UNITS } from '../../metrics/definition.ts';
import { requireRole } from '../auth/middleware.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { settingsOf } from '../settings.ts';
import { ErrorBody, Interval, IsoDate, json } from '../schemas.ts';

const MixChannel = z.object({
  channel: z.string(),
  spend: z.number(),
  contribution: z.number().nullable(),
  contribution_ci: Interval,
  roi: z.number().nullable(),
  roi_ci: Interval,
  mroi: z.number().nullable(),
  mroi_ci: Interval,
  share_of_spend: z.number(),
  share_of_effect: z.number().nullable(),
  adstock: z.object({ theta: z.number(), delay: z.number() }).nullable(),
  saturation: z.object({ half_saturation_spend: z.number(), gamma: z.number(), alpha: z.number() }).nullable(),
  curve: z.array(z.object({ spend: z.number(), response: z.number(), low: z.number(), high: z.number() })),
  notes: z.array(z.string()),
  modelled_on: z.enum(['spend', 'impressions']),
});
const MixAnswer = z
  .object({
    kpi: z.string(),
    unit: z.enum(UNITS),
    grain: z.enum(['week', 'day']),
    periods: z.object({ from: z.string(), to: z.string(), count: z.number() }),
    controls: z.array(z.string()),
    priors: z.record(z.string(), z.object({ roi: z.number(), sd: z.number() })),
    channels: z.array(MixChannel),
    baseline: z.object({
      total: z.number(),
      trend: z.number(),
      seasonality: z.number(),
      controls: z.record(z.string(), z.number()),
      per_unit: z.record(z.string(), z.object({ value: z.number(), ci: z.tuple([z.number(), z.number()]) })),
    }),
    fit: z.object({
      weeks: z.number(),
      r2: z.number(),
      mape_holdout: z.number().nullable(),
      nrmse_holdout: z.number().nullable(),
      holdout_weeks: z.number(),
      residual_autocorrelation: z.number(),
      draws: z.number(),
      seed: z.number(),
      trend: z.enum(['linear', 'curved', 'bent', 'changepoints', 'weekly']),
      harmonics: z.number(),
      carry_over: z.enum(['geometric', 'delayed']),
      carry_over_cv: z.object({ geometric: z.number().nullable(), delayed: z.number().nullable() }),
      cross_validation: z.array(
        z.object({
          trend: z.enum(['linear', 'curved', 'bent', 'changepoints', 'weekly']),
          harmonics: z.number(),
          rmse: z.number().nullable(),
        }),
      ),
    }),
    control_suggestions: z.array(z.object({ name: z.string(), rmse_without: z.number(), rmse_with: z.number() })),
    experiments: z.array(
      z.object({
        experiment_id: z.string(),
        channel: z.string(),
        start: z.string(),
        end: z.string(),
        lift: z.number(),
        lift_se: z.number(),
        model_lift: z.number().nullable(),
        model_lift_ci: Interval,
        agrees: z.boolean().nullable(),
      }),
    ),
    series: z.array(
      z.object({
        period: z.string(),
        actual: z.number(),
        fitted: z.number(),
        baseline: z.number(),
        holdout: z.boolean(),
        channels: z.record(z.string(), z.number()),
      }),
    ),
    warnings: z.array(z.string()),
    geo: z
      .object({
        geos: z.number(),
        size_from: z.enum(['population', 'kpi']),
        p_values: z.record(z.string(), z.number()),
        by_geo: z.array(
          z.object({
            geo: z.string(),
            size: z.number(),
            channels: z.array(
              z.object({ channel: z.string(), spend: z.number(), roi: z.number().nullable(), roi_ci: Interval }),
            ),
          }),
        ),
      })
      .nullable()
      .optional(),
  })
  .openapi('MixModel');
const Query = z.object({
  kpi: z.string().min(1).max(200),
  grain: z.enum(['week', 'day']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  controls: z.string().max(2000).optional(),
  seed: z.coerce.number().int().min(0).optional(),
  draws: z.coerce.number().int().min(20).max(1000).optional(),
  national: z.enum(['true', 'false']).optional(),
});

const mix = createRoute({
  method: 'get',
  path: '/',
  summary: 'Media-mix model of a KPI: contribution, ROI and marginal ROI per aggregate channel, with intervals',
  request: { query: Query },
  responses: {
    200: json(MixAnswer, 'The fitted model'),
    400: json(ErrorBody, 'Bad request'),
    401: json(ErrorBody, 'seed or draws without an analyst token'),
    404: json(ErrorBody, 'No such metric'),
    422: json(ErrorBody, 'Not enough data, no channel to model, or an unknown control'),
  },
});

const OptimizeBody = z.strictObject({
  kpi: z.string().min(1).max(200),
  grain: z.enum(['week', 'day']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  controls: z.array(z.string().max(200)).max(50).optional(),
  seed: z.number().int().min(0).optional(),
  draws: z.number().int().min(20).max(1000).optional(),
  budget: z.number().positive().optional(),
  bounds: z
    .record(z.string(), z.strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() }))
    .optional(),
  fixed: z.array(z.string()).max(100).optional(),
  target: z.number().optional(),
  national: z.boolean().optional(),
});
const Plan = z
  .object({
    kpi: z.string(),
    unit: z.enum(UNITS),
    budget: z.number(),
    allocation: z.array(
      z.object({
        channel: z.string(),
        current: z.number(),
        proposed: z.number(),
        min: z.number(),
        max: z.number().nullable(),
      }),
    ),
    kpi_current: z.number(),
    kpi_current_interval: z.tuple([z.number(), z.number()]),
    kpi_proposed: z.number(),
    kpi_proposed_interval: z.tuple([z.number(), z.number()]),
    gain: z.object({ mean: z.number(), interval: z.tuple([z.number(), z.number()]), share_positive: z.number() }),
    kept_today: z.boolean(),
    baseline: z.number(),
    target_reached: z.boolean().nullable(),
    assumptions: z.array(z.string()),
  })
  .openapi('MixPlan');
const optimize = createRoute({
  method: 'post',
  path: '/optimize',
  summary: 'The weekly budget allocation that maximises the expected KPI (or reaches a target for least spend)',
  request: { body: { content: { 'application/json': { schema: OptimizeBody } } } },
  responses: {
    200: json(Plan, 'The plan, with the expected KPI before and after (baseline included)'),
    400: json(ErrorBody, 'Bad request, an unknown channel, or minimums above the budget'),
    404: json(ErrorBody, 'No such metric'),
    422: json(ErrorBody, 'Not enough data or nothing to model'),
  },
});

const observationNames = createRoute({
  method: 'get',
  path: '/observations',
  summary: 'The named observations a mix model may use as controls (or read as its KPI)',
  responses: {
    200: json(
      z.object({
        observations: z.array(z.object({ name: z.string(), rows: z.number(), from: z.string(), to: z.string() })),
      }),
      'Names with their row count and dates',
    ),
  },
});

export const mixRoutes = (deps: AppDeps) =>
  router()
    .openapi(mix, async (c) => {
      const q = c.req.valid('query');
      if (q.seed !== undefined || q.draws !== undefined)
        requireRole(c, 'analyst', 'choosing seed or draws', '; the defaults need none');
      const priors = settingsOf(deps).mix?.priors;
      const request = { ...q, controls: controlList(q.controls), priors, national: q.national === 'true' };
      return c.json(await runMix(deps.db, deps.catalog, request), 200);
    })
    .openapi(optimize, async (c) => {
      const body = c.req.valid('json');
      if (body.seed !== undefined || body.draws !== undefined)
        requireRole(c, 'analyst', 'choosing seed or draws', '; the defaults need none');
      const priors = settingsOf(deps).mix?.priors;
      return c.json(await optimizeMix(deps.db, deps.catalog, { ...body, priors }), 200);
    })
    .openapi(observationNames, async (c) => {
      const observations = await deps.db.all<{ name: string; rows: number; from: string; to: string }>(
        `SELECT name, CAST(count(*) AS INTEGER) AS rows, strftime(min(date), '%Y-%m-%d') AS "from",
           strftime(max(date), '%Y-%m-%d') AS "to" FROM observations GROUP BY name ORDER BY name`,
      );
      return c.json({ observations }, 200);
    });
