// Every channel side by side by one method: landmark cohorts, exposure in the first `window`
// days, outcomes counted from the landmark over `horizon` days, the effect on the reached
// adjusted for every pre-exposure fact the data hold (doubly robust, metrics/channels/aipw.ts),
// with exact stratification beside it, a placebo, and what each incremental customer costs.
import type { ContractTable } from '../../data/contract.ts';
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { readExtras, readKeptTypes } from '../../data/schema.ts';
import { cacheKey } from '../cacheKeys.ts';
import { resolveTablesAsOf } from '../series.ts';
import {
  answersSql,
  attributeUseSql,
  binsFor,
  COHORT_SQL,
  cellsSql,
  FOLDS,
  type KeptTypes,
  type Outcome,
} from './cohortSql.ts';
import { offload } from '../offload/pool.ts';
import type { Cells } from './patterns.ts';
import type { ChannelRow } from './row.ts';
import type { Answers } from './analyse.ts';

export { OUTCOMES, type Outcome } from './cohortSql.ts';
export type { ChannelRow } from './row.ts';

export interface ChannelOptions {
  outcome?: Outcome;
  window?: number;
  horizon?: number;
  from?: string;
  to?: string;
  asOf?: string;
}

export interface ChannelComparison {
  outcome: Outcome;
  unit: 'share' | 'points' | 'currency';
  window_days: number;
  horizon_days: number;
  as_of: string;
  cohort: {
    from: string | null;
    to: string | null;
    customers: number;
    spend_months: { from: string; to: string } | null;
  };
  method: string;
  /**
   * The pre-exposure facts the comparison adjusts for, each with how it entered the models: a kept
   * column whose values are numbers is `numeric` (cut at `cuts`, the quantiles); every other fact is
   * `categorical`, with the `levels` it has in these data.
   */
  covariates: CovariateUse[];
  /** The kept customer columns alone, as `covariates` describes them. */
  covariate_use: CovariateUse[];
  channels: ChannelRow[];
  warnings: string[];
}

export function compareChannels(db: Database, options: ChannelOptions = {}): Promise<ChannelComparison> {
  // One key however the request was spelled (the page sends the defaults, the evidence and the
  // what-if may leave them out): the same comparison is computed once.
  const key = cacheKey.channels({
    outcome: options.outcome ?? 'retention',
    window: options.window ?? 30,
    horizon: options.horizon ?? 90,
    from: options.from ?? null,
    to: options.to ?? null,
    asOf: options.asOf ?? null,
  });
  return db.cached(key, () => computeComparison(db, options), { stored: true });
}

/**
 * The tables whose completeness decides whether a horizon is complete: the outcome's own (churn
 * dates for retention). Touches happen in the window, before the horizon; customers sign up before
 * it: their latest dates say nothing of the horizon (everyone signing up on one day made the default
 * as-of that day, and nobody was compared).
 */
const OUTCOME_TABLES: Record<Outcome, ContractTable[]> = {
  retention: ['customers'],
  revenue: ['orders'],
  nps: ['surveys'],
  csat: ['surveys'],
};

/** Days at the start of the window whose activity is the placebo outcome. */
export const placeboDays = (window: number) => Math.max(1, Math.floor(window / 4));

/** The exposure window and the outcome horizon a comparison accepts (days): the API and the CLI check the same. */
export const WINDOW_DAYS = { min: 1, max: 365 } as const;
export const HORIZON_DAYS = { min: 1, max: 1095 } as const;

function checkDays(window: number, horizon: number): void {
  if (!Number.isInteger(window) || window < WINDOW_DAYS.min || window > WINDOW_DAYS.max)
    throw new BearingError(
      'bad-window',
      `window must be a whole number of days from ${WINDOW_DAYS.min} to ${WINDOW_DAYS.max} (got ${window})`,
    );
  if (!Number.isInteger(horizon) || horizon < HORIZON_DAYS.min || horizon > HORIZON_DAYS.max)
    throw new BearingError(
      'bad-horizon',
      `horizon must be a whole number of days from ${HORIZON_DAYS.min} to ${HORIZON_DAYS.max} (got ${horizon})`,
    );
}

