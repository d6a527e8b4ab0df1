// Bounds on a survey lift when the channel changed who answered (Lee 2009): when reached customers
// answer more often than the others, the extra answers could have come from anyone among the reached,
// so the reached answers are trimmed by the extra share, once from the top and once from the bottom;
// the two trimmed comparisons bound the effect on those who would have answered either way, without
// assuming why anyone answers. Assumes only that the channel never stops someone from answering
// (or, when the others answer more, never makes someone answer). Pure.

/** An outcome's answers as distinct values and how many customers gave each. */
export type Distribution = Array<[value: number, count: number]>;

/** The mean after dropping `share` of the answers from the bottom or the top (fractional at the cut). */
export function trimmedMean(dist: Distribution, share: number, from: 'bottom' | 'top'): number | null {
  const sorted = [...dist].filter(([, n]) => n > 0).sort((a, b) => (from === 'bottom' ? a[0] - b[0] : b[0] - a[0]));
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  let drop = Math.min(Math.max(share, 0), 1) * total;
  const kept = total - drop;
  if (!(kept > 0)) return null;
  let sum = 0;
  for (const [v, n] of sorted) {
    const dropped = Math.min(n, drop);
    drop -= dropped;
    sum += v * (n - dropped);
  }
  return sum / kept;
}

const meanOf = (dist: Distribution) => {
  const n = dist.reduce((s, [, c]) => s + c, 0);
  return n > 0 ? dist.reduce((s, [v, c]) => s + v * c, 0) / n : null;
};

export interface LeeShift {
  /** How far the lift moves at each end: the bounds are lift + low and lift + high. */
  low: number;
  high: number;
  /** The share of one arm's answers trimmed, and which arm. */
  trimmed: number;
  side: 'reached' | 'not reached';
}

/**
 * The shifts of the lift at the two trimming bounds, from the answers of each arm and its response
 * rate. Null when an arm has no answers or the rates are equal.
 */
export function leeShift(reached: Distribution, notReached: Distribution, q1: number, q0: number): LeeShift | null {
  if (!(q1 > 0) || !(q0 > 0) || q1 === q0) return null;
  const side = q1 > q0 ? 'reached' : 'not reached';
  const dist = side === 'reached' ? reached : notReached;
  const p = side === 'reached' ? (q1 - q0) / q1 : (q0 - q1) / q0;
  const mean = meanOf(dist);
  const dropTop = trimmedMean(dist, p, 'top');
  const dropBottom = trimmedMean(dist, p, 'bottom');
  if (mean === null || dropTop === null || dropBottom === null) return null;
  // Trimming the reached lowers or raises their mean; trimming the others moves the lift the other way.
  const sign = side === 'reached' ? 1 : -1;
  const a = sign * (dropTop - mean);
  const b = sign * (dropBottom - mean);
  return { low: Math.min(a, b), high: Math.max(a, b), trimmed: p, side };
}
