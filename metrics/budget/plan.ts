// A budget plan over a planning period in money: a scenario (explicit moves between channels,
// the total kept) or an allocation (the most KPI for a total, or a KPI target for the least
// spend) within per-channel limits. Money goes out in small steps, each to the channel that
// returns most for it, looking a few steps ahead so an S-shaped curve still gets money past its
// flat start. Every figure of change has an interval from the same draws across channels, so the
// total's interval is the draws' total, not a sum of ends. Pure.
import { BearingError } from '../../data/errors.ts';
import { interval } from '../mix/model.ts';
import { DEFAULT_BOUNDS, greedySpend } from '../mix/optimize.ts';
import { type ChannelResponse, respond } from './response.ts';

export interface Move {
  from: string;
  to: string;
  /** Share of FROM's current spend over the period, in (0, 1]. */
  share: number;
}

export interface Limits {
  min?: number;
  max?: number;
}

export interface PlanInput {
  channels: ChannelResponse[];
  /** The KPI over the period that no channel's spend explains. */
  baseline: number;
  moves?: Move[];
  /** Total spend over the period to allocate (default: today's). */
  total?: number;
  /** Reach this KPI over the period (baseline included) for the least spend. */
  target?: number;
  bounds?: Record<string, Limits>;
  fixed?: string[];
}

export interface PlanChannel {
  channel: string;
  kind: 'customer' | 'aggregate';
  current: number;
  proposed: number;
  min: number;
  max: number | null;
  kpi_change: number;
  kpi_change_ci: [number, number];
}

export interface Plan {
  mode: 'scenario' | 'allocation' | 'target';
  total_current: number;
  total_proposed: number;
  channels: PlanChannel[];
  kpi_current: number;
  kpi_proposed: number;
  kpi_proposed_ci: [number, number];
  uplift: number;
  uplift_ci: [number, number];
  uplift_pct: number | null;
  uplift_pct_ci: [number, number] | null;
  baseline: number;
  target_reached: boolean | null;
  warnings: string[];
}

const STEPS = 1000;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function limitsOf(input: PlanInput): Array<{ min: number; max: number }> {
  const names = new Set(input.channels.map((c) => c.channel));
  for (const name of [...Object.keys(input.bounds ?? {}), ...(input.fixed ?? [])])
    if (!names.has(name))
      throw new BearingError('unknown-channel', `no channel "${name}" (channels: ${[...names].join(', ')})`);
  return input.channels.map((c) => {
    if (input.fixed?.includes(c.channel)) return { min: c.current, max: c.current };
    const b = input.bounds?.[c.channel];
    const min = b?.min ?? DEFAULT_BOUNDS.min * c.current;
    const max = b?.max ?? (b ? Number.POSITIVE_INFINITY : DEFAULT_BOUNDS.max * c.current);
    if (min > max)
      throw new BearingError(
        'bad-amount',
        `the limits of ${c.channel} are the wrong way round: min ${min} > max ${max}`,
      );
    return { min, max };
  });
}

/** Each channel's spend after the moves; the total is kept. */
function afterMoves(input: PlanInput, moves: Move[]): number[] {
  const index = new Map(input.channels.map((c, i) => [c.channel, i]));
  const spend = input.channels.map((c) => c.current);
  for (const [i, m] of moves.entries()) {
    for (const name of [m.from, m.to])
      if (!index.has(name))
        throw new BearingError(
          'unknown-channel',
          `moves.${i}: no channel "${name}" (channels: ${[...index.keys()].join(', ')})`,
        );
    if (m.from === m.to) throw new BearingError('bad-amount', `moves.${i}: from and to are both ${m.from}`);
    if (!(m.share > 0 && m.share <= 1))
      throw new BearingError('bad-amount', `moves.${i}.share must be above 0 and at most 1 (got ${m.share})`);
    const from = index.get(m.from)!;
    const amount = m.share * input.channels[from]!.current;
    spend[from]! -= amount;
    spend[index.get(m.to)!]! += amount;
  }
  for (const [i, c] of input.channels.entries())
    if (spend[i]! < -1e-6)
      throw new BearingError('bad-amount', `the moves take more out of ${c.channel} than it spends today`);
  return spend.map((s) => Math.max(0, s));
}

/**
 * What a channel adds for spend `s`, averaged over its draws (the point curve when it has none). A
 * plan's figures are this average, as the mix optimiser's are: the point fit's single shape can sit
 * at an edge of what the data allow (radio read with carry-over 0.8 and an S-curve where 0.2 and a
 * plain curve were planted) and a scenario read from it alone overstated a cut by 1.44× at the median.
 */
function expectedResponse(c: ChannelResponse, s: number): number {
  if (!c.draws.length) return respond(c.point, s);
  let total = 0;
  for (const d of c.draws) total += respond(d, s);
  return total / c.draws.length;
}

const kpiAt = (input: PlanInput, spend: number[]) =>
  input.baseline + sum(input.channels.map((c, i) => expectedResponse(c, spend[i]!)));

/**
 * A prudent marginal return of `amount` more on a channel already at `spend`: read from the draws,
 * money added above today's spend earns its lower quantile (a gain the evidence is sure of), and
 * money below today's spend is worth its upper quantile (a loss the evidence cannot rule out). On
 * point curves alone an allocator chases the channel whose curve is least known: on planted worlds
 * it promised twice what its plan delivered, and one plan lost money.
 */
