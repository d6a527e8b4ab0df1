// How spend turns into effect in a media-mix model: carry-over (geometric adstock: this week's
// effect includes a share θ of last week's) and diminishing returns (Hill saturation: the effect
// of a week's adstocked spend a is a^α / (a^α + K^α), half its ceiling at K). Pure.

export interface Shape {
  /** Carry-over: the share of last week's adstock that remains this week (0 = none). */
  theta: number;
  /** Half-saturation, as a multiple of the channel's mean adstocked spend over weeks it spent. */
  gamma: number;
  /** Steepness of the saturation curve (1 = concave from the start, 2 = S-shaped). */
  alpha: number;
}

/** The grid each channel's shape is chosen from (the planted worlds use values on it). */
export const THETAS = [0, 0.2, 0.4, 0.6, 0.8];
export const GAMMAS = [0.5, 1, 2, 4];
export const ALPHAS = [1, 2];

export function adstock(spend: readonly number[], theta: number): number[] {
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

/** A channel's effect feature: saturation of adstocked spend, week by week. */
export function feature(spend: readonly number[], shape: Shape): { values: number[]; k: number } {
  const a = adstock(spend, shape.theta);
  const k = halfSaturation(a, shape.gamma);
  return { values: a.map((x) => hill(x, k, shape.alpha)), k };
}

/** Steady-state weekly response to a constant weekly spend s, for coefficient beta. */
export const steadyResponse = (s: number, beta: number, k: number, shape: Pick<Shape, 'theta' | 'alpha'>) =>
  beta * hill(s / (1 - shape.theta), k, shape.alpha);
