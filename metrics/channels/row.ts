// One channel's row of the comparison: the doubly-robust lift with its interval, exact
// stratification beside it, how far to trust it (overlap, E-value, placebo, survey response),
// and what it means for finance (incremental customers, cost, ROI). Pure.
import { type DoublyRobust, doublyRobustAtt } from './aipw.ts';
import { FOLDS, type Outcome } from './cohortSql.ts';
import { type EValue, eValueOf, type Overlap, twoSidedP } from './diagnostics.ts';
import { type Estimate, estimateAtt, NO_VARIANCE, type StratumCell } from './estimate.ts';
import type { ChannelCells, Design } from './patterns.ts';
import { type Distribution, leeShift } from './lee.ts';
import { Z95 } from '../normal.ts';

export interface Interval {
  lift: number | null;
  ci: [number, number] | null;
}

export interface ChannelRow extends Omit<Estimate, 'se' | 'warnings'> {
  channel: string;
  /** How the lift was estimated: 'doubly robust', or null when it could not be. */
  method: 'doubly robust' | null;
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
  /**
   * A second estimator on the same facts: inverse-probability weighting with the same propensities
   * (right when the propensity model is; the lift is right when either model is). Far apart, one
   * of the two models is wrong, and the row says so.
   */
  cross_check: Interval & { method: 'inverse-probability weighting'; dropped_share: number };
  /** Exact stratification on segment × region × signup quarter: the older, simpler estimate, beside them. */
  stratified: Interval & { method: 'exact stratification'; dropped_share: number };
  /** The same comparison on an outcome the channel cannot have caused; flagged when told apart from 0. */
  placebo: Interval & { outcome: string; p_value: number | null; flagged: boolean };
  /** Survey outcomes: the share of each arm who answered, and the lift without response weighting. */
  response_rate?: { reached: number; not_reached: number } | null;
  unweighted?: Interval;
  /**
   * Survey outcomes whose response rates differ by more than RESPONSE_GAP: the lift's trimming bounds
   * (Lee 2009) and their 95% interval; `distinguishable` and the q-value then follow the bounds.
   */
  bounds?: { low: number; high: number; ci: [number, number]; trimmed_share: number; trimmed: string } | null;
}

/** Response rates further apart than this are worth a warning. */
export const RESPONSE_GAP = 0.05;

/** Invert a positive interval of a denominator into an interval of a cost. */
function costInterval(spend: number, low: number, high: number): [number, number] | null {
  return low > 0 ? [spend / high, spend / low] : null;
}

/** The outcome's spread across every compared customer (for a standardized difference). */
function pooledSd(cells: StratumCell[]): number {
  const n = cells.reduce((a, c) => a + c.n, 0);
  const sum = cells.reduce((a, c) => a + c.sum, 0);
  const sumsq = cells.reduce((a, c) => a + c.sumsq, 0);
  return n > 1 ? Math.sqrt(Math.max(0, (sumsq - (sum * sum) / n) / (n - 1))) : 0;
}

export interface RowInput {
  channel: string;
  outcome: Outcome;
  cells: ChannelCells | undefined;
  placebo: ChannelCells | undefined;
  placeboLabel: string;
  design: Design;
  spend: number;
  /** Survey outcomes: each arm's answers, for the trimming bounds. */
  answers?: { reached: Distribution; notReached: Distribution };
}

const interval = (d: DoublyRobust | null): Interval => ({ lift: d?.lift ?? null, ci: d?.ci ?? null });

function notesOf(dr: DoublyRobust, survey: boolean): string[] {
  const notes: string[] = [];
  if (!dr.propensity_settled)
    notes.push(
      'the model of who is reached did not settle (reach is nearly decided by the facts, as with 1% reached ' +
        'almost all in a few groups): the lift is not trusted; compare fewer facts or a shorter signup range',
    );
  else if (dr.lift === null) notes.push(NO_VARIANCE);
  const dropped = dr.overlap.dropped_share;
  if (dropped > 0.05)
    notes.push(
      `${dr.dropped_exposed} reached customers (${Math.round(dropped * 100)}%) had a chance of being ` +
        'reached above 98% given their facts: nobody comparable was left unreached, so they are left out and ' +
        'the lift describes the other reached customers',
    );
  if (dr.lift !== null && dr.se && dr.ipw && Math.abs(dr.lift - dr.ipw.lift) > Z95 * Math.hypot(dr.se, dr.ipw.se))
    notes.push(
      'weighting alone reads a different lift than the doubly robust one by more than their errors allow: one of ' +
        'the two models (who is reached, what the others achieve) is wrong, and the lift rests on the other',
    );
  const rates = dr.response_rate;
  if (survey && rates && Math.abs(rates.reached - rates.not_reached) > RESPONSE_GAP)
    notes.push(
      `${Math.round(rates.reached * 100)}% of reached customers answered against ` +
        `${Math.round(rates.not_reached * 100)}%` +
        ' of the others: answers are weighted by the chance of answering given the facts above (unweighted figure ' +
        'beside), which cannot correct for customers who answer because of how they feel',
    );
  return notes;
}

