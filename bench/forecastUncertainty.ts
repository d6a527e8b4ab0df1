// How far the bench's calibration figures could move by chance, so that "ECE 0.033 against an aim
// of 0.03" or "Brier 0.002 behind Theta" is read with its uncertainty:
// - intervals by resampling whole series (a series' 15 goals, and its goals from other cut-offs,
//   rise and fall together, so the series is the unit drawn), and for each peer the difference in
//   Brier score on the same resampled series (paired);
// - the ECE a perfectly calibrated forecaster would show on these very goals: each goal met with
//   exactly its stated chance, one draw per series, cut-off and due date shared by its five targets (a
//   higher target is met only when every lower one is), as a real future would be.
// What this cannot show: a shock common to every series after one cut-off (tourism growing on,
// the hospital counts levelling off) is one draw, not many; resampling series leaves it in every
// resample. The bench's earlier cut-offs (`--back`) are the only measure of that, and the gap each
// cut-off shares (forecastShift.ts) its size: this file says how large a calibrated forecaster's is.
import { mulberry32 } from '../metrics/heading/random.ts';
import { brierOf, calibrationOf, type GoalScore } from './forecastScore.ts';
import { byCutoff, eceWithin, gapsOf, logit } from './forecastShift.ts';

const REPS = 1000;
/**
 * Fewer resamples on a set so large that its intervals are a few thousandths wide anyway: the work
 * (resamples × goals) held near that of 1,000 resamples of 100,000 goals, and never under 200. M4's
 * 48,000 series (720,000 goals, five methods) took 5 minutes here at 1,000.
 */
const MIN_REPS = 200;
const GOAL_DRAWS = 1e8;
export const repsFor = (goals: number) => Math.max(MIN_REPS, Math.min(REPS, Math.round(GOAL_DRAWS / goals)));
/**
 * Draws for the calibrated forecaster's ECE with the gaps out (each a search per cut-off, the
 * slowest part): a fifth of the resamples, 200 at 1,000, 40 on a set of M4's size.
 */
const withinReps = (reps: number) => Math.round(reps / 5);
const SEED = 20261206;

export interface Interval {
  low: number;
  high: number;
}

export interface Uncertainty {
  /** Whole-series resamples behind the intervals (repsFor). */
  resamples: number;
  /** 95% intervals of ECE and Brier by method, series resampled. */
  ece: Record<string, Interval>;
  brier: Record<string, Interval>;
  /** Brier(reference) − Brier(peer) on the same resampled series: below 0, the reference is better. */
  brierDifference: Record<string, { value: number } & Interval>;
  /** ECE of a perfectly calibrated forecaster with the reference's chances on these goals: mean and 95th percentile. */
  calibratedEce: { mean: number; p95: number };
  /**
   * The size of share met − mean chance at one cut-off that the same calibrated forecaster exceeds
   * one time in 20 (the largest over the cut-offs): a gap beyond it is not chance (forecastShift.ts).
   */
  calibratedGap: number;
  /** The same forecaster's ECE with each cut-off's gap taken out (forecastShift.ts), from a fifth of the draws. */
  calibratedEceWithin: { mean: number; p95: number };
}

const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
};

