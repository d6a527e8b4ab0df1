// Why a number moved: a change between two windows of months split by the values of a dimension.
// Pure: numbers in, numbers out (sentences are built in ./sentence.ts).
//
// Totals (sums, counts) add up across groups, so each group's contribution is its own change.
// Rates and averages are a weighted mean of the groups' values, V = Σ s_g·v_g with s_g a group's share
// of the weight (its rows, or a ratio's denominator), and the change splits exactly (shift-share) into
//   rate_g = s̄_g·(v_g,B − v_g,A)        the group's own value moved
//   mix_g  = (s_g,B − s_g,A)·(v̄_g − V̄)  the group's share moved, counted by how far it sits from the whole
// with bars the mean of the two windows. Σ(rate + mix) = V_B − V_A exactly because Σ Δs = 0.
//
// Noise: the same decomposition is run on earlier pairs of windows (the compared pair moved back one
// month at a time, up to PLACEBO_SHIFTS months): a contribution is a driver only when it stands out
// from how that group's contribution varied in those earlier comparisons, with a Bonferroni bound over
// every contribution the answer tests, so noise alone names no driver in 95% of readings.
import { Z95 } from '../normal.ts';
import { studentQuantile } from './quantiles.ts';

export type DecompositionKind = 'sum' | 'mean';

/** One group's value in one period; `weight` is what a mean weighs it by (rows or a denominator). */
export interface GroupPoint {
  group: string;
  value: number | null;
  weight: number;
}

/** One dimension's groups, period by period (index = position in the periods list). */
export interface DimensionInput {
  dimension: string;
  periods: GroupPoint[][];
}

export interface Windows {
  /** Indexes into the periods of the base window (A) and of the compared window (B). */
  base: number[];
  current: number[];
}

export interface Contribution {
  dimension: string;
  value: string;
  kind: 'mix' | 'rate' | 'total';
  contribution: number;
  /** 95% interval: the contribution ± 1.96 times how it varied between earlier comparisons (null: too few). */
  contribution_ci: [number, number] | null;
  share_of_change: number | null;
  /** Beyond noise, with the bound over every contribution tested. */
  driver: boolean;
  /** How many earlier-comparison spreads the tested change stands from zero (absent: no spread). */
  strength?: number;
  /** The group's value (a total or a mean) in the base and compared windows, and its share of the weight. */
  before: number | null;
  after: number | null;
  share_before: number | null;
  share_after: number | null;
}

export const PLACEBO_SHIFTS = 24;
export const MIN_PLACEBOS = 6;

interface WindowValue {
  value: number;
  weight: number;
}

/** A group's (or the whole's) value over a window: the sum of its periods, or their weighted mean. */
function windowValue(points: Array<GroupPoint | undefined>, kind: DecompositionKind): WindowValue | null {
  let weight = 0;
  let total = 0;
  for (const p of points) {
    if (!p || p.value === null || !Number.isFinite(p.value)) continue;
    if (kind === 'sum') {
      total += p.value;
      weight += p.weight;
    } else if (p.weight > 0) {
      total += p.value * p.weight;
      weight += p.weight;
    }
  }
  if (kind === 'sum') return { value: total, weight };
  return weight > 0 ? { value: total / weight, weight } : null;
}

/**
 * A contribution before its noise is read, with what the noise test looks at: a total's own change,
 * a rate's change of the group's value, a mix's change of the group's share (and, for a mix, the
 * group's distance from the whole, which must itself be steady for the share move to matter).
 */
type Raw = Omit<Contribution, 'contribution_ci' | 'driver' | 'share_of_change'> & {
  stat: number;
  /** contribution = factor × stat, so the stat's noise carries to the contribution. */
  factor: number;
  gap?: number;
};

