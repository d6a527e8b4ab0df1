// A goal's route back: its heading, the channel comparison on the outcome its metric measures, the
// customers behind the metric, then ./route.ts. Says why when no lever is measured for the metric.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { quoteIdent } from '../../data/db.ts';
import type { Catalog } from '../catalog.ts';
import { compareChannels } from '../channels/compare.ts';
import type { Outcome } from '../channels/cohortSql.ts';
import { type Definition, isDerived } from '../definition.ts';
import type { Goal } from '../goals.ts';
import { goalHeading } from '../heading/heading.ts';
import { monthIndex } from '../heading/months.ts';
import {
  ELASTICITY,
  type Lever,
  type LeverInput,
  ON_COURSE,
  type Plan,
  planRoute,
  type RouteInput,
  WEEKS_PER_MONTH,
} from './route.ts';
import { runMix } from '../mix/index.ts';

export interface RouteAnswer {
  goal: string;
  metric: string;
  status: string;
  probability_now: number | null;
  target_probability: number;
  /** Where the levers come from: a channel comparison's outcome, or 'mix' (the media-mix model of the KPI). */
  outcome: Outcome | 'mix' | null;
  levers: Lever[];
  plans: Plan[];
  max_extra_per_month: number;
  months_to_due: number;
  reason: string;
  assumptions: string[];
}

/**
 * The channel comparison's outcome a metric measures, and whether it is a cohort metric (customers
 * who signed up in the month) or one over every active customer. Null: no comparison measures it.
 */