export function uncertainty(
  detail: Record<string, GoalScore[]>,
  reference: string,
  progress?: (done: number, of: number) => void,
): Uncertainty {
  const names = Object.keys(detail);
  const ref = detail[reference]!;
  const reps = repsFor(ref.length);
  const p = Object.fromEntries(names.map((n) => [n, Float64Array.from(detail[n]!, (g) => g.p)]));
  const met = Object.fromEntries(names.map((n) => [n, Uint8Array.from(detail[n]!, (g) => (g.met ? 1 : 0))]));
  // Goals by series (every method scores the same goals in the same order).
  const bySeries = new Map<string, number[]>();
  ref.forEach((g, i) => {
    const list = bySeries.get(g.series);
    if (list) list.push(i);
    else bySeries.set(g.series, [i]);
  });
  const groups = [...bySeries.values()];
  const rand = mulberry32(SEED);
  const draws: Record<string, { ece: number[]; brier: number[]; diff: number[] }> = Object.fromEntries(
    names.map((n) => [n, { ece: [], brier: [], diff: [] }]),
  );
  // Room for the largest resample: every draw the largest series.
  const picked = new Int32Array(groups.length * Math.max(...groups.map((g) => g.length)));
  for (let r = 0; r < reps; r++) {
    progress?.(r, 2 * reps);
    let length = 0;
    for (let k = 0; k < groups.length; k++) {
      const g = groups[Math.floor(rand() * groups.length)]!;
      for (const i of g) picked[length++] = i;
    }
    const refScore = calibrationOf(p[reference]!, met[reference]!, picked, length);
    for (const n of names) {
      const sc = n === reference ? refScore : calibrationOf(p[n]!, met[n]!, picked, length);
      draws[n]!.ece.push(sc.ece);
      draws[n]!.brier.push(sc.brier);
      draws[n]!.diff.push(refScore.brier - sc.brier);
    }
  }
  const interval = (xs: number[]) => ({ low: percentile(xs, 0.025), high: percentile(xs, 0.975) });
  const floor = calibratedFloor(ref, p[reference]!, rand, reps, (r) => progress?.(reps + r, 2 * reps));
  return {
    resamples: reps,
    ece: Object.fromEntries(names.map((n) => [n, interval(draws[n]!.ece)])),
    brier: Object.fromEntries(names.map((n) => [n, interval(draws[n]!.brier)])),
    brierDifference: Object.fromEntries(
      names
        .filter((n) => n !== reference)
        .map((n) => [n, { value: brierOf(ref) - brierOf(detail[n]!), ...interval(draws[n]!.diff) }]),
    ),
    ...floor,
  };
}

/**
 * A perfectly calibrated forecaster with these chances: each goal met with exactly its stated
 * chance, one draw per series, cut-off and due date shared by its targets. Its ECE (mean and 95th
 * percentile) and the gap between share met and mean chance it exceeds at a cut-off 5% of the time.
 */
function calibratedFloor(
  ref: GoalScore[],
  p: Float64Array,
  rand: () => number,
  reps: number,
  progress: (done: number) => void,
): Pick<Uncertainty, 'calibratedEce' | 'calibratedGap' | 'calibratedEceWithin'> {
  const N = ref.length;
  // One shared draw per series, cut-off and due date.
  const keys = new Map<string, number>();
  const draw = Int32Array.from(ref, (g) => {
    const key = `${g.series}\u0000${g.origin}\u0000${g.due}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = keys.size;
      keys.set(key, k);
    }
    return k;
  });
  const simulated = new Uint8Array(N);
  const u = new Float64Array(keys.size);
  const calibrated: number[] = [];
  const { cutoffs, group: cutoffOf } = byCutoff(ref);
  const gaps: number[][] = cutoffs.map(() => []);
  const logits = Float64Array.from(p, logit);
  const within: number[] = [];
  for (let r = 0; r < reps; r++) {
    progress(r);
    for (let k = 0; k < u.length; k++) u[k] = rand();
    // Met when the shared draw falls inside the stated chance: nested across a series' targets.
    for (let i = 0; i < N; i++) simulated[i] = u[draw[i]!]! < p[i]! ? 1 : 0;
    calibrated.push(calibrationOf(p, simulated).ece);
    gapsOf(p, simulated, cutoffOf, cutoffs.length).forEach((gap, c) => {
      gaps[c]!.push(Math.abs(gap));
    });
    if (r < withinReps(reps)) within.push(eceWithin(logits, simulated, cutoffOf, cutoffs.length));
  }
  return {
    calibratedEce: { mean: calibrated.reduce((a, b) => a + b, 0) / reps, p95: percentile(calibrated, 0.95) },
    calibratedGap: Math.max(...gaps.map((g) => percentile(g, 0.95))),
    calibratedEceWithin: { mean: within.reduce((a, b) => a + b, 0) / within.length, p95: percentile(within, 0.95) },
  };
}
