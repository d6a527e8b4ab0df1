// How much of a method's miscalibration belongs to the period rather than to the method. When most
// series of a set move the same way after a cut-off (tourism growing on, the hospital counts
// levelling off), every method's chances are off in the same direction, by about as much: that
// is "calibration in the large", the share of goals met minus the mean chance stated, read here
// for each cut-off. Taking that one number per cut-off out (every chance moved on the log-odds
// scale until their mean is the share met) leaves the ECE a method could still improve on by
// reading each series better. A method biased the same way at every cut-off and on every set
// shows the same gap each time; a shock changes sign from one period to the next.
import { calibrationOf, type GoalScore } from './forecastScore.ts';

export interface SharedShift {
  /** By cut-off (months moved back): share of goals met − mean chance stated. */
  gap: Record<string, number>;
  /** ECE with each cut-off's gap taken out. */
  eceWithin: number;
}

/** Log-odds (±Infinity for the certainties 0 and 1, which every move leaves where they are). */
export const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** The goals' cut-offs, in order, and each goal's index among them. */
export function byCutoff(goals: ReadonlyArray<{ cutoff: number }>): { cutoffs: number[]; group: Int32Array } {
  const cutoffs = [...new Set(goals.map((g) => g.cutoff))].sort((a, b) => a - b);
  const index = new Map(cutoffs.map((c, k) => [c, k]));
  return { cutoffs, group: Int32Array.from(goals, (g) => index.get(g.cutoff)!) };
}

/** Share met − mean chance in each group. */
export function gapsOf(p: Float64Array, met: Uint8Array, group: Int32Array, groups: number): Float64Array {
  const sum = new Float64Array(groups);
  const count = new Float64Array(groups);
  for (let i = 0; i < p.length; i++) {
    sum[group[i]!]! += met[i]! - p[i]!;
    count[group[i]!]!++;
  }
  return sum.map((x, g) => x / count[g]!);
}

/**
 * The ECE once each group's chances are moved by one amount on the log-odds scale until their mean
 * is the group's share met. On typed arrays: the calibrated forecaster's figure
 * (forecastUncertainty.ts) calls this for hundreds of simulated outcomes.
 */
export function eceWithin(logits: Float64Array, met: Uint8Array, group: Int32Array, groups: number): number {
  const N = logits.length;
  // Goals met in each group: the sum its chances are moved to.
  const share = new Float64Array(groups);
  for (let i = 0; i < N; i++) share[group[i]!]! += met[i]!;
  // Bisection for every group at once: a group's mean chance rises with its move.
  const lo = new Float64Array(groups).fill(-30);
  const hi = new Float64Array(groups).fill(30);
  const sum = new Float64Array(groups);
  for (let it = 0; it < 40; it++) {
    sum.fill(0);
    for (let i = 0; i < N; i++) {
      const g = group[i]!;
      sum[g]! += logistic(logits[i]! + (lo[g]! + hi[g]!) / 2);
    }
    for (let g = 0; g < groups; g++) {
      if (sum[g]! < share[g]!) lo[g] = (lo[g]! + hi[g]!) / 2;
      else hi[g] = (lo[g]! + hi[g]!) / 2;
    }
  }
  const p = Float64Array.from(logits, (l, i) => logistic(l + (lo[group[i]!]! + hi[group[i]!]!) / 2));
  return calibrationOf(p, met).ece;
}

/** Goals grouped by cut-off: each cut-off's gap, and the ECE once the gaps are taken out. */
export function sharedShift(goals: GoalScore[]): SharedShift {
  const { cutoffs, group } = byCutoff(goals);
  const p = Float64Array.from(goals, (g) => g.p);
  const met = Uint8Array.from(goals, (g) => (g.met ? 1 : 0));
  const gaps = gapsOf(p, met, group, cutoffs.length);
  return {
    gap: Object.fromEntries(cutoffs.map((c, k) => [c, gaps[k]!])),
    eceWithin: eceWithin(Float64Array.from(p, logit), met, group, cutoffs.length),
  };
}