function prudentRate(c: ChannelResponse, spend: number, amount: number, draws: number[]): number {
  if (!draws.length) return (respond(c.point, spend + amount) - respond(c.point, spend)) / amount;
  const rates = draws.map((d) => (respond(c.draws[d]!, spend + amount) - respond(c.draws[d]!, spend)) / amount);
  rates.sort((a, b) => a - b);
  const q = spend + amount <= c.current + 1e-9 ? PRUDENCE[1] : PRUDENCE[0];
  return rates[Math.min(rates.length - 1, Math.floor(q * rates.length))]!;
}

/** The quantiles prudentRate reads: the 20th percentile of a gain, the 80th of a loss. */
export const PRUDENCE = [0.2, 0.8] as const;
/** Draws the allocator reads at each step (of the plan's draws, evenly spaced). */
const ALLOCATION_DRAWS = 100;

/** Greedy allocation (metrics/mix/optimize.ts greedySpend) on prudent returns. */
function allocate(input: PlanInput, limits: Array<{ min: number; max: number }>): number[] {
  const today = sum(input.channels.map((c) => c.current));
  const budget = input.target !== undefined ? Number.POSITIVE_INFINITY : (input.total ?? today);
  const floor = sum(limits.map((l) => l.min));
  if (floor > budget + 1e-6)
    throw new BearingError('bad-amount', `the channels' minimums (${floor.toFixed(0)}) exceed the total`);
  const spend = limits.map((l) => l.min);
  const step = (input.target !== undefined ? Math.max(today, 1) * 3 : budget) / STEPS;
  const D = Math.min(...input.channels.map((c) => c.draws.length));
  const read = Math.min(D, ALLOCATION_DRAWS);
  const draws = Array.from({ length: read }, (_, i) => Math.floor((i * D) / read));
  return greedySpend({
    spend,
    max: limits.map((l) => l.max),
    left: budget - floor,
    step,
    steps: STEPS,
    rate: (i, s, amount) => prudentRate(input.channels[i]!, s, amount, draws),
    done: () => input.target !== undefined && kpiAt(input, spend) >= input.target,
  });
}

export function planBudget(input: PlanInput): Plan {
  if (input.moves?.length && (input.total !== undefined || input.target !== undefined))
    throw new BearingError('usage', 'give moves (a scenario) or a total or target (an allocation), not both');
  const limits = limitsOf(input);
  const mode = input.moves?.length ? 'scenario' : input.target !== undefined ? 'target' : 'allocation';
  const proposed = mode === 'scenario' ? afterMoves(input, input.moves!) : allocate(input, limits);
  const warnings: string[] = [];
  input.channels.forEach((c, i) => {
    if (mode === 'scenario' && (proposed[i]! < limits[i]!.min - 1e-6 || proposed[i]! > limits[i]!.max + 1e-6))
      warnings.push(
        `${c.channel}: the scenario puts it at ${(proposed[i]! / Math.max(c.current, 1e-9)).toFixed(2)}× today's ` +
          'spend, outside the range the curves were fitted near (half to twice today’s); read its change loosely',
      );
  });
  const D = Math.min(...input.channels.map((c) => c.draws.length));
  const change = (i: number, d: number) => {
    const c = input.channels[i]!;
    const curve = d < 0 ? c.point : c.draws[d]!;
    return respond(curve, proposed[i]!) - respond(curve, c.current);
  };
  const channels: PlanChannel[] = input.channels.map((c, i) => ({
    channel: c.channel,
    kind: c.kind,
    current: c.current,
    proposed: proposed[i]!,
    min: limits[i]!.min,
    max: Number.isFinite(limits[i]!.max) ? limits[i]!.max : null,
    kpi_change: expectedResponse(c, proposed[i]!) - expectedResponse(c, c.current),
    kpi_change_ci: D ? interval(Array.from({ length: D }, (_, d) => change(i, d))) : [change(i, -1), change(i, -1)],
  }));
  const kpiCurrent = kpiAt(
    input,
    input.channels.map((c) => c.current),
  );
  const uplift = sum(channels.map((c) => c.kpi_change));
  const upliftCi: [number, number] = D
    ? interval(Array.from({ length: D }, (_, d) => sum(input.channels.map((_, i) => change(i, d)))))
    : [uplift, uplift];
  const pct = (v: number) => (kpiCurrent !== 0 ? v / Math.abs(kpiCurrent) : null);
  return {
    mode,
    total_current: sum(input.channels.map((c) => c.current)),
    total_proposed: sum(proposed),
    channels,
    kpi_current: kpiCurrent,
    kpi_proposed: kpiCurrent + uplift,
    kpi_proposed_ci: [kpiCurrent + upliftCi[0], kpiCurrent + upliftCi[1]],
    uplift,
    uplift_ci: upliftCi,
    uplift_pct: pct(uplift),
    uplift_pct_ci: kpiCurrent !== 0 ? [pct(upliftCi[0])!, pct(upliftCi[1])!] : null,
    baseline: input.baseline,
    target_reached: mode === 'target' ? kpiAt(input, proposed) >= input.target! : null,
    warnings,
  };
}
