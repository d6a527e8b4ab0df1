// One return per unit of spend per channel from every piece of evidence about it: the
// customer-level comparison (doubly robust lift × reached ÷ spend), the media-mix model (already
// calibrated by the lift tests on its KPI), and lift tests on a customer-level channel. Estimates
// that agree are pooled by their precision, so two designs reinforce each other and the interval
// narrows; estimates that disagree are not averaged (the average would be a number neither design
// supports): the budget then uses the most design-based one (a lift test, then the customer-level
// comparison, then the mix) and says so. Pure.
import { Z95 } from '../normal.ts';

export type EvidenceMethod = 'lift test' | 'customer-level comparison' | 'media-mix model';

export interface Evidence {
  method: EvidenceMethod;
  /** KPI per unit of spend. */
  value: number;
  ci: [number, number];
  /** Already counted inside another piece of evidence (a lift test that calibrated the mix): shown, not pooled. */
  counted_in?: EvidenceMethod;
}

export interface Combined {
  value: number;
  ci: [number, number];
  /** How the value was reached: one method's name, or "pooled: a + b". */
  method: string;
  /** A sentence when the evidence disagrees, naming what was used. */
  disagreement: string | null;
}

/** Most design-based first: what a disagreement is resolved toward. */
const ORDER: EvidenceMethod[] = ['lift test', 'customer-level comparison', 'media-mix model'];

/** A standard error from a 95% interval (half its width over 1.96); an asymmetric one is read by its wider side. */
export function seOf(e: Pick<Evidence, 'value' | 'ci'>): number {
  return Math.max(e.value - e.ci[0], e.ci[1] - e.value) / Z95;
}

/** Two estimates agree when their difference is within 1.96 of its standard error. */
function agree(a: Evidence, b: Evidence): boolean {
  return Math.abs(a.value - b.value) <= Z95 * Math.hypot(seOf(a), seOf(b));
}

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

export function combineEvidence(evidence: readonly Evidence[]): Combined | null {
  const usable = evidence
    .filter((e) => !e.counted_in && Number.isFinite(e.value) && e.ci.every(Number.isFinite))
    .sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));
  if (!usable.length) return null;
  const first = usable[0]!;
  if (usable.length === 1) return { value: first.value, ci: first.ci, method: first.method, disagreement: null };
  const consistent = usable.every((a, i) => usable.slice(i + 1).every((b) => agree(a, b)));
  if (!consistent) {
    const others = usable.slice(1).map((e) => `${e.method} ${fmt(e.value)} (${fmt(e.ci[0])} to ${fmt(e.ci[1])})`);
    return {
      value: first.value,
      ci: first.ci,
      method: first.method,
      disagreement:
        `the ${first.method} reads ${fmt(first.value)} (${fmt(first.ci[0])} to ${fmt(first.ci[1])}) per unit of ` +
        `spend and the ${others.join(' and the ')}: more apart than their errors allow, so they are not pooled; ` +
        `the budget uses the ${first.method}, the more direct design`,
    };
  }
  // A zero-width interval (a channel the mix set to exactly 0 with no room) carries no weight information.
  const weights = usable.map((e) => 1 / Math.max(seOf(e), 1e-9 * (Math.abs(e.value) + 1)) ** 2);
  const total = weights.reduce((a, b) => a + b, 0);
  const value = usable.reduce((a, e, i) => a + weights[i]! * e.value, 0) / total;
  const se = 1 / Math.sqrt(total);
  return {
    value,
    ci: [value - Z95 * se, value + Z95 * se],
    method: `pooled: ${usable.map((e) => e.method).join(' + ')}`,
    disagreement: null,
  };
}
