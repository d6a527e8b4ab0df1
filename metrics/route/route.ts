// A route back to a goal: which measured levers move its metric, and the cheapest extra monthly spend
// on them that lifts the goal's chance of being met to "on course". Pure: numbers in, numbers out.
//
// The model, each step stated in the answer's assumptions:
// - Reach follows spend with diminishing returns, as the budget what-if has it: extra monthly spend s
//   on a channel spending S a month reaches R·((1 + s/S)^e − 1) more customers a month (e = 0.5).
// - Each customer reached moves their outcome by the channel's measured lift (its ATT and interval).
// - A cohort metric (customers who signed up in the month) moves by lift × extra reached / the
//   month's cohort; a metric over every active customer (NPS, CSAT answers) by lift × the extra reached
//   since the plan started / the active customers, the share of the base the new money has reached by
//   the due month.
// - The goal's own forecast at the due date, shifted by that move: p_after = Φ(Φ⁻¹(p_now) + Δ/σ),
//   σ the forecast's standard deviation from its 95% interval, so at Δ = 0 it is the heading's own
//   probability.
import { normalCdf, Z95 } from '../normal.ts';
import { normalQuantile } from '../drivers/quantiles.ts';

export const ELASTICITY = 0.5;
export const ON_COURSE = 0.7;

/** A point of a mix channel's weekly steady-state response curve (KPI a week for spend a week). */
export interface CurvePoint {
  spend: number;
  response: number;
  low: number;
  high: number;
}

export const WEEKS_PER_MONTH = 4.348;

export interface LeverInput {
  channel: string;
  /**
   * A channel bought in aggregate: its fitted response curve (the media-mix model); the lift is then
   * the marginal ROI. The goal's metric must be the model's KPI summed over the month.
   */
  curve?: CurvePoint[];
  /** The channel's measured effect per reached customer on the goal's outcome, and its 95% interval. */
  lift: number;
  lift_ci: [number, number];
  /** Spend and customers reached per month today. */
  spend_per_month: number;
  reached_per_month: number;
}

export interface RouteInput {
  probability_now: number;
  /** The forecast at the due date: its value and 95% interval. */
  value_at_due: number;
  interval_at_due: [number, number];
  target: number;
  direction: 'up' | 'down';
  /** Whole months from the plan's start to the due month (at least 1). */
  months: number;
  kind: 'cohort' | 'stock' | 'kpi';
  /** Customers behind the metric: a month's cohort (cohort metrics) or the active base (stock). */
  base: number;
  levers: LeverInput[];
  /** The most extra spend a month the plan may add across levers. */
  max_extra_per_month: number;
}

export interface Lever extends LeverInput {
  /** The metric's move at the due date for 1,000 more a month on this lever alone, with its interval. */
  move_per_1000: number;
  move_per_1000_ci: [number, number];
  helps: boolean;
}

export interface Plan {
  moves: Array<{ channel: string; extra_per_month: number }>;
  extra_spend: number;
  extra_spend_to_due: number;
  probability_after: number;
  probability_after_ci: [number, number];
  value_at_due: number;
  value_at_due_ci: [number, number];
  reaches_on_course: boolean;
}

type End = 'point' | 'low' | 'high';

/** A curve's value at a weekly spend, by straight lines between its points (flat past its end). */
function curveAt(curve: CurvePoint[], spend: number, end: End): number {
  const pick = (p: CurvePoint) => (end === 'point' ? p.response : end === 'low' ? p.low : p.high);
  if (spend <= curve[0]!.spend) return pick(curve[0]!);
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!;
    const b = curve[i]!;
    if (spend <= b.spend) return pick(a) + ((pick(b) - pick(a)) * (spend - a.spend)) / (b.spend - a.spend);
  }
  return pick(curve.at(-1)!);
}

/**
 * The metric's move at the due date from `extra` more a month on a lever, at the lift's point or an
 * end of its interval. A mix lever moves the month's KPI along its fitted curve (no further than the
 * curve reaches: twice the last year's weekly spend).
 */
