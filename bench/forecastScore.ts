// Goals on real series with a known future, scored the way issue #26 asks: for each series, goals
// due 6, 12 and 18 months after its last month with targets 0.9–1.2 × its last value; each
// method's chance of meeting the target against what then happened (ECE over 10 bins, Brier),
// its median forecast for months 1–18 (sMAPE), how often its 95% band held those months, the
// share of goals read "on course" (chance ≥ 70%) that were met, and bounds below zero on series
// that never went below it.
import { acf } from '../metrics/heading/ensemble.ts';
import type { RealSeries } from './forecastData.ts';

export interface Predictive {
  median(h: number): number;
  quantile(h: number, q: number): number;
  /** P(value h months ahead ≤ x). */
  cdf(h: number, x: number): number;
}

export type Method = (history: number[], months: number[]) => Predictive;

export const DUE_MONTHS = [6, 12, 18] as const;
export const TARGET_FACTORS = [0.9, 0.975, 1.05, 1.125, 1.2] as const;
const MONTHS_SCORED = 18;

export interface Score {
  goals: number;
  ece: number;
  brier: number;
  smape: number;
  coverage95: number;
  coverageByGroup: Record<string, number>;
  onCourse: number;
  onCourseMet: number;
  /** Share of months whose 95% band reaches below zero, on the series that never went below zero. */
  belowZero: number;
  /** Reliability: per tenth of chance, goals, mean chance, share met. */
  bins: Array<{ n: number; p: number; met: number }>;
  /** Every goal's chance and outcome, for the intervals (bench/forecastUncertainty.ts); not written out. */
  detail: GoalScore[];
}

/**
 * One goal: its series (the unit resampled), origin (months of history), cut-off (months moved back
 * from the set's own), months to due, chance stated, outcome.
 */
export interface GoalScore {
  series: string;
  origin: number;
  cutoff: number;
  due: number;
  p: number;
  met: boolean;
}

/**
 * Expected calibration error over 10 equal bins of chance (|mean chance − share met|, weighted by
 * goals) and Brier score of the goals at `picked[0..length)` (every goal when omitted). On typed
 * arrays: the bench's intervals (forecastUncertainty.ts) call this 1,000 times a method.
 */
export function calibrationOf(
  p: Float64Array,
  met: Uint8Array,
  picked?: Int32Array,
  length = picked ? picked.length : p.length,
): { ece: number; brier: number } {
  const sp = new Float64Array(10);
  const sy = new Float64Array(10);
  let brier = 0;
  for (let k = 0; k < length; k++) {
    const i = picked ? picked[k]! : k;
    const b = Math.min(9, Math.floor(p[i]! * 10));
    sp[b]! += p[i]!;
    sy[b]! += met[i]!;
    brier += (p[i]! - met[i]!) ** 2;
  }
  let ece = 0;
  for (let b = 0; b < 10; b++) ece += Math.abs(sp[b]! - sy[b]!);
  return length ? { ece: ece / length, brier: brier / length } : { ece: Number.NaN, brier: Number.NaN };
}

type Goals = ReadonlyArray<{ p: number; met: boolean }>;
const typed = (goals: Goals) =>
  [Float64Array.from(goals, (g) => g.p), Uint8Array.from(goals, (g) => (g.met ? 1 : 0))] as const;
export const eceOf = (goals: Goals) => calibrationOf(...typed(goals)).ece;
export const brierOf = (goals: Goals) => calibrationOf(...typed(goals)).brier;

const monthsOf = (s: RealSeries) => s.history.map((_, i) => ((s.startMonth - 1 + i) % 12) + 1);

/**
 * Categories for coverage: series with a clear yearly cycle and the rest, by the autocorrelation
 * of month-on-month changes 12 months apart (above 0.3), a rule independent of any method scored.
 */
export function groupOf(s: RealSeries): string {
  const diffs = s.history.slice(1).map((v, i) => v - s.history[i]!);
  return acf(diffs, 12) > 0.3 ? 'seasonal' : 'no clear yearly cycle';
}

export function scoreMethod(
  series: RealSeries[],
  method: Method,
  progress?: (done: number, of: number) => void,
): Score {
  const probs: GoalScore[] = [];
  let smapeSum = 0;
  let smapeN = 0;
  // Lower bounds below zero, counted on the series that never went below zero (their domain).
  let belowZero = 0;
  let nonNegativeMonths = 0;
  const held: Record<string, { n: number; k: number }> = {};
  for (const [i, s] of series.entries()) {
    progress?.(i, series.length);
    const f = method(s.history, monthsOf(s));
    const last = s.history.at(-1)!;
    const groups = [groupOf(s), ...(s.category ? [s.category] : [])];
    const nonNegative = s.history.every((v) => v >= 0);
    for (const group of groups) held[group] = held[group] ?? { n: 0, k: 0 };
    for (let h = 1; h <= MONTHS_SCORED; h++) {
      const a = s.future[h - 1]!;
      const m = f.median(h);
      const denom = Math.abs(a) + Math.abs(m);
      smapeSum += denom > 0 ? (200 * Math.abs(a - m)) / denom : 0;
      smapeN++;
      const lo = f.quantile(h, 0.025);
      const hi = f.quantile(h, 0.975);
      if (nonNegative) {
        nonNegativeMonths++;
        if (lo < 0) belowZero++;
      }
      for (const group of groups) {
        held[group]!.n++;
        if (a >= lo && a <= hi) held[group]!.k++;
      }
    }
    for (const h of DUE_MONTHS)
      for (const factor of TARGET_FACTORS) {
        const target = factor * last;
        const p = Math.min(1, Math.max(0, 1 - f.cdf(h, target)));
        probs.push({
          series: s.id,
          origin: s.history.length,
          cutoff: s.back ?? 0,
          due: h,
          p,
          met: s.future[h - 1]! >= target,
        });
      }
  }
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { p, met } of probs) {
    const b = bins[Math.min(9, Math.floor(p * 10))]!;
    b.n++;
    b.p += p;
    b.y += met ? 1 : 0;
  }
  const on = probs.filter((x) => x.p >= 0.7);
  const total = ['seasonal', 'no clear yearly cycle']
    .map((g) => held[g] ?? { n: 0, k: 0 })
    .reduce((a, b) => ({ n: a.n + b.n, k: a.k + b.k }), { n: 0, k: 0 });
  return {
    goals: probs.length,
    ...calibrationOf(...typed(probs)),
    smape: smapeSum / smapeN,
    coverage95: total.k / total.n,
    coverageByGroup: Object.fromEntries(Object.entries(held).map(([k, v]) => [k, v.k / v.n])),
    onCourse: on.length,
    onCourseMet: on.length ? on.filter((x) => x.met).length / on.length : Number.NaN,
    belowZero: nonNegativeMonths ? belowZero / nonNegativeMonths : 0,
    bins: bins.map((b) => ({ n: b.n, p: b.n ? b.p / b.n : 0, met: b.n ? b.y / b.n : 0 })),
    detail: probs,
  };
}
