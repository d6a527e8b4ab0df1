// Every channel side by side by one method: landmark cohorts, exposure in the first `window`
// days, outcomes counted from the landmark over `horizon` days, the effect on the reached
// adjusted for segment, region and signup quarter, and what each incremental customer costs.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import type { ContractTable } from '../../data/contract.ts';
import { resolveTablesAsOf } from '../series.ts';
import { bhQValues, type EValue, eValueOf, type Overlap, overlapOf, twoSidedP } from './diagnostics.ts';
import { estimateAtt, type Estimate, type StratumCell } from './estimate.ts';

export const OUTCOMES = ['retention', 'nps', 'csat', 'revenue'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ChannelOptions {
  outcome?: Outcome;
  window?: number;
  horizon?: number;
  from?: string;
  to?: string;
  asOf?: string;
}

export interface ChannelRow extends Omit<Estimate, 'se' | 'warnings'> {
  channel: string;
  spend: number;
  incremental: number | null;
  incremental_ci: [number, number] | null;
  cost_per_incremental: number | null;
  cost_ci: [number, number] | null;
  roi: number | null;
  roi_ci: [number, number] | null;
  notes: string[];
  /** 'effect on the reached', or 'effect on the compared reached' when some reached had nobody to compare with. */
  estimand: 'effect on the reached' | 'effect on the compared reached';
  overlap: Overlap;
  /** How strong an unmeasured confounder would have to be (risk ratio, with both) to explain the lift away. */
  e_value: EValue | null;
  p_value: number | null;
  /** Benjamini–Hochberg q-value across every channel on the page. */
  q_value: number | null;
  /** Told apart from no effect at a 5% false discovery rate across the page (q ≤ 0.05). */
  distinguishable: boolean;
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
  /** The pre-exposure facts the comparison adjusts for. */
  covariates: string[];
  channels: ChannelRow[];
  warnings: string[];
}

// Per-customer outcome, counted from the landmark (signup + window) over the horizon. Survey
// outcomes average a customer's own responses, so each customer counts once.
const LANDMARK = 'c.signup_date + to_days(CAST($window AS INTEGER))';
const HORIZON_END = 'c.signup_date + to_days(CAST($window + $horizon AS INTEGER))';
/** A customer's own rows of a table, dated between their landmark and the end of their horizon. */
const inHorizon = (column: string) => `${column} >= ${LANDMARK} AND ${column} < ${HORIZON_END}`;
const surveyAverage = (kind: 'nps' | 'csat', score: string) =>
  `(SELECT avg(${score}) FROM surveys s
    WHERE s.kind = '${kind}' AND s.customer_id = c.customer_id AND ${inHorizon('s.responded_at')})`;

const OUTCOME_SQL: Record<Outcome, string> = {
  retention: `CASE WHEN c.churn_date IS NULL OR c.churn_date >= ${HORIZON_END} THEN 1.0 ELSE 0.0 END`,
  revenue: `coalesce((SELECT sum(o.amount) FROM orders o
    WHERE o.customer_id = c.customer_id AND ${inHorizon('o.ordered_at')}), 0)`,
  nps: surveyAverage('nps', 'CASE WHEN s.score >= 9 THEN 100.0 WHEN s.score <= 6 THEN -100.0 ELSE 0.0 END'),
  csat: surveyAverage('csat', 'CASE WHEN s.score >= 4 THEN 1.0 ELSE 0.0 END'),
};

const OUTCOME_TABLES: Record<Outcome, ContractTable[]> = {
  retention: ['customers', 'touchpoints'],
  revenue: ['customers', 'touchpoints', 'orders'],
  nps: ['customers', 'touchpoints', 'surveys'],
  csat: ['customers', 'touchpoints', 'surveys'],
};

export function comparisonSql(outcome: Outcome): string {
  return `WITH cohort AS (
  SELECT c.customer_id, c.signup_date,
    concat_ws('|', coalesce(c.segment, '?'), coalesce(c.region, '?'), strftime(date_trunc('quarter', c.signup_date),
      '%Y-%m')) AS stratum,
    ${OUTCOME_SQL[outcome]} AS y
  FROM customers c
  WHERE ($from IS NULL OR c.signup_date >= CAST($from AS DATE))
    AND ($to IS NULL OR c.signup_date <= CAST($to AS DATE))
    -- landmark: alive at day window, so staying longer earns no credit for touches
    AND (c.churn_date IS NULL OR c.churn_date >= c.signup_date + to_days(CAST($window AS INTEGER)))
    -- the horizon must be complete by the as-of date
    AND c.signup_date + to_days(CAST($window + $horizon AS INTEGER)) <= CAST($as_of AS DATE)
), measured AS (
  SELECT * FROM cohort WHERE y IS NOT NULL
), exposure AS (
  SELECT DISTINCT t.customer_id, t.channel
  FROM touchpoints t JOIN measured m ON m.customer_id = t.customer_id
  WHERE t.occurred_at >= m.signup_date AND t.occurred_at < m.signup_date + to_days(CAST($window AS INTEGER))
), channels AS (
  SELECT DISTINCT channel FROM touchpoints UNION SELECT DISTINCT channel FROM spend
)
SELECT ch.channel, m.stratum, e.customer_id IS NOT NULL AS exposed, count(*) AS n, sum(m.y) AS sum, sum(m.y * m.y)
  AS sumsq
FROM channels ch CROSS JOIN measured m
LEFT JOIN exposure e ON e.customer_id = m.customer_id AND e.channel = ch.channel
GROUP BY ALL
-- A fixed order, so the estimate sums its strata in the same order on every run.
ORDER BY ch.channel, m.stratum, exposed`;
}

const COHORT_SQL = `SELECT count(*) AS customers,
  strftime(date_trunc('month', min(signup_date)), '%Y-%m-%d') AS first_month,
  strftime(date_trunc('month', max(signup_date) + to_days(CAST($window AS INTEGER) - 1)), '%Y-%m-%d') AS last_month
FROM customers c
WHERE ($from IS NULL OR c.signup_date >= CAST($from AS DATE)) AND ($to IS NULL OR c.signup_date <= CAST($to AS DATE))
  AND (c.churn_date IS NULL OR c.churn_date >= c.signup_date + to_days(CAST($window AS INTEGER)))
  AND c.signup_date + to_days(CAST($window + $horizon AS INTEGER)) <= CAST($as_of AS DATE)`;

/** Invert a positive interval of a denominator into an interval of a cost. */
function costInterval(spend: number, low: number, high: number): [number, number] | null {
  return low > 0 ? [spend / high, spend / low] : null;
}

export function compareChannels(db: Database, options: ChannelOptions = {}): Promise<ChannelComparison> {
  return db.cached(`channels\u0000${JSON.stringify(options)}`, () => computeComparison(db, options));
}

type CellRow = { channel: string; stratum: string; exposed: boolean; n: number; sum: number; sumsq: number };

async function computeComparison(db: Database, options: ChannelOptions): Promise<ChannelComparison> {
  const outcome = options.outcome ?? 'retention';
  const window = options.window ?? 30;
  const horizon = options.horizon ?? 90;
  if (!Number.isInteger(window) || window < 1 || window > 365)
    throw new BearingError('bad-window', `window must be a whole number of days from 1 to 365 (got ${window})`);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1095)
    throw new BearingError('bad-horizon', `horizon must be a whole number of days from 1 to 1095 (got ${horizon})`);
  // As of the earliest date the tables this outcome reads are complete through (metrics/asOf.ts).
  const asOf = await resolveTablesAsOf(db, OUTCOME_TABLES[outcome], options.asOf);
  const params = { window, horizon, from: options.from ?? null, to: options.to ?? null, as_of: asOf };
  const [cells, cohortRows] = await Promise.all([
    db.all<CellRow>(comparisonSql(outcome), params),
    db.all<{ customers: number; first_month: string | null; last_month: string | null }>(COHORT_SQL, params),
  ]);
  const cohort = cohortRows[0]!;
  const months = cohort.first_month && cohort.last_month ? { from: cohort.first_month, to: cohort.last_month } : null;
  const spendOf = await spendByChannel(db, months);
  const byChannel = cellsByChannel(cells);
  const warnings: string[] = [];
  if (!cohort.customers) {
    const chosen = options.from || options.to ? ' in the chosen signup dates' : '';
    warnings.push(`no customer has a complete ${window}+${horizon}-day window by ${asOf}${chosen}: nothing to compare`);
  }
  if (!spendOf.size && cohort.customers)
    warnings.push('no spend is recorded for the months of these cohorts: costs cannot be computed');
  const names = [...new Set([...byChannel.keys(), ...spendOf.keys()])].sort();
  return {
    outcome,
    unit: outcome === 'retention' || outcome === 'csat' ? 'share' : outcome === 'nps' ? 'points' : 'currency',
    window_days: window,
    horizon_days: horizon,
    as_of: asOf,
    cohort: { from: options.from ?? null, to: options.to ?? null, customers: cohort.customers, spend_months: months },
    method:
      `Customers alive ${window} days after signup (the landmark) whose ${horizon}-day horizon ended by ${asOf}. ` +
      `Reached = a touch on the channel in the first ${window} days. ` +
      'Effect on the reached (ATT) = reached minus not-reached inside each segment × region × signup-quarter ' +
      'stratum, weighted by the reached; 95% interval from the stratified variance. Distinguishable from no effect ' +
      'is decided on Benjamini–Hochberg q-values across the page (q ≤ 0.05); the E-value says how strong an ' +
      'unmeasured confounder would have to be to explain a lift away. Cost per incremental customer inherits any ' +
      'bias left; experiments are the check.',
    covariates: ['segment', 'region', 'signup quarter'],
    channels: withQValues(
      names.map((channel) => channelRow(channel, outcome, byChannel.get(channel) ?? [], spendOf.get(channel) ?? 0)),
    ),
    warnings,
  };
}

