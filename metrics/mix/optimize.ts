// The weekly budget that makes the most of the fitted response curves, in steady state, within
// each channel's bounds (or the least spend that reaches a weekly target). "The most" is in
// expectation over the model's own uncertainty: each channel's response averaged over every
// bootstrap refit's curve, so money does not chase a channel whose point curve is steep but least
// known. Money goes out in small steps, each to the channel that returns most for it; "most" looks
// a few steps ahead so an S-shaped curve still gets money past its flat start. The expected KPI
// of the plan includes the baseline, with an interval from every refit's curves. Pure.
import { interval, type ResponseCurve } from './model.ts';
import { steadyResponse } from './transform.ts';

export interface Bounds {
  min: number;
  max: number;
}

export interface OptimizeRequest {
  channels: string[];
  /** Today's weekly spend per channel (the last year's average). */
  current: number[];
  point: ResponseCurve[];
  draws: ResponseCurve[][];
  baseline: number;
  /** Weekly total to spend; default: today's total. */
  budget?: number;
  /** Per channel; a side not given is DEFAULT_BOUNDS × today's spend. */
  bounds?: Record<string, Partial<Bounds>>;
  /** Channels kept at today's spend. */
  fixed?: string[];
  /** Reach this weekly KPI (baseline included) for the least spend, instead of spending a budget. */
  target?: number;
}

export interface Allocation {
  budget: number;
  allocation: Array<{ channel: string; current: number; proposed: number; min: number; max: number | null }>;
  kpi_current: number;
  kpi_current_interval: [number, number];
  kpi_proposed: number;
  kpi_proposed_interval: [number, number];
  baseline: number;
  target_reached: boolean | null;
  /**
   * The plan's weekly gain over today's spend in each bootstrap refit: its mean, 95% range and the
   * share of refits in which it gains. A move of today's total that does not gain on average across
   * the refits is not proposed when today's spend is within the bounds: `kept_today` is then true
   * and the allocation is today's.
   */
  gain: { mean: number; interval: [number, number]; share_positive: number };
  kept_today: boolean;
}

/**
 * Without bounds of their own, channels move between half and twice today's weekly spend: the
 * curves were fitted on spend near today's, and say little about ten times it (Robyn's default
 * constraints are tighter still, 0.7–1.2×). `--bound CHANNEL=0:` opens a channel fully.
 */
export const DEFAULT_BOUNDS = { min: 0.5, max: 2 };

const STEPS = 2000;
const LOOKAHEAD = [1, 10, 100];

export const responseAt = (c: ResponseCurve, s: number) => steadyResponse(s, c.beta, c.k, c);
const total = (curves: ResponseCurve[], spend: number[], baseline: number) =>
  baseline + spend.reduce((a, s, i) => a + responseAt(curves[i]!, s), 0);
const totalInterval = (draws: ResponseCurve[][], spend: number[], baseline: number) =>
  interval(draws.map((d) => total(d, spend, baseline)));

/** Refits needed to read a channel's response as their average; fewer, and the point curve is read. */
const MIN_DRAWS = 10;
const GRID = 400;

/**
 * A channel's response averaged over the refits' curves, tabulated from 0 to `cap` and read by
 * linear interpolation (beyond `cap`, along the last step): a mean of Hill curves is smooth, and
 * the table makes each of the allocation's thousands of steps cost what the point curve's does.
 */
function expectedResponse(draws: ResponseCurve[][], i: number, cap: number): (s: number) => number {
  const at = Array.from({ length: GRID + 1 }, (_, g) => {
    const s = (g / GRID) * cap;
    let v = 0;
    for (const d of draws) v += responseAt(d[i]!, s);
    return v / draws.length;
  });
  return (s) => {
    if (!(cap > 0)) return at[0]!;
    const x = (Math.max(0, s) / cap) * GRID;
    const g = Math.min(GRID - 1, Math.floor(x));
    return at[g]! + (x - g) * (at[g + 1]! - at[g]!);
  };
}

function boundsOf(r: OptimizeRequest): Bounds[] {
  return r.channels.map((channel, i) => {
    if (r.fixed?.includes(channel)) return { min: r.current[i]!, max: r.current[i]! };
    const b = r.bounds?.[channel];
    if (!b) return { min: DEFAULT_BOUNDS.min * r.current[i]!, max: DEFAULT_BOUNDS.max * r.current[i]! };
    return { min: b.min ?? 0, max: b.max ?? Number.POSITIVE_INFINITY };
  });
}

/**
 * Money out in steps of `step` from each channel's minimum, each step to the channel whose `rate`
 * (KPI per unit for `amount` more at `spend`) is best, looking 1, 10 and 100 steps ahead so an
 * S-shaped curve still gets money past its flat start; until `left` is spent, every channel is at
 * its maximum, nothing returns more, or `done()` says a target is met. Mutates and returns `spend`.
 */