export function channelRow(input: RowInput): ChannelRow {
  const { outcome, design, spend } = input;
  const survey = outcome === 'nps' || outcome === 'csat';
  const share = outcome === 'retention' || outcome === 'csat';
  const strataCells = input.cells?.strata ?? [];
  const { se: _se, warnings, ...stratified } = estimateAtt(strataCells);
  // The doubly-robust estimate needs both arms to share some stratum, as the cross-check does.
  const drOf = (cells: ChannelCells | undefined, weightResponses: boolean) =>
    cells && stratified.lift !== null
      ? doublyRobustAtt(cells.patterns, design.features, design.p, { folds: FOLDS, weightResponses })
      : null;
  const dr = drOf(input.cells, survey);
  const placebo = drOf(input.placebo, false);
  const lift = dr?.lift ?? null;
  const ci = dr?.ci ?? null;
  const dropped = dr?.overlap.dropped_share ?? 0;
  const row: ChannelRow = {
    channel: input.channel,
    ...stratified,
    method: lift === null ? null : 'doubly robust',
    lift,
    ci,
    compared_exposed: dr?.compared_exposed ?? 0,
    dropped_exposed: dr ? dr.dropped_exposed : stratified.dropped_exposed,
    estimand: dropped > 0 ? 'effect on the compared reached' : 'effect on the reached',
    overlap: dr?.overlap ?? { propensity_range: null, ess: null, dropped_share: 0 },
    e_value:
      lift !== null && ci && dr
        ? eValueOf(lift, ci, share ? 'share' : 'continuous', dr.counterfactual ?? 0, pooledSd(strataCells))
        : null,
    p_value: lift !== null && dr?.null_se ? twoSidedP(lift / dr.null_se) : null,
    q_value: null,
    distinguishable: false,
    cross_check: {
      method: 'inverse-probability weighting',
      lift: dr?.ipw?.lift ?? null,
      ci: dr?.ipw?.ci ?? null,
      dropped_share: dropped,
    },
    stratified: {
      method: 'exact stratification',
      lift: stratified.lift,
      ci: stratified.ci,
      dropped_share: stratified.exposed ? stratified.dropped_exposed / stratified.exposed : 0,
    },
    placebo: {
      outcome: input.placeboLabel,
      ...interval(placebo),
      p_value: placebo?.lift != null && placebo.se ? twoSidedP(placebo.lift / placebo.se) : null,
      flagged: false,
    },
    spend,
    incremental: null,
    incremental_ci: null,
    cost_per_incremental: null,
    cost_ci: null,
    roi: null,
    roi_ci: null,
    notes: stratified.lift === null ? [...warnings] : dr ? notesOf(dr, survey) : [],
  };
  if (survey) {
    row.response_rate = dr?.response_rate ?? null;
    row.unweighted = interval(drOf(input.cells, false));
    withBounds(row, dr, input.answers);
  }
  return withFinance(row, outcome, spend);
}

/**
 * When the channel changed who answered, the lift is a range: the trimming bounds around the
 * weighted estimate, each end widened by 1.96 standard errors, and the test of "no effect" taken at
 * the end nearer zero (a range holding zero is never distinguishable).
 */
function withBounds(row: ChannelRow, dr: DoublyRobust | null, answers: RowInput['answers']): void {
  const rates = dr?.response_rate;
  row.bounds = null;
  if (!dr || dr.lift === null || !dr.se || !rates || !answers) return;
  if (Math.abs(rates.reached - rates.not_reached) <= RESPONSE_GAP) return;
  const shift = leeShift(answers.reached, answers.notReached, rates.reached, rates.not_reached);
  if (!shift) return;
  const low = dr.lift + shift.low;
  const high = dr.lift + shift.high;
  // A trimmed mean rests on the answers left: its standard error grows as 1 / √(1 − trimmed share).
  const se = dr.se / Math.sqrt(Math.max(1 - shift.trimmed, 0.05));
  row.bounds = {
    low,
    high,
    ci: [low - Z95 * se, high + Z95 * se],
    trimmed_share: shift.trimmed,
    trimmed: shift.side,
  };
  row.p_value = low <= 0 && high >= 0 ? 1 : twoSidedP(Math.min(Math.abs(low), Math.abs(high)) / se);
  row.notes.push(
    `the answer is a range, ${low.toFixed(2)} to ${high.toFixed(2)}, because of who answered: ` +
      `${Math.round(rates.reached * 100)}% of reached customers answered against ` +
      `${Math.round(rates.not_reached * 100)}% of the others, and the extra answers could have come from anyone ` +
      `(the ${shift.side}'s answers trimmed by ${Math.round(shift.trimmed * 100)}% from the top and from the bottom)`,
  );
}

/** What the lift means for finance: incremental customers or revenue, cost per incremental, ROI. */
function withFinance(row: ChannelRow, outcome: Outcome, spend: number): ChannelRow {
  const { lift, ci } = row;
  if (lift === null || !ci) return row;
  const reached = row.compared_exposed;
  if (outcome === 'retention' || outcome === 'revenue') {
    row.incremental = lift * reached;
    row.incremental_ci = [ci[0] * reached, ci[1] * reached];
  }
  if (outcome === 'retention') {
    if (!spend)
      row.notes.push('no spend recorded for this channel: cost per incremental retained customer cannot be computed');
    else if (ci[0] <= 0) {
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
