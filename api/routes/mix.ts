import { createRoute, z } from '@hono/zod-openapi';
import { runMix } from '../../metrics/mix/index.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { ErrorBody, IsoDate } from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const Interval = z.tuple([z.number(), z.number()]).nullable();

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
  adstock: z.object({ theta: z.number() }).nullable(),
  saturation: z.object({ half_saturation_spend: z.number(), gamma: z.number(), alpha: z.number() }).nullable(),
  curve: z.array(z.object({ spend: z.number(), response: z.number(), low: z.number(), high: z.number() })),
  notes: z.array(z.string()),
});
const MixAnswer = z
  .object({
    kpi: z.string(),
    grain: z.enum(['week', 'day']),
    periods: z.object({ from: z.string(), to: z.string(), count: z.number() }),
    controls: z.array(z.string()),
    channels: z.array(MixChannel),
    baseline: z.object({
      total: z.number(),
      trend: z.number(),
      seasonality: z.number(),
      controls: z.record(z.string(), z.number()),
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
    }),
    experiments: z.array(
      z.object({
        experiment_id: z.string(),
        channel: z.string(),
        start: z.string(),
        end: z.string(),
        lift: z.number(),
        lift_se: z.number(),
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
});

const mix = createRoute({
  method: 'get',
  path: '/',
  summary: 'Media-mix model of a KPI: contribution, ROI and marginal ROI per aggregate channel, with intervals',
  request: { query: Query },
  responses: {
    200: json(MixAnswer, 'The fitted model'),
    400: json(ErrorBody, 'Bad request'),
    404: json(ErrorBody, 'No such metric'),
    422: json(ErrorBody, 'Not enough data, no channel to model, or an unknown control'),
  },
});

export const mixRoutes = (deps: AppDeps) =>
  router().openapi(mix, async (c) => {
    const q = c.req.valid('query');
    const controls = q.controls
      ? q.controls
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    return c.json(await runMix(deps.db, deps.catalog, { ...q, controls }), 200);
  });