/** The exact split of one dimension's change between two windows; contributions sum to V_B − V_A. */
export function splitChange(input: DimensionInput, windows: Windows, kind: DecompositionKind): Raw[] {
  const groups = new Set<string>();
  for (const i of [...windows.base, ...windows.current]) for (const p of input.periods[i] ?? []) groups.add(p.group);
  const pick = (idx: number[], g: string) => idx.map((i) => input.periods[i]?.find((p) => p.group === g));
  const values = [...groups].map((g) => ({
    g,
    a: windowValue(pick(windows.base, g), kind),
    b: windowValue(pick(windows.current, g), kind),
  }));
  const { dimension } = input;
  if (kind === 'sum') {
    return values.map(({ g, a, b }) => ({
      dimension,
      value: g,
      kind: 'total' as const,
      contribution: (b?.value ?? 0) - (a?.value ?? 0),
      stat: (b?.value ?? 0) - (a?.value ?? 0),
      factor: 1,
      before: a?.value ?? 0,
      after: b?.value ?? 0,
      share_before: null,
      share_after: null,
    }));
  }
  const weightA = values.reduce((s, x) => s + (x.a?.weight ?? 0), 0);
  const weightB = values.reduce((s, x) => s + (x.b?.weight ?? 0), 0);
  if (weightA <= 0 || weightB <= 0) return [];
  const shares = values.map(({ g, a, b }) => {
    // A group seen in one window only has no own change: all of its contribution is its share moving.
    const va = a?.value ?? b!.value;
    const vb = b?.value ?? a!.value;
    // A mean's noise shrinks with its weight: its change is tested per unit of 1/√weight, so a group
    // that shrank is not read as having moved because it became noisier.
    const noise = a && b ? Math.sqrt(1 / a.weight + 1 / b.weight) : 1;
    const sa = (a?.weight ?? 0) / weightA;
    const sb = (b?.weight ?? 0) / weightB;
    return { g, va, vb, sa, sb, noise, seenA: !!a, seenB: !!b };
  });
  const whole = (shares.reduce((s, x) => s + x.sa * x.va, 0) + shares.reduce((s, x) => s + x.sb * x.vb, 0)) / 2;
  return shares.flatMap((x) => {
    const common = {
      dimension,
      value: x.g,
      before: x.seenA ? x.va : null,
      after: x.seenB ? x.vb : null,
      share_before: x.sa,
      share_after: x.sb,
    };
    const gap = (x.va + x.vb) / 2 - whole;
    const share = (x.sa + x.sb) / 2;
    return [
      {
        ...common,
        kind: 'rate' as const,
        contribution: share * (x.vb - x.va),
        stat: (x.vb - x.va) / x.noise,
        factor: share * x.noise,
      },
      { ...common, kind: 'mix' as const, contribution: (x.sb - x.sa) * gap, stat: x.sb - x.sa, factor: gap, gap },
    ];
  });
}

/** The whole's value over each window and the change between them. */
export function totalChange(
  totals: Array<GroupPoint | undefined>,
  windows: Windows,
  kind: DecompositionKind,
): { before: number; after: number; change: number } | null {
  const a = windowValue(
    windows.base.map((i) => totals[i]),
    kind,
  );
  const b = windowValue(
    windows.current.map((i) => totals[i]),
    kind,
  );
  if (!a || !b) return null;
  return { before: a.value, after: b.value, change: b.value - a.value };
}

/** The compared pair moved back by 1, 2, … months, while both its windows stay inside the data. */
export function placeboWindows(windows: Windows, shifts = PLACEBO_SHIFTS): Windows[] {
  const first = Math.min(...windows.base, ...windows.current);
  const out: Windows[] = [];
  for (let s = 1; s <= shifts && first - s >= 0; s++)
    out.push({ base: windows.base.map((i) => i - s), current: windows.current.map((i) => i - s) });
  return out;
}

const keyOf = (c: { dimension: string; value: string; kind: string }) =>
  `${c.dimension}\u0000${c.value}\u0000${c.kind}`;

/** Each contribution's tested quantity (and a mix's gap) in every earlier comparison; absent = 0. */
function placeboSpread(dims: DimensionInput[], pairs: Windows[], kind: DecompositionKind) {
  const seen = new Map<string, { stat: number[]; gap: number[] }>();
  pairs.forEach((pair, k) => {
    for (const dim of dims)
      for (const c of splitChange(dim, pair, kind)) {
        const entry = seen.get(keyOf(c)) ?? { stat: new Array<number>(pairs.length).fill(0), gap: [] };
        entry.stat[k] = c.stat;
        if (c.gap !== undefined) entry.gap.push(c.gap);
        seen.set(keyOf(c), entry);
      }
  });
  return seen;
}

function sd(xs: number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
}

export interface Decomposition {
  before: number;
  after: number;
  change: number;
  /** 95% interval of the whole change from how it varied between the earlier comparisons (null: too few). */
  change_ci: [number, number] | null;
  contributions: Contribution[];
  /** Earlier comparisons the noise was read from. */
  placebos: number;
  /** The bound a contribution must pass, in earlier-comparison standard deviations. */
  threshold: number | null;
  /**
   * The dimensions in the order their drivers are read (see orderDimensions).
   */
  order: string[];
}

interface Noise {
  threshold: number | null;
  spread: Map<string, { stat: number[]; gap: number[] }>;
}

