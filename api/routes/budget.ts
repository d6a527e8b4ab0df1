import { createRoute, z } from '@hono/zod-openapi';
import { planBudgetFor, runBudget } from '../../metrics/budget/index.ts';
import { UNITS } from '../../metrics/definition.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { settingsOf } from '../settings.ts';
import { ErrorBody, Interval, IsoDate, json } from '../schemas.ts';

const Pair = z.tuple([z.number(), z.number()]);
const Method = z.enum(['lift test', 'customer-level comparison', 'media-mix model']);
const BudgetChannel = z.object({
  channel: z.string(),
  kind: z.enum(['customer', 'aggregate']),
  method: z.string().nullable(),
  spend: z.number(),
  kpi_per_unit: z.number().nullable(),
  kpi_per_unit_ci: Interval,
  contribution: z.number().nullable(),
  contribution_ci: Interval,
  kpi_per_extra_unit: z.number().nullable(),
  kpi_per_extra_unit_ci: Interval,
  share_of_spend: z.number(),
  share_of_effect: z.number().nullable(),
  evidence: z.array(z.object({ method: Method, value: z.number(), ci: Pair, counted_in: Method.optional() })),
  notes: z.array(z.string()),
  sentence: z.string(),
});
const BudgetAnswer = z
  .object({
    kpi: z.string(),
    label: z.string(),
    unit: z.enum(UNITS),
    currency: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    channels: z.array(BudgetChannel),
    kpi_total: z.number(),
    baseline: z.number(),
    method: z.string(),
    warnings: z.array(z.string()),
  })
  .openapi('Budget');

const Query = z
  .object({ kpi: z.string().min(1).max(200), from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must be on or before to', path: ['to'] });

const budget = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every channel on one KPI: return per unit of spend with its interval, spend and contribution over a period',
  request: { query: Query },
  responses: {
    200: json(BudgetAnswer, 'One row per channel, with the evidence behind it'),
    400: json(ErrorBody, 'Bad request'),
    404: json(ErrorBody, 'No such metric'),
    422: json(ErrorBody, 'A KPI that does not add up over time, or not enough data'),
  },
});

const Limit = z.strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() });
const PlanBody = z.strictObject({
  kpi: z.string().min(1).max(200),
  period: z.string().min(4).max(40),
  total: z.number().positive().optional(),
  target: z.number().optional(),
  moves: z
    .array(z.strictObject({ from: z.string().min(1), to: z.string().min(1), share: z.number().gt(0).max(1) }))
    .max(50)
    .optional(),
  bounds: z.record(z.string(), Limit).optional(),
  fixed: z.array(z.string()).max(100).optional(),
});
const PlanChannel = z.object({
  channel: z.string(),
  kind: z.enum(['customer', 'aggregate']),
  current: z.number(),
  proposed: z.number(),
  min: z.number(),
  max: z.number().nullable(),
  kpi_change: z.number(),
  kpi_change_ci: Pair,
});
const Plan = z
  .object({
    kpi: z.string(),
    label: z.string(),
    unit: z.enum(UNITS),
    currency: z.string(),
    mode: z.enum(['scenario', 'allocation', 'target']),
    period: z.object({ from: z.string(), to: z.string(), days: z.number(), label: z.string() }),
    total_current: z.number(),
    total_proposed: z.number(),
    channels: z.array(PlanChannel),
    kpi_current: z.number(),
    kpi_proposed: z.number(),
    kpi_proposed_ci: Pair,
    uplift: z.number(),
    uplift_ci: Pair,
    uplift_pct: z.number().nullable(),
    uplift_pct_ci: Pair.nullable(),
    baseline: z.number(),
    target_reached: z.boolean().nullable(),
    warnings: z.array(z.string()),
    assumptions: z.array(z.string()),
    sentences: z.array(z.string()),
  })
  .openapi('BudgetPlan');

const plan = createRoute({
  method: 'post',
  path: '/plan',
  summary: 'A budget over a planning period: a scenario (moves between channels) or an allocation, with intervals',
  request: { body: { content: { 'application/json': { schema: PlanBody } } } },
  responses: {
    200: json(Plan, 'Each channel before and after, and the KPI with the plan (baseline included)'),
    400: json(ErrorBody, 'Bad request, an unknown channel, a bad period, or limits that cannot be met'),
    404: json(ErrorBody, 'No such metric'),
    422: json(ErrorBody, 'A KPI that does not add up over time, a move through a channel with no measured return'),
  },
});

export const budgetRoutes = (deps: AppDeps) =>
  router()
    .openapi(budget, async (c) => {
      const q = c.req.valid('query');
      const { currency, mix } = settingsOf(deps);
      return c.json(await runBudget(deps.db, deps.catalog, { ...q, currency, priors: mix?.priors }), 200);
    })
    .openapi(plan, async (c) => {
      const body = c.req.valid('json');
      const { currency, mix } = settingsOf(deps);
      return c.json(await planBudgetFor(deps.db, deps.catalog, { ...body, currency, priors: mix?.priors }), 200);
    });