/** q-values across the page, and "distinguishable from no effect" decided on them. */
function withQValues(rows: ChannelRow[]): ChannelRow[] {
  const q = bhQValues(rows.map((r) => r.p_value));
  return rows.map((r, i) => ({ ...r, q_value: q[i] ?? null, distinguishable: (q[i] ?? 1) <= 0.05 }));
}

/** The outcome's spread across every compared customer (for a standardized difference). */
function pooledSd(cells: StratumCell[]): number {
  const n = cells.reduce((a, c) => a + c.n, 0);
  const sum = cells.reduce((a, c) => a + c.sum, 0);
  const sumsq = cells.reduce((a, c) => a + c.sumsq, 0);
  return n > 1 ? Math.sqrt(Math.max(0, (sumsq - (sum * sum) / n) / (n - 1))) : 0;
}

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

function cellsByChannel(cells: CellRow[]): Map<string, StratumCell[]> {
  const byChannel = new Map<string, StratumCell[]>();
  for (const c of cells) {
    const list = byChannel.get(c.channel) ?? [];
    list.push({ stratum: c.stratum, exposed: c.exposed, n: c.n, sum: c.sum, sumsq: c.sumsq });
    byChannel.set(c.channel, list);
  }
  return byChannel;
}

/** One channel's estimate, and what it means for finance: incremental customers, cost, ROI. */
function channelRow(channel: string, outcome: Outcome, cells: StratumCell[], spend: number): ChannelRow {
  const { se, warnings: notes, ...estimate } = estimateAtt(cells);
  const overlap = overlapOf(cells);
  const share = outcome === 'retention' || outcome === 'csat';
  const row: ChannelRow = {
    channel,
    ...estimate,
    estimand: overlap.dropped_share > 0 ? 'effect on the compared reached' : 'effect on the reached',
    overlap,
    e_value:
      estimate.lift !== null && estimate.ci
        ? eValueOf(
            estimate.lift,
            estimate.ci,
            share ? 'share' : 'continuous',
            estimate.rate_unexposed ?? 0,
            pooledSd(cells),
          )
        : null,
    p_value: estimate.lift !== null && se ? twoSidedP(estimate.lift / se) : null,
    q_value: null,
    distinguishable: false,
    spend,
    incremental: null,
    incremental_ci: null,
    cost_per_incremental: null,
    cost_ci: null,
    roi: null,
    roi_ci: null,
    notes: [...notes],
  };
  if (estimate.lift === null || !estimate.ci) return row;
  const reached = estimate.compared_exposed;
  if (outcome === 'retention' || outcome === 'revenue') {
    row.incremental = estimate.lift * reached;
    row.incremental_ci = [estimate.ci[0] * reached, estimate.ci[1] * reached];
  }
  if (outcome === 'retention') {
    if (!spend)
      row.notes.push('no spend recorded for this channel: cost per incremental retained customer cannot be computed');
    else if (estimate.ci[0] <= 0) {
      row.notes.push(
        'cost per incremental retained customer is not estimable: the interval of the lift includes 0 (or is below it)',
      );
    } else {
      row.cost_per_incremental = spend / row.incremental!;
      row.cost_ci = costInterval(spend, row.incremental_ci![0], row.incremental_ci![1]);
    }
  }
  if (outcome === 'revenue' && spend) {
    row.roi = (row.incremental! - spend) / spend;
    row.roi_ci = [(row.incremental_ci![0] - spend) / spend, (row.incremental_ci![1] - spend) / spend];
  }
  return row;
}