export function greedySpend(o: {
  spend: number[];
  max: number[];
  left: number;
  step: number;
  steps: number;
  rate: (channel: number, spend: number, amount: number) => number;
  done: () => boolean;
}): number[] {
  const { spend } = o;
  let left = o.left;
  for (let guard = 0; guard < 20 * o.steps && left > 1e-9 && !o.done(); guard++) {
    let best = -1;
    let bestRate = 0;
    let bestAmount = 0;
    for (let i = 0; i < spend.length; i++) {
      for (const k of LOOKAHEAD) {
        const amount = Math.min(k * o.step, o.max[i]! - spend[i]!, left);
        if (amount <= 0) continue;
        const rate = o.rate(i, spend[i]!, amount);
        if (rate > bestRate) {
          bestRate = rate;
          best = i;
          bestAmount = Math.min(o.step, amount);
        }
      }
    }
    if (best < 0) break; // nothing returns anything more, or every channel is at its maximum
    spend[best]! += bestAmount;
    left -= bestAmount;
  }
  return spend;
}

export function optimizeBudget(r: OptimizeRequest): Allocation {
  const bounds = boundsOf(r);
  const today = r.current.reduce((a, b) => a + b, 0);
  const budget = r.target !== undefined ? Number.POSITIVE_INFINITY : (r.budget ?? today);
  const floor = bounds.reduce((a, b) => a + b.min, 0);
  if (floor > budget) throw new RangeError(`the channels' minimums (${floor.toFixed(0)}) exceed the budget`);
  const step = (r.target !== undefined ? Math.max(today, 1) * 3 : budget) / STEPS;
  // The most any channel can be given: its maximum, the budget, or all the allocation's steps.
  const reach = Math.min(budget, 20 * STEPS * step);
  const response: Array<(s: number) => number> = r.channels.map((_, i) =>
    r.draws.length >= MIN_DRAWS
      ? expectedResponse(r.draws, i, Math.min(bounds[i]!.max, reach))
      : (s) => responseAt(r.point[i]!, s),
  );
  const expected = (plan: number[]) => r.baseline + plan.reduce((a, s, i) => a + response[i]!(s), 0);
  // What a plan is reported to bring: the average over the refits, exactly (or the point curves).
  const reported = (plan: number[]) =>
    r.draws.length >= MIN_DRAWS
      ? r.draws.reduce((a, d) => a + total(d, plan, r.baseline), 0) / r.draws.length
      : total(r.point, plan, r.baseline);
  const spend = bounds.map((b) => b.min);
  const reached = () => r.target !== undefined && expected(spend) >= r.target;
  greedySpend({
    spend,
    max: bounds.map((b) => b.max),
    left: budget - floor,
    step,
    steps: STEPS,
    rate: (i, s, amount) => (response[i]!(s + amount) - response[i]!(s)) / amount,
    done: reached,
  });
  const gains = (plan: number[]) => r.draws.map((d) => total(d, plan, r.baseline) - total(d, r.current, r.baseline));
  // A reallocation of today's total must gain in expectation across the model's own uncertainty.
  const reallocation = r.target === undefined && Math.abs(budget - today) <= 1e-9 * Math.max(1, today);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  // Today's allocation is kept only when it is itself a plan the bounds allow.
  const todayAllowed = r.current.every((c, i) => c >= bounds[i]!.min - 1e-9 && c <= bounds[i]!.max + 1e-9);
  const planned = gains(spend);
  const keptToday = reallocation && todayAllowed && r.draws.length > 0 && mean(planned) <= 0;
  if (keptToday) spend.splice(0, spend.length, ...r.current);
  const drawn = keptToday ? gains(spend) : planned;
  return {
    budget: spend.reduce((a, b) => a + b, 0),
    allocation: r.channels.map((channel, i) => ({
      channel,
      current: r.current[i]!,
      proposed: spend[i]!,
      min: bounds[i]!.min,
      max: Number.isFinite(bounds[i]!.max) ? bounds[i]!.max : null,
    })),
    kpi_current: reported(r.current),
    kpi_current_interval: totalInterval(r.draws, r.current, r.baseline),
    kpi_proposed: reported(spend),
    kpi_proposed_interval: totalInterval(r.draws, spend, r.baseline),
    baseline: r.baseline,
    target_reached: r.target === undefined ? null : reached(),
    gain: {
      mean: mean(drawn),
      interval: drawn.length ? interval(drawn) : [0, 0],
      share_positive: drawn.length ? drawn.filter((g) => g > 0).length / drawn.length : 0,
    },
    kept_today: keptToday,
  };
}
