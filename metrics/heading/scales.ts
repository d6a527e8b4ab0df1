// Which scale a series is modelled on. A quantity that cannot go below zero is read on the log scale
// (changes as proportions of the level). A series that spans more than two orders of magnitude is
// also read on its own scale, and a tenth of the chance comes from there: on the log scale its
// smallest months weigh as much as its largest and the band cannot reach toward zero, so a series
// near zero in some months and in the thousands in others (PBS's safety-net scripts) fell outside
// its band far more often than 5% of months. Pure.
import { forecastWords } from '../words/heading.ts';
import { buildEnsemble, type Ensemble } from './ensemble.ts';

/** Highest month over lowest beyond which the own scale is mixed in (docs/heading.md). */
export const WIDE_RANGE = 100;
/**
 * The own scale's share of the chance. A tenth lifted PBS's band from 91.0% to 94.1% of months at
 * an unchanged sMAPE (17.9%). A fifth or more lifted it little further, pushed its safety-net series'
 * bands past 97% and, from three tenths, cost point accuracy.
 */
export const OWN_SCALE_SHARE = 0.1;

export interface ScaleOptions {
  /** The metric cannot go below zero (counts, money, ratios). */
  positive: boolean;
  horizons: number;
}

/** The series' predictive distribution on the scale (or the mixture of scales) it is read on. */
export function scaledEnsemble(values: number[], months: number[], options: ScaleOptions): Ensemble {
  const onLog = buildEnsemble(values, months, { log: options.positive, horizons: options.horizons });
  const range = rangeOf(values);
  if (onLog.scale !== 'log' || range <= WIDE_RANGE) return onLog;
  const own = buildEnsemble(values, months, { log: false, horizons: options.horizons });
  return { ...mixture(onLog, own, OWN_SCALE_SHARE), ownScale: { share: OWN_SCALE_SHARE, range } };
}

/** Highest over lowest value (every value is above zero when the log scale was used). */
function rangeOf(values: number[]): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi / lo;
}

/** Steps for a mixture's quantile, at most (it usually takes under ten). */
const STEPS = 100;

/**
 * Where an increasing f crosses 0 between lo (f ≤ 0) and hi (f ≥ 0): regula falsi, Illinois
 * variant (an end kept twice has its value halved, so both ends close in). Bisection took 40 steps
 * of two Student t chances each, and readings of wide series took 3.5 times as long as others.
 */
function crossing(f: (x: number) => number, lo: number, hi: number): number {
  let [flo, fhi] = [f(lo), f(hi)];
  if (flo >= 0) return lo;
  if (fhi <= 0) return hi;
  const close = 1e-12 * (hi - lo);
  let kept = 0;
  for (let i = 0; i < STEPS && hi - lo > close; i++) {
    const x = Math.min(hi, Math.max(lo, (lo * fhi - hi * flo) / (fhi - flo)));
    const fx = f(x);
    if (Math.abs(fx) < 1e-12) return x;
    if (fx < 0) {
      [lo, flo] = [x, fx];
      if (kept === -1) fhi /= 2;
      kept = -1;
    } else {
      [hi, fhi] = [x, fx];
      if (kept === 1) flo /= 2;
      kept = 1;
    }
  }
  return (lo + hi) / 2;
}

/**
 * The mixture (1 − share)·a + share·b of two predictive distributions of one series: chances are
 * the weighted chances, quantiles (the median too) solve the mixture's own distribution, so the
 * centre and the band stay one distribution. Each model keeps its weight times its scale's share.
 */
export function mixture(a: Ensemble, b: Ensemble, share: number): Ensemble {
  const cdf = (h: number, x: number) => (1 - share) * a.cdf(h, x) + share * b.cdf(h, x);
  // A reading asks for the same quantiles many times (arrival, course, plan): each is solved once.
  const solved = new Map<string, number>();
  const quantile = (h: number, q: number) => {
    const key = `${Math.round(h)} ${q}`;
    const known = solved.get(key);
    if (known !== undefined) return known;
    const [qa, qb] = [a.quantile(h, q), b.quantile(h, q)];
    // The mixture's q-quantile lies between its parts' q-quantiles.
    const x = qa === qb ? qa : crossing((v) => cdf(h, v) - q, Math.min(qa, qb), Math.max(qa, qb));
    solved.set(key, x);
    return x;
  };
  return {
    ...a,
    scale: 'mixed',
    models: [
      ...a.models.map((m) => ({ ...m, weight: (1 - share) * m.weight })),
      ...b.models.map((m) => ({ name: forecastWords.onOwnScale(m.name), weight: share * m.weight })),
    ],
    median: (h) => quantile(h, 0.5),
    level: (1 - share) * a.level + share * b.level,
    quantile,
    cdf,
    atLeast: (h, x) => (1 - share) * a.atLeast(h, x) + share * b.atLeast(h, x),
  };
}
