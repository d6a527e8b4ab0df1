// How spend turns into effect in a media-mix model: carry-over (geometric adstock: this week's
// effect includes a share θ of last week's; or delayed, peaking `delay` weeks after the spend,
// with weights θ^((l − delay)²) as in Jin et al. 2017 and PyMC-Marketing's delayed_adstock) and
// diminishing returns (Hill saturation: the effect of a week's adstocked spend a is
// a^α / (a^α + K^α), half its ceiling at K). Pure.

export interface Shape {
  /** Carry-over: the share of last week's adstock that remains this week (0 = none). */
  theta: number;
  /** Weeks from spend to its peak effect (delayed carry-over); absent or 0: geometric, peaking at once. */
  delay?: number;
  /** Half-saturation, as a multiple of the channel's mean adstocked spend over weeks it spent. */
  gamma: number;
  /** Steepness of the saturation curve (1 = concave from the start, 2 = S-shaped). */
  alpha: number;
}

/** The grid each channel's shape is chosen from (the planted worlds use values on it). */
export const THETAS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
export const GAMMAS = [0.5, 1, 2, 4];
export const ALPHAS = [1, 2];

/** Delayed carry-over reaches this many weeks past its peak (θ^64 is nothing for θ ≤ 0.8). */
const DELAY_TAIL = 8;

/** The delayed carry-over's weights by lag: θ^((l − delay)²) for l = 0 … delay + 8. */
export function delayedWeights(theta: number, delay: number): number[] {
  return Array.from({ length: delay + DELAY_TAIL + 1 }, (_, l) => theta ** ((l - delay) ** 2));
}

/** What steady weekly spend s becomes once carried over: s × this. */
export function carryMultiplier(shape: Pick<Shape, 'theta' | 'delay'>): number {
  if (shape.delay) return delayedWeights(shape.theta, shape.delay).reduce((a, b) => a + b, 0);
  return 1 / (1 - shape.theta);
}

/**
 * Carried-over spend, period by period. `before` is what was spent in the periods just before the
 * first (oldest first): its carry-over reaches the first periods; only `spend`'s periods are returned.
 */
export function adstock(spend: readonly number[], theta: number, delay = 0, before: readonly number[] = []): number[] {
  if (before.length) return adstock([...before, ...spend], theta, delay).slice(before.length);
  if (delay > 0) {
    const w = delayedWeights(theta, delay);
    return spend.map((_, t) => {
      let a = 0;
      for (let l = 0; l < w.length && l <= t; l++) a += w[l]! * spend[t - l]!;
      return a;
    });
  }
  const out = new Array<number>(spend.length);
  let carried = 0;
  for (let t = 0; t < spend.length; t++) {
    carried = spend[t]! + theta * carried;
    out[t] = carried;
  }
  return out;
}

/** The saturation's K for a channel: gamma × its mean adstocked spend over weeks with any. */
export function halfSaturation(adstocked: readonly number[], gamma: number): number {
  let sum = 0;
  let n = 0;
  for (const a of adstocked)
    if (a > 0) {
      sum += a;
      n++;
    }
  return n ? (gamma * sum) / n : 1;
}

export const hill = (a: number, k: number, alpha: number) => (a <= 0 ? 0 : a ** alpha / (a ** alpha + k ** alpha));

/**
 * A channel's effect feature: saturation of adstocked spend, week by week. `before` is what was
 * spent in the periods just before the first (oldest first): its carry-over reaches the first
 * periods, and the half-saturation is read on the modelled periods alone.
 */
export function feature(
  spend: readonly number[],
  shape: Shape,
  before: readonly number[] = [],
): { values: number[]; k: number } {
  const a = adstock(spend, shape.theta, shape.delay ?? 0, before);
  const k = halfSaturation(a, shape.gamma);
  return { values: a.map((x) => hill(x, k, shape.alpha)), k };
}

/** Steady-state weekly response to a constant weekly spend s, for coefficient beta. */
export const steadyResponse = (s: number, beta: number, k: number, shape: Pick<Shape, 'theta' | 'alpha' | 'delay'>) =>
  beta * hill(s * carryMultiplier(shape), k, shape.alpha);
