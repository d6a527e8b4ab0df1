// A card's change since the period before, said as better or worse (never colour alone).
import { formatChange, formatDate } from './format.ts';

interface Reading {
  unit: string;
  direction: 'up' | 'down';
  series: Array<{ period: string; value: number | null; complete: boolean }>;
  /** Months too thin to count (the heading's `left_out`): not the latest change either. */
  left_out?: Array<{ period: string }>;
}

/** The latest complete period that counts against the one before it; null with fewer than two. */
export function sinceLast(g: Reading): { text: string; better: boolean | null } | null {
  const thin = new Set((g.left_out ?? []).map((l) => l.period));
  const done = g.series.filter((p) => p.complete && p.value !== null && !thin.has(p.period));
  if (done.length < 2) return null;
  const [prev, last] = done.slice(-2) as [(typeof done)[number], (typeof done)[number]];
  const delta = last.value! - prev.value!;
  const better = delta === 0 ? null : delta > 0 === (g.direction === 'up');
  const word = better === null ? 'unchanged' : better ? 'better' : 'worse';
  return {
    text: `${formatChange(g.unit, prev.value!, last.value!)} since ${formatDate(prev.period, 'month')} (${word})`,
    better,
  };
}
