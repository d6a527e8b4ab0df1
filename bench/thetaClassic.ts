// The textbook Theta method as most users would run it: R's forecast::thetaf (Hyndman & Billah,
// 2003), written here for the comparison. On the raw scale: when the lag-12 autocorrelation test
// (90%) finds a yearly cycle, a classical multiplicative decomposition over the whole history
// adjusts the series; simple exponential smoothing (weight and starting level by least squares)
// plus half the least-squares slope, times last year's month indices; the band is the smoothing
// model's own (normal, σ·√(1 + α²(h − 1)), σ from its one-step errors). Unlike Bearing's Theta
// candidate it neither works on the log scale nor sizes its band from out-of-sample errors.
import jstat from 'jstat';
import { acf } from '../metrics/heading/ensemble.ts';
import { leastSquaresLine } from '../metrics/heading/smoothing.ts';
import { normalCdf } from '../metrics/normal.ts';
import type { Method, Predictive } from './forecastScore.ts';

const SEASON = 12;
const Z90 = 1.6448536269514722;

/** forecast::thetaf's test: |r12| over its standard error (Bartlett, lags 1–11) beyond the 90% point. */
function hasCycle(x: number[]): boolean {
  const n = x.length;
  if (n <= 2 * SEASON || x.every((v) => v === x[0])) return false;
  const r = Array.from({ length: SEASON }, (_, k) => acf(x, k + 1));
  const se = Math.sqrt((1 + 2 * r.slice(0, SEASON - 1).reduce((s, v) => s + v * v, 0)) / n);
  return Math.abs(r[SEASON - 1]!) / se > Z90;
}

/** Month-position indices of a classical multiplicative decomposition (2×12 moving average), mean 1. */
function multiplicativeIndices(x: number[]): number[] | null {
  const sums = new Array<number>(SEASON).fill(0);
  const counts = new Array<number>(SEASON).fill(0);
  for (let i = 6; i < x.length - 6; i++) {
    let trend = (x[i - 6]! + x[i + 6]!) / 2;
    for (let j = i - 5; j <= i + 5; j++) trend += x[j]!;
    trend /= SEASON;
    if (trend === 0 || !Number.isFinite(trend)) return null;
    sums[i % SEASON]! += x[i]! / trend;
    counts[i % SEASON]!++;
  }
  const raw = sums.map((s, k) => s / counts[k]!);
  const mean = raw.reduce((a, b) => a + b, 0) / SEASON;
  const out = raw.map((v) => v / mean);
  return out.every((v) => Number.isFinite(v) && Math.abs(v) >= 1e-4) ? out : null;
}

/** SES with the weight found by golden-section search and the starting level solved exactly for each weight. */
function sesFit(y: number[]): { alpha: number; level: number; sigma: number } {
  const run = (alpha: number) => {
    // Levels from a start of 0, and how a start of 1 would carry: residual_t = u_t − g_t·l0.
    let l = 0;
    let g = 1;
    let ug = 0;
    let gg = 0;
    const u: number[] = [];
    const gs: number[] = [];
    for (const v of y) {
      u.push(v - l);
      gs.push(g);
      ug += (v - l) * g;
      gg += g * g;
      l += alpha * (v - l);
      g *= 1 - alpha;
    }
    const l0 = ug / gg;
    let sse = 0;
    for (let i = 0; i < y.length; i++) sse += (u[i]! - gs[i]! * l0) ** 2;
    return { sse, level: l + g * l0 };
  };
  let best = 1e-4;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let a = 0.05; a < 1; a += 0.05) {
    const { sse } = run(a);
    if (sse < bestSse) [best, bestSse] = [a, sse];
  }
  let lo = Math.max(1e-4, best - 0.05);
  let hi = Math.min(0.9999, best + 0.05);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (run(a).sse < run(b).sse) hi = b;
    else lo = a;
  }
  const alpha = (lo + hi) / 2;
  const { sse, level } = run(alpha);
  return { alpha, level, sigma: Math.sqrt(sse / y.length) };
}

export const thetaClassic: Method = (history): Predictive => {
  const n = history.length;
  const indices = hasCycle(history) ? multiplicativeIndices(history) : null;
  const adjusted = indices ? history.map((v, i) => v / indices[i % SEASON]!) : history;
  const { alpha, level, sigma } = sesFit(adjusted);
  const drift = leastSquaresLine(adjusted).slope / 2;
  const index = (h: number) => (indices ? indices[(n - 1 + h) % SEASON]! : 1);
  const mean = (h: number) => (level + drift * (h - 1 + (1 - (1 - alpha) ** n) / alpha)) * index(h);
  const sd = (h: number) => Math.max(sigma * Math.sqrt(1 + alpha * alpha * (h - 1)) * Math.abs(index(h)), 1e-12);
  const cdf = (h: number, x: number) => normalCdf((x - mean(h)) / sd(h));
  return {
    median: mean,
    cdf,
    quantile: (h, q) => jstat.jStat.normal.inv(q, mean(h), sd(h)),
  };
};
