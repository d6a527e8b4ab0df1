import { createRoute, z } from '@hono/zod-openapi';
import { compareChannels, HORIZON_DAYS, OUTCOMES, WINDOW_DAYS } from '../../metrics/channels/compare.ts';
import { budgetWhatIf } from '../../metrics/channels/whatIf.ts';
import { defaultMixKpi, gatherEvidence } from '../../metrics/evidence/index.ts';
import { controlList, fittedCurves } from '../../metrics/mix/index.ts';
import type { AppDeps } from '../context.ts';
import { settingsOf } from '../settings.ts';
import { BearingError } from '../../data/errors.ts';
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
    method: z.literal('inverse-probability weighting'),
    lift: z.number().nullable(),
    ci: Interval,
    dropped_share: z.number(),
  }),
  stratified: z.object({
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
  bounds: z
    .object({
      low: z.number(),
      high: z.number(),
      ci: z.tuple([z.number(), z.number()]),
      trimmed_share: z.number(),
      trimmed: z.string(),
    })
    .nullable()
    .optional()
    .openapi({
      description:
        'Survey outcomes whose response rates differ: trimming bounds on the lift (Lee 2009) and their 95% ' +
        'interval; distinguishable follows them',
    }),
});
/** A fact the comparison adjusts for, and how it entered the models. */
const Covariate = z.object({
  name: z.string(),
  use: z.enum(['numeric', 'categorical']),
  cuts: z.array(z.number()).nullable(),
  levels: z.number().nullable(),
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
    covariates: z.array(Covariate),
    covariate_use: z.array(Covariate),
    channels: z.array(ChannelRow),
    warnings: z.array(z.string()),
  })
  .openapi('ChannelComparison');
const Query = z.object({
  outcome: z.enum(OUTCOMES).optional(),
  window: z.coerce.number().int().min(WINDOW_DAYS.min).max(WINDOW_DAYS.max).optional(),
  horizon: z.coerce.number().int().min(HORIZON_DAYS.min).max(HORIZON_DAYS.max).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  as_of: IsoDate.optional(),
});
const WhatIfBody = z.strictObject({
  outcome: z.enum(['retention', 'revenue']).optional(),
  window: z.number().int().min(WINDOW_DAYS.min).max(WINDOW_DAYS.max).optional(),
  horizon: z.number().int().min(HORIZON_DAYS.min).max(HORIZON_DAYS.max).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  elasticity: z.number().gt(0).max(1).optional(),
  /** The mix model whose fitted curves scale channels it models (default: the first metric tagged mix). */
  mix_kpi: z.string().min(1).max(200).optional(),
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
        response: z.enum(['fitted curve', 'elasticity']),
      }),
    ),
    total_change: z.number(),
    total_change_ci: z.tuple([z.number(), z.number()]),
  })
  .openapi('WhatIf');

const Estimate = z.object({
  source: z.enum(['customer-level', 'mix', 'experiment']),
  id: z.string().nullable(),
  metric: z.string(),
  per_spend: z.number().nullable(),
  per_spend_ci: Interval,
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  detail: z.string(),
});
const Evidence = z
  .object({
    kpi: z.string().nullable(),
    customer_metric: z.string(),
    unit: z.string(),
    channels: z.array(
      z.object({
        channel: z.string(),
        estimates: z.array(Estimate),
        checks: z.array(z.object({ between: z.tuple([z.number(), z.number()]), agrees: z.boolean(), how: z.string() })),
        verdict: z.enum(['agree', 'disagree', 'one method', 'not comparable']),
        words: z.string(),
      }),
    ),
    notes: z.array(z.string()),
  })
  .openapi('ChannelEvidence');
const evidence = createRoute({
  method: 'get',
  path: '/evidence',
  summary: 'What each method says per channel (customer-level, mix, experiments) and whether they agree',
  request: {
    query: z.object({ kpi: z.string().min(1).max(200).optional(), controls: z.string().max(2000).optional() }),
  },
  responses: { 200: json(Evidence, 'Every channel, every method'), 400: json(ErrorBody, 'Bad request') },
});

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
      return c.json(
        budgetWhatIf(
          comparison,
          b.moves,
          b.elasticity,
          await curvesFor(
            deps,
            b.mix_kpi,
            comparison.channels.map((r) => r.channel),
          ),
        ),
        200,
      );
    })
    .openapi(evidence, async (c) => {
      const q = c.req.valid('query');
      const controls = controlList(q.controls);
      const priors = settingsOf(deps).mix?.priors;
      return c.json(await gatherEvidence(deps.db, deps.catalog, { kpi: q.kpi, controls, priors }), 200);
    });

/**
 * The mix model's fitted curves when a channel of the comparison is also bought in aggregate
 * (`media`) and a model can be fitted; otherwise none, and the what-if scales every channel by the
 * elasticity and says so. A KPI asked for by name must fit.
 */
async function curvesFor(deps: AppDeps, asked: string | undefined, channels: string[]) {
  const kpi = asked ?? defaultMixKpi(deps.catalog);
  if (!kpi) return undefined;
  const bought = await deps.db.all<{ channel: string }>('SELECT DISTINCT channel FROM media');
  if (!bought.some((b) => channels.includes(b.channel))) return undefined;
  try {
    return await fittedCurves(deps.db, deps.catalog, { kpi, priors: settingsOf(deps).mix?.priors });
  } catch (error) {
    if (asked || !(error instanceof BearingError)) throw error;
    return undefined;
  }
}
