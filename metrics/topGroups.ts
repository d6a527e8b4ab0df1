// A breakdown kept to its largest groups, the rest folded into one "(other)" group per period, so a
// dimension with thousands of values (a city, a product) answers in a few lines. Pure.
import type { Unit } from './definition.ts';

export const OTHER_GROUP = '(other)';

export interface GroupRow {
  period: string;
  group?: string | null;
  value: number | null;
  n: number;
  complete: boolean;
}

/** Money and counts add up across groups; rates, scores and averages are weighed by their rows. */
const additive = (unit: Unit) => unit === 'currency' || unit === 'count';

/**
 * The `top` groups by size over the whole range (their summed values for money and counts, their
 * rows otherwise), each period's other groups folded into "(other)": summed for money and counts,
 * an average weighted by each group's rows (n) for the rest. Returns the rows and how many groups
 * were folded.
 */
export function keepTopGroups<R extends GroupRow>(rows: R[], top: number, unit: Unit): { rows: R[]; folded: number } {
  const size = new Map<string, number>();
  for (const r of rows) {
    const g = r.group ?? '';
    size.set(g, (size.get(g) ?? 0) + (additive(unit) ? Math.abs(r.value ?? 0) : r.n));
  }
  if (size.size <= top) return { rows, folded: 0 };
  const kept = new Set(
    [...size.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([g]) => g),
  );
  const out: R[] = [];
  const others = new Map<string, R[]>();
  for (const r of rows) {
    if (kept.has(r.group ?? '')) out.push(r);
    else others.set(r.period, [...(others.get(r.period) ?? []), r]);
  }
  for (const [period, group] of others) {
    const n = group.reduce((a, r) => a + r.n, 0);
    const valued = group.filter((r) => r.value !== null);
    const value = !valued.length
      ? null
      : additive(unit)
        ? valued.reduce((a, r) => a + r.value!, 0)
        : n > 0
          ? valued.reduce((a, r) => a + r.value! * r.n, 0) / valued.reduce((a, r) => a + r.n, 0)
          : null;
    out.push({ ...group[0]!, period, group: OTHER_GROUP, value, n, complete: group.every((r) => r.complete) });
  }
  out.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return { rows: out, folded: size.size - top };
}