export function moveOf(input: RouteInput, lever: LeverInput, extra: number, end: End = 'point'): number {
  if (lever.curve?.length) {
    const now = lever.spend_per_month / WEEKS_PER_MONTH;
    const after = now + extra / WEEKS_PER_MONTH;
    return (curveAt(lever.curve, after, end) - curveAt(lever.curve, now, end)) * WEEKS_PER_MONTH;
  }
  if (!(lever.spend_per_month > 0) || !(lever.reached_per_month > 0) || !(input.base > 0)) return 0;
  const lift = end === 'point' ? lever.lift : end === 'low' ? lever.lift_ci[0] : lever.lift_ci[1];
  const reached = lever.reached_per_month * ((1 + extra / lever.spend_per_month) ** ELASTICITY - 1);
  const share = input.kind === 'cohort' ? reached / input.base : (reached * input.months) / input.base;
  return lift * Math.min(1, share);
}

const sigmaOf = (input: RouteInput) =>
  Math.max((input.interval_at_due[1] - input.interval_at_due[0]) / (2 * Z95), 1e-12);
const clampP = (p: number) => Math.min(Math.max(p, 1e-4), 1 - 1e-4);
/** The chance of meeting the target after the metric moves by `move` (in the metric's own units). */
export function probabilityAfter(input: RouteInput, move: number): number {
  const good = input.direction === 'up' ? move : -move;
  return normalCdf(normalQuantile(clampP(input.probability_now)) + good / sigmaOf(input));
}

function planFor(input: RouteInput, moves: Array<{ lever: LeverInput; extra: number }>): Plan {
  const at = (end: End) => moves.reduce((s, m) => s + moveOf(input, m.lever, m.extra, end), 0);
  const move = at('point');
  const low = at('low');
  const high = at('high');
  const extra = moves.reduce((s, m) => s + m.extra, 0);
  const ps = [probabilityAfter(input, low), probabilityAfter(input, high)];
  const p = probabilityAfter(input, move);
  return {
    moves: moves.map((m) => ({ channel: m.lever.channel, extra_per_month: m.extra })),
    extra_spend: extra,
    extra_spend_to_due: extra * input.months,
    probability_after: p,
    probability_after_ci: [Math.min(...ps), Math.max(...ps)],
    value_at_due: input.value_at_due + move,
    value_at_due_ci: [input.interval_at_due[0] + Math.min(low, high), input.interval_at_due[1] + Math.max(low, high)],
    reaches_on_course: p >= ON_COURSE,
  };
}

/** The least extra spend on one lever that reaches on course, or the most the limit allows. */
function cheapestOn(input: RouteInput, lever: LeverInput): Plan {
  const limit = input.max_extra_per_month;
  if (probabilityAfter(input, moveOf(input, lever, limit)) < ON_COURSE)
    return planFor(input, [{ lever, extra: limit }]);
  let lo = 0;
  let hi = limit;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (probabilityAfter(input, moveOf(input, lever, mid)) >= ON_COURSE) hi = mid;
    else lo = mid;
  }
  return planFor(input, [{ lever, extra: Math.ceil(hi) }]);
}

/**
 * Every measured lever with its move per 1,000 a month, and the plans: the cheapest single-lever plan
 * for each lever that helps, and one that spreads the limit over the helping levers in proportion to
 * their move per 1,000 (the best the limit can reach when no single lever gets there). Plans reaching
 * on course come first, cheapest first; then the rest by probability.
 */
export function planRoute(input: RouteInput): { levers: Lever[]; plans: Plan[] } {
  const levers = input.levers.map((l): Lever => {
    const move = moveOf(input, l, 1000);
    const ends = [moveOf(input, l, 1000, 'low'), moveOf(input, l, 1000, 'high')];
    const sign = input.direction === 'up' ? 1 : -1;
    return {
      ...l,
      move_per_1000: move,
      move_per_1000_ci: [Math.min(...ends), Math.max(...ends)],
      // Helps only when its whole interval points the goal's way.
      helps: Math.min(...ends.map((e) => e * sign)) > 0,
    };
  });
  const helping = levers.filter((l) => l.helps);
  const plans = helping.map((l) => cheapestOn(input, l));
  if (helping.length > 1) {
    const weight = helping.reduce((s, l) => s + Math.abs(l.move_per_1000), 0);
    plans.push(
      planFor(
        input,
        helping.map((l) => ({
          lever: l,
          extra: Math.round((input.max_extra_per_month * Math.abs(l.move_per_1000)) / weight),
        })),
      ),
    );
  }
  plans.sort(
    (a, b) =>
      Number(b.reaches_on_course) - Number(a.reaches_on_course) ||
      (a.reaches_on_course ? a.extra_spend - b.extra_spend : b.probability_after - a.probability_after),
  );
  return { levers, plans };
}