/** Each contribution's interval and driver flag, from the earlier comparisons' spread. */
function judge(raw: Raw[], noise: Noise, change: number): Array<Contribution & { se?: number }> {
  const { threshold, spread } = noise;
  const enough = threshold !== null;
  return raw.map(({ stat, gap, factor, ...c }) => {
    const s = spread.get(keyOf(c));
    // A group absent from every earlier comparison never moved before: any change of it stands out.
    const scale = s ? sd(s.stat) : enough ? 0 : Number.NaN;
    const ok = enough && Number.isFinite(scale);
    const half = Math.abs(factor) * Z95 * scale;
    const steadyGap = gap === undefined || (s !== undefined && s.gap.length > 1 && Math.abs(gap) > Z95 * sd(s.gap));
    const out: Contribution & { se?: number } = {
      ...c,
      contribution_ci: ok ? [c.contribution - half, c.contribution + half] : null,
      share_of_change: change !== 0 ? c.contribution / change : null,
      driver: ok && steadyGap && Math.abs(stat) > threshold! * scale && Math.abs(c.contribution) > 1e-12,
    };
    if (ok && scale > 0) out.strength = Math.abs(stat) / scale;
    // A rate's own change (after − before) and its spread, for the heterogeneity of the dimension.
    if (ok && c.kind === 'rate' && c.before !== null && c.after !== null && factor !== 0)
      out.se = (Math.abs(factor) / ((c.share_before! + c.share_after!) / 2)) * scale;
    return out;
  });
}

/**
 * The order dimensions are read in. A fall in one segment echoes as a smaller, even fall in every
 * region. What sets the segment apart is that its groups moved differently from one another: the
 * rates' heterogeneity (Cochran's Q over the groups' own changes, as a z-score), or a share that moved
 * far beyond its noise (a mix driver's strength), or, for totals, the strongest driver.
 */
function orderDimensions(dims: string[], judged: Array<Contribution & { se?: number }>): string[] {
  const score = new Map<string, number>();
  for (const dimension of dims) {
    const mine = judged.filter((c) => c.dimension === dimension);
    if (!mine.some((c) => c.driver)) continue;
    const rates = mine.filter((c) => c.se !== undefined && c.se > 0);
    let best = Math.max(0, ...mine.filter((c) => c.driver && c.kind !== 'rate').map((c) => c.strength ?? 1e9));
    if (rates.length > 1) {
      const w = rates.map((c) => 1 / c.se! ** 2);
      const x = rates.map((c) => c.after! - c.before!);
      const mean = x.reduce((s, xi, i) => s + w[i]! * xi, 0) / w.reduce((s, wi) => s + wi, 0);
      const q = x.reduce((s, xi, i) => s + w[i]! * (xi - mean) ** 2, 0);
      const df = rates.length - 1;
      best = Math.max(best, (q - df) / Math.sqrt(2 * df));
    }
    score.set(dimension, best);
  }
  return [...dims].sort((x, y) => (score.get(y) ?? -Infinity) - (score.get(x) ?? -Infinity));
}

/**
 * Every dimension's split of the change, drivers first (in their dimension's order, then by size),
 * each with its interval and whether it is a driver. Null when either window has no value.
 */
export function decompose(
  totals: Array<GroupPoint | undefined>,
  dims: DimensionInput[],
  windows: Windows,
  kind: DecompositionKind,
): Decomposition | null {
  const whole = totalChange(totals, windows, kind);
  if (!whole) return null;
  const raw = dims.flatMap((d) => splitChange(d, windows, kind));
  const pairs = placeboWindows(windows).filter((p) => totalChange(totals, p, kind));
  const enough = pairs.length >= MIN_PLACEBOS;
  const spread = enough ? placeboSpread(dims, pairs, kind) : new Map<string, { stat: number[]; gap: number[] }>();
  const tested = raw.filter((c) => c.contribution !== 0 || spread.has(keyOf(c))).length;
  const threshold = enough ? studentQuantile(1 - 0.05 / (2 * Math.max(1, tested)), pairs.length - 1) : null;
  const wholeSpread = enough ? sd(pairs.map((p) => totalChange(totals, p, kind)!.change)) : Number.NaN;
  const judged = judge(raw, { threshold, spread }, whole.change);
  const order = orderDimensions(
    dims.map((d) => d.dimension),
    judged,
  );
  const rank = new Map(order.map((d, i) => [d, i]));
  const contributions = judged
    .map(({ se: _se, ...c }) => c)
    .sort(
      (x, y) =>
        Number(y.driver) - Number(x.driver) ||
        (x.driver ? rank.get(x.dimension)! - rank.get(y.dimension)! : 0) ||
        Math.abs(y.contribution) - Math.abs(x.contribution),
    );
  return {
    order,
    ...whole,
    change_ci: Number.isFinite(wholeSpread)
      ? [whole.change - Z95 * wholeSpread, whole.change + Z95 * wholeSpread]
      : null,
    contributions,
    placebos: pairs.length,
    threshold,
  };
}
