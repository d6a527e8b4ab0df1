// Continuous shapes around the grid. A fit chooses each channel's carry-over and saturation from a
// grid; a bootstrap refit draws a grid point by how well it fits and then a shape anywhere in that
// point's cell (the shapes nearer it than any other grid point, coordinate by coordinate), so the
// intervals carry shapes between the grid's points too: a planted γ of 1.5 or θ of 0.55 is a shape
// some refits use. θ and α are drawn uniformly in their cell, γ (a multiple of the mean spend,
// spaced by doubling) uniformly on a log scale. Pure.
import type { Shape } from './transform.ts';

interface Bounds {
  low: number;
  high: number;
}

/** Each value's cell on a line: halfway to its neighbours, and as far again past the ends. */
function cells(values: number[], log: boolean): Map<number, Bounds> {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const at = (v: number) => (log ? Math.log(v) : v);
  const back = (v: number) => (log ? Math.exp(v) : v);
  const out = new Map<number, Bounds>();
  sorted.forEach((v, i) => {
    const x = at(v);
    const prev = i > 0 ? at(sorted[i - 1]!) : null;
    const next = i < sorted.length - 1 ? at(sorted[i + 1]!) : null;
    // An end reaches as far past its point as the cell's other side reaches (a lone value: no cell).
    const below = prev !== null ? (x - prev) / 2 : next !== null ? (next - x) / 2 : 0;
    const above = next !== null ? (next - x) / 2 : below;
    out.set(v, { low: back(x - below), high: back(x + above) });
  });
  return out;
}

/** Carry-over stays below this: a week's spend that never fades is not a carry-over. */
const THETA_CEILING = 0.9;

export interface ShapeCells {
  draw(shape: Shape, rand: () => number): Shape;
}

/** Each carry-over's cell, per delay (a delayed shape's θ is on a grid of its own). */
function thetaCells(grid: readonly Shape[]): Map<number, Map<number, Bounds>> {
  const byDelay = new Map<number, Map<number, Bounds>>();
  for (const delay of new Set(grid.map((s) => s.delay ?? 0)))
    byDelay.set(
      delay,
      cells(
        grid.filter((s) => (s.delay ?? 0) === delay).map((s) => s.theta),
        false,
      ),
    );
  return byDelay;
}

export function shapeCells(grid: readonly Shape[]): ShapeCells {
  const byDelay = thetaCells(grid);
  const gammas = cells(
    grid.map((s) => s.gamma),
    true,
  );
  const alphas = cells(
    grid.map((s) => s.alpha),
    false,
  );
  const uniform = (b: Bounds, u: number) => b.low + (b.high - b.low) * u;
  return {
    draw(shape, rand) {
      const t = byDelay.get(shape.delay ?? 0)!.get(shape.theta)!;
      const theta = uniform({ low: Math.max(0, t.low), high: Math.min(THETA_CEILING, t.high) }, rand());
      const g = gammas.get(shape.gamma)!;
      const gamma = Math.exp(uniform({ low: Math.log(g.low), high: Math.log(g.high) }, rand()));
      const a = alphas.get(shape.alpha)!;
      const alpha = uniform({ low: Math.max(0.5, a.low), high: a.high }, rand());
      return { ...shape, theta, gamma, alpha };
    },
  };
}

/** An index drawn from probabilities that sum to 1. */
export function pick(weights: number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/**
 * Each shape's chance given the data, from how much worse it fits than the best: exp(−Δ/2σ²) times
 * its prior weight (1 each when none is given), summing to 1.
 */
export function fitWeights(objectives: readonly number[], noise: number, prior?: readonly number[]): number[] {
  const best = Math.min(...objectives);
  const w = objectives.map((o, i) => Math.exp(-(o - best) / (2 * noise)) * (prior?.[i] ?? 1));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/**
 * The carry-over prior: PyMC-Marketing's default for geometric adstock's retention rate, Beta(1, 3)
 * (density 3(1 − θ)², median 0.21): most of a week's effect fades within a few weeks, and a long
 * carry-over has to be shown by the data rather than fill in for what the baseline misses.
 */
export const carryOverDensity = (theta: number) => 3 * (1 - theta) ** 2;
/** What the prior adds to a fit's squared error for a shape (2σ² × −log of its density): the point fit's penalty. */
export const carryOverCost = (theta: number, noise: number) => -2 * noise * Math.log(carryOverDensity(theta));
const carryOverCdf = (theta: number) => 1 - (1 - Math.min(1, Math.max(0, theta))) ** 3;

/** Each grid shape's prior weight: the carry-over prior's mass over its θ cell. */
export function gridPrior(grid: readonly Shape[]): number[] {
  const byDelay = thetaCells(grid);
  return grid.map((s) => {
    const b = byDelay.get(s.delay ?? 0)!.get(s.theta)!;
    return carryOverCdf(Math.min(THETA_CEILING, b.high)) - carryOverCdf(Math.max(0, b.low));
  });
}