export function outcomeOf(d: Definition): { outcome: Outcome | 'mix'; kind: 'cohort' | 'stock' | 'kpi' } | null {
  if (isDerived(d)) return null;
  // A KPI of observations summed over the month: the media-mix model's channels move it.
  if (d.table === 'observations' && /^\s*sum\s*\(/i.test(d.measure) && d.direction === 'up')
    return { outcome: 'mix', kind: 'kpi' };
  const filter = (d.filter ?? '').toLowerCase();
  if (d.table === 'surveys' && /'nps'/.test(filter)) return { outcome: 'nps', kind: 'stock' };
  if (d.table === 'surveys' && /'csat'/.test(filter)) return { outcome: 'csat', kind: 'stock' };
  const retention = d.table === 'customers' && d.time === 'signup_date' && !d.active_until;
  if (retention && /churn_date/.test(d.measure) && d.direction === 'up')
    return { outcome: 'retention', kind: 'cohort' };
  return null;
}

const NO_LEVER = (label: string) =>
  `no channel's effect on ${label} is measured: the channel comparison measures 90-day retention of new ` +
  'customers, NPS and CSAT answers, and revenue per customer, and the media-mix model a KPI summed from ' +
  'observations; tie the metric to one of them (a survey kind, a cohort retention on customers.signup_date, a ' +
  'KPI of observations), or run a lift test on a channel and record it in experiments';

/** Active customers at the as-of date, within the goal's customer filters. */
async function activeBase(db: Database, asOf: string, where: Record<string, string>): Promise<number> {
  const keys = Object.keys(where);
  const conditions = keys.map((k, i) => `CAST(${quoteIdent(k)} AS VARCHAR) = $w${i}`);
  const params: Record<string, string> = { as_of: asOf };
  keys.forEach((k, i) => {
    params[`w${i}`] = where[k]!;
  });
  const row = await db.one<{ n: number }>(
    `SELECT count(*) AS n FROM customers WHERE signup_date <= CAST($as_of AS DATE)
       AND (churn_date IS NULL OR churn_date > CAST($as_of AS DATE))${conditions.map((c) => ` AND ${c}`).join('')}`,
    params,
  );
  return Number(row?.n ?? 0);
}

const monthsIn = (from: string, to: string) => monthIndex(to) - monthIndex(from) + 1;

export async function goalRoute(
  db: Database,
  catalog: Catalog,
  goal: Goal,
  options: { maxExtraPerMonth?: number } = {},
): Promise<RouteAnswer> {
  const heading = await goalHeading(db, catalog, goal);
  const metric = catalog.get(goal.metric);
  const mapped = metric ? outcomeOf(metric.definition) : null;
  const base = {
    goal: goal.id,
    metric: goal.metric,
    status: heading.status,
    probability_now: heading.arrival_probability,
    target_probability: ON_COURSE,
    outcome: mapped?.outcome ?? null,
    levers: [] as Lever[],
    plans: [] as Plan[],
    max_extra_per_month: 0,
    months_to_due: Math.max(1, monthIndex(goal.due) - monthIndex(heading.as_of)),
  };
  if (heading.arrival_probability === null || !heading.projection)
    return { ...base, reason: `no route without a forecast: ${heading.status_reason}`, assumptions: [] };
  if (!mapped) return { ...base, reason: NO_LEVER(heading.label), assumptions: [] };
  const found =
    mapped.outcome === 'mix' ? await mixLevers(db, catalog, goal.metric) : await customerLevers(db, mapped.outcome);
  if (found.unavailable) return { ...base, reason: `no route: ${found.unavailable}`, assumptions: [] };
  const levers = found.levers;
  const spendNow = levers.reduce((s, l) => s + l.spend_per_month, 0);
  const maxExtra = options.maxExtraPerMonth ?? Math.round(spendNow);
  const position = heading.position;
  // A cohort's size is its month's rows; the active base is counted only for a metric over it (a mix
  // lever moves the KPI along its curve and needs neither).
  const customers =
    mapped.kind === 'cohort'
      ? (position?.n ?? 0)
      : mapped.kind === 'stock'
        ? await activeBase(db, heading.as_of, goal.where ?? {})
        : 0;
  const input: RouteInput = {
    probability_now: heading.arrival_probability,
    value_at_due: heading.projection.value,
    interval_at_due: heading.projection.interval,
    target: goal.target,
    direction: heading.direction,
    months: base.months_to_due,
    kind: mapped.kind,
    base: customers,
    levers,
    max_extra_per_month: maxExtra,
  };
  const { levers: judged, plans } = planRoute(input);
  return {
    ...base,
    levers: judged,
    plans: heading.status === 'on_course' || heading.status === 'arrived' ? [] : plans,
    max_extra_per_month: maxExtra,
    reason: reasonOf(heading.status, judged, plans, heading.label),
    assumptions: found.assumptions(goal),
  };
}

/** The levers found for a metric, what a plan on them assumes, or why there are none to find. */
interface Levers {
  levers: LeverInput[];
  assumptions: (goal: Goal) => string[];
  unavailable?: string;
}

/** Channels measured on a customer outcome: their lift, spend and reach a month. */
async function customerLevers(db: Database, outcome: Outcome): Promise<Levers> {
  const comparison = await compareChannels(db, { outcome });
  const months = comparison.cohort.spend_months
    ? monthsIn(comparison.cohort.spend_months.from, comparison.cohort.spend_months.to)
    : 0;
  const levers: LeverInput[] = comparison.channels
    .filter((c) => c.lift !== null && c.ci !== null && c.spend > 0 && months > 0)
    .map((c) => ({
      channel: c.channel,
      lift: c.lift!,
      lift_ci: c.ci!,
      spend_per_month: c.spend / months,
      reached_per_month: c.compared_exposed / months,
    }));
  const kind = outcome === 'retention' ? ('cohort' as const) : ('stock' as const);
  return {
    levers,
    assumptions: (goal: Goal) =>
      assumptionsOf({ outcome, kind }, comparison.window_days, comparison.horizon_days, goal),
  };
}

/** Channels bought in aggregate, from the media-mix model of the goal's KPI: marginal ROI and response curve. */
async function mixLevers(db: Database, catalog: Catalog, kpi: string): Promise<Levers> {
  let mix: Awaited<ReturnType<typeof runMix>>;
  try {
    mix = await runMix(db, catalog, { kpi });
  } catch (error) {
    // No media to fit (a KPI with no channel bought in aggregate) is an answer, not a failure: the
    // route says why it has no lever, as it does when no channel is measured at all.
    if (error instanceof BearingError && error.code === 'nothing-to-model')
      return { levers: [], assumptions: () => [], unavailable: `the media-mix model has no lever: ${error.message}` };
    throw error;
  }
  const levers: LeverInput[] = mix.channels
    .filter((c) => c.mroi !== null && c.mroi_ci !== null && c.curve.length > 1)
    .map((c) => ({
      channel: c.channel,
      lift: c.mroi!,
      lift_ci: c.mroi_ci!,
      // The curve runs to twice the last year's weekly spend: its middle is today's.
      spend_per_month: (c.curve.at(-1)!.spend / 2) * WEEKS_PER_MONTH,
      reached_per_month: 0,
      curve: c.curve,
    }));
  return {
    levers,
    assumptions: () => [
      'A model, not a measurement. Levers are the media-mix model’s channels on this KPI: extra spend moves the ' +
        'month’s KPI along each channel’s fitted response curve (carry-over and saturation), with its interval.',
      'The curves reach twice the last year’s weekly spend: a plan goes no further on one channel.',
      'The chance after a plan is the goal’s own forecast shifted by the plan’s move; its range comes from the ' +
        'curves’ intervals.',
    ],
  };
}

function reasonOf(status: string, levers: Lever[], plans: Plan[], label: string): string {
  if (status === 'on_course' || status === 'arrived') return `${label} is ${status.replace('_', ' ')}: no route needed`;
  if (!levers.length) return `no channel with spend has a measured lift on ${label}'s outcome`;
  if (!levers.some((l) => l.helps))
    return `no channel's measured lift points the goal's way with its whole interval: none is a lever yet`;
  if (!plans.some((p) => p.reaches_on_course))
    return 'no plan within the spend limit reaches on course; the best each can reach is listed';
  return 'the cheapest plans that reach on course, by extra spend a month';
}

function assumptionsOf(
  mapped: { outcome: Outcome; kind: 'cohort' | 'stock' },
  window: number,
  horizon: number,
  goal: Goal,
): string[] {
  const who =
    mapped.kind === 'cohort'
      ? 'the metric follows each month’s new customers, so each month’s extra reach moves that month’s cohort'
      : 'the metric averages over every active customer, so the customers the extra money reaches by the due ' +
        'month move it by their share of the active base (churn among them is not counted: it reads a little high)';
  return [
    `A model, not a measurement. Lifts are the channel comparison’s on ${mapped.outcome} (${window}-day window, ` +
      `${horizon}-day horizon), the effect on the customers each channel reached.`,
    `Reach follows spend with diminishing returns: (1 + extra / today’s spend)^${ELASTICITY} − 1 more customers ` +
      'reached, who respond like those reached today.',
    `${who}.`,
    ...(goal.where && Object.keys(goal.where).length
      ? ['Lifts are measured on every customer, not only within the goal’s filter.']
      : []),
    'The chance after a plan is the goal’s own forecast shifted by the plan’s move; its range comes from the ' +
      'lifts’ intervals.',
  ];
}
