// The effect of a channel on the customers it reached (ATT), by exact stratification: compare
// reached and not-reached customers inside each stratum (segment × region × signup quarter),
// then weight the differences by how many reached customers each stratum holds. Pure.
import { Z95 } from '../normal.ts';

export interface StratumCell {
  stratum: string;
  exposed: boolean;
  n: number;
  sum: number;
  sumsq: number;
}

export interface Estimate {
  exposed: number;
  unexposed: number;
  rate_exposed: number | null;
  rate_unexposed: number | null;
  naive_lift: number | null;
  lift: number | null;
  ci: [number, number] | null;
  se: number | null;
  /** Reached customers compared (those in strata that also hold customers not reached). */
  compared_exposed: number;
  strata: number;
  strata_without_overlap: number;
  dropped_exposed: number;
  warnings: string[];
}

function variance(n: number, sum: number, sumsq: number): number {
  if (n < 2) return NaN;
  return Math.max(0, (sumsq - (sum * sum) / n) / (n - 1));
}

type Pair = { e?: StratumCell; u?: StratumCell };

/** Each stratum's reached (e) and not-reached (u) cell. */
function pairUp(cells: StratumCell[]): Map<string, Pair> {
  const byStratum = new Map<string, Pair>();
  for (const c of cells) {
    const s = byStratum.get(c.stratum) ?? {};
    if (c.exposed) s.e = c;
    else s.u = c;
    byStratum.set(c.stratum, s);
  }
  return byStratum;
}

/**
 * The stratified sums: the reached-weighted difference of means, its variance, how many reached
 * customers were compared and how many strata hold reached customers but nobody to compare with.
 * Pooled variances stand in for strata too small to estimate their own.
 */
function stratify(byStratum: Map<string, Pair>, pooled1: number, pooled0: number) {
  let weighted = 0;
  let varianceSum = 0;
  let compared = 0;
  let withoutOverlap = 0;
  for (const { e, u } of byStratum.values()) {
    if (!e?.n || !u?.n) {
      if (e?.n) withoutOverlap++;
      continue;
    }
    const v1 = variance(e.n, e.sum, e.sumsq);
    const v0 = variance(u.n, u.sum, u.sumsq);
    weighted += e.n * (e.sum / e.n - u.sum / u.n);
    varianceSum += e.n * e.n * ((Number.isNaN(v1) ? pooled1 : v1) / e.n + (Number.isNaN(v0) ? pooled0 : v0) / u.n);
    compared += e.n;
  }
  return { weighted, varianceSum, compared, withoutOverlap };
}

export function estimateAtt(cells: StratumCell[]): Estimate {
  const byStratum = pairUp(cells);
  const total = (pick: 'e' | 'u', field: 'n' | 'sum' | 'sumsq') =>
    [...byStratum.values()].reduce((a, s) => a + (s[pick]?.[field] ?? 0), 0);
  const n1 = total('e', 'n');
  const n0 = total('u', 'n');
  const rate1 = n1 ? total('e', 'sum') / n1 : null;
  const rate0 = n0 ? total('u', 'sum') / n0 : null;
  const warnings: string[] = [];
  const base = {
    exposed: n1,
    unexposed: n0,
    rate_exposed: rate1,
    rate_unexposed: rate0,
    naive_lift: rate1 !== null && rate0 !== null ? rate1 - rate0 : null,
    strata: byStratum.size,
    warnings,
  };
  const none = { lift: null, ci: null, se: null } as const;
  if (!n1 || !n0) {
    warnings.push(n1 ? 'every customer was reached: there is no comparison group' : NOBODY_REACHED);
    return { ...base, ...none, compared_exposed: 0, strata_without_overlap: byStratum.size, dropped_exposed: n1 };
  }
  const pooled = [
    variance(n1, total('e', 'sum'), total('e', 'sumsq')),
    variance(n0, total('u', 'sum'), total('u', 'sumsq')),
  ];
  const { weighted, varianceSum, compared, withoutOverlap } = stratify(byStratum, pooled[0]!, pooled[1]!);
  const dropped = n1 - compared;
  const counts = { compared_exposed: compared, strata_without_overlap: withoutOverlap, dropped_exposed: dropped };
  if (!compared) {
    warnings.push(NO_OVERLAP);
    return { ...base, ...none, ...counts, compared_exposed: 0 };
  }
  if (dropped / n1 > 0.05) {
    warnings.push(
      `${dropped} of ${n1} reached customers (${Math.round((dropped / n1) * 100)}%) are in strata with no ` +
        `comparable customer who was not reached; they are left out of the adjusted effect`,
    );
  }
  const lift = weighted / compared;
  const se = Math.sqrt(varianceSum) / compared;
  if (!(se > 0)) {
    // A zero-width interval would claim certainty the data cannot give (e.g. nobody churned).
    warnings.push(NO_VARIANCE);
    return { ...base, ...none, ...counts };
  }
  return { ...base, lift, ci: [lift - Z95 * se, lift + Z95 * se], se, ...counts };
}

const NOBODY_REACHED = 'no customers were reached by this channel in the window: nothing to estimate';
const NO_OVERLAP =
  'no stratum holds both reached and not-reached customers: the groups do not overlap, so no adjusted effect ' +
  'can be estimated';
export const NO_VARIANCE =
  'not estimable: the outcome does not vary within the compared groups (for example nobody churned, or everyone ' +
  'gave the same score), so no interval can be put on a difference';