async function computeComparison(db: Database, options: ChannelOptions): Promise<ChannelComparison> {
  const outcome = options.outcome ?? 'retention';
  const window = options.window ?? 30;
  const horizon = options.horizon ?? 90;
  checkDays(window, horizon);
  // As of the earliest date the tables this outcome reads are complete through (metrics/asOf.ts).
  const asOf = await resolveTablesAsOf(db, OUTCOME_TABLES[outcome], options.asOf);
  const params = { window, horizon, from: options.from ?? null, to: options.to ?? null, as_of: asOf };
  const attributes = (await db.read(readExtras)).customers ?? [];
  const types = (await db.read(readKeptTypes)).customers ?? {};
  const start = placeboDays(window);
  const cohort = (
    await db.all<{ customers: number; first_month: string | null; last_month: string | null }>(COHORT_SQL, params)
  )[0]!;
  const bins = Object.fromEntries(attributes.map((_, i) => [`bins_${i}`, binsFor(cohort.customers)]));
  const cells = (await db.columns(cellsSql(outcome, attributes, types), {
    ...params,
    start,
    ...bins,
  })) as unknown as Cells;
  const covariateUse = await covariateUseOf(db, attributes, bins, types);
  const months = cohort.first_month && cohort.last_month ? { from: cohort.first_month, to: cohort.last_month } : null;
  const spendOf = await spendByChannel(db, months);
  const warnings: string[] = [];
  if (!cohort.customers) {
    const chosen = options.from || options.to ? ' in the chosen signup dates' : '';
    warnings.push(`no customer has a complete ${window}+${horizon}-day window by ${asOf}${chosen}: nothing to compare`);
  }
  if (!spendOf.size && cohort.customers)
    warnings.push('no spend is recorded for the months of these cohorts: costs cannot be computed');
  const answers = outcome === 'nps' || outcome === 'csat' ? await answersOf(db, outcome, params) : undefined;
  const analysis = await offload('channel-rows', {
    outcome,
    cells,
    answers,
    attributes,
    spend: Object.fromEntries(spendOf),
    placeboLabel: placeboText(start, window),
  });
  return {
    outcome,
    unit: outcome === 'retention' || outcome === 'csat' ? 'share' : outcome === 'nps' ? 'points' : 'currency',
    window_days: window,
    horizon_days: horizon,
    as_of: asOf,
    cohort: { from: options.from ?? null, to: options.to ?? null, customers: cohort.customers, spend_months: months },
    method: methodText(window, horizon, asOf, FOLDS),
    covariates: analysis.covariates.map(
      (name, i): CovariateUse =>
        covariateUse.find((u) => u.name === name) ?? {
          name,
          use: 'categorical',
          cuts: null,
          levels: analysis.levels[i]!,
        },
    ),
    covariate_use: covariateUse,
    channels: analysis.channels,
    warnings,
  };
}

/** Each arm's answers (survey outcomes), for the trimming bounds: everyone's, and each channel's reached. */
async function answersOf(
  db: Database,
  outcome: 'nps' | 'csat',
  params: Record<string, string | number | null>,
): Promise<Answers> {
  const rows = await db.all<{ channel: string | null; y: number; n: number }>(answersSql(outcome), params);
  const out: Answers = { everyone: [], byChannel: {} };
  for (const r of rows) {
    if (r.channel !== null && !out.byChannel[r.channel]) out.byChannel[r.channel] = [];
    const list = r.channel === null ? out.everyone : out.byChannel[r.channel]!;
    list.push([Number(r.y), Number(r.n)]);
  }
  return out;
}

export interface CovariateUse {
  name: string;
  use: 'numeric' | 'categorical';
  /** Numeric: the quantile cut points (bins are the ranges between them; missing is its own). */
  cuts: number[] | null;
  /** Categorical: the values kept (the rest pooled as 'other'). */
  levels: number | null;
}

async function covariateUseOf(
  db: Database,
  attributes: string[],
  bins: Record<string, number>,
  types: KeptTypes,
): Promise<CovariateUse[]> {
  if (!attributes.length) return [];
  const rows = await db.all<{ name: string; numeric: boolean | null; cuts: string | null; levels: number }>(
    `SELECT name, numeric, CAST(cuts AS VARCHAR) AS cuts, levels FROM (${attributeUseSql(attributes, types)})`,
    bins,
  );
  return rows.map((r) =>
    r.numeric
      ? { name: r.name, use: 'numeric', cuts: JSON.parse(r.cuts ?? '[]') as number[], levels: null }
      : { name: r.name, use: 'categorical', cuts: null, levels: Number(r.levels) },
  );
}

const placeboText = (start: number, window: number) =>
  `orders and touches in days 0–${start - 1} (reached = touched in days ${start}–${window - 1})`;

const methodText = (window: number, horizon: number, asOf: string, folds: number) =>
  `Customers alive ${window} days after signup (the landmark) whose ${horizon}-day horizon ended by ${asOf}. ` +
  `Reached = a touch on the channel in the first ${window} days. Effect on the reached (ATT), doubly robust: ` +
  'augmented inverse-probability weighting with a logistic propensity model and a linear outcome model on every ' +
  `pre-exposure fact listed in covariates, cross-fitted over ${folds} folds; 95% interval from the influence ` +
  'function. Survey answers are weighted by the chance of answering. Exact stratification on segment × region × ' +
  'signup quarter is shown beside it as a check. Distinguishable from no effect is decided on Benjamini–Hochberg ' +
  'q-values across the page (q ≤ 0.05); the E-value says how strong an unmeasured confounder would have to be to ' +
  'explain a lift away; the placebo compares activity the channel cannot have caused. Cost per incremental ' +
  'customer inherits any bias left; experiments are the check.';

/** Spend per channel over the months the compared cohorts' exposure windows cover. */
async function spendByChannel(db: Database, months: { from: string; to: string } | null): Promise<Map<string, number>> {
  if (!months) return new Map();
  const rows = await db.all<{ channel: string; spend: number }>(
    `SELECT channel, sum(amount) AS spend FROM spend
     WHERE month BETWEEN CAST($from AS DATE) AND CAST($to AS DATE) GROUP BY channel`,
    { from: months.from, to: months.to },
  );
  return new Map(rows.map((r) => [r.channel, r.spend]));
}
