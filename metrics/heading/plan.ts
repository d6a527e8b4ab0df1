// The planned path of a goal (its pace line): from the baseline through its milestones to the
// target, straight between them; how far ahead or behind plan the metric is now; and each
// milestone's chance from the forecast. Pure.

import { monthIndex, monthStart } from './months.ts';

export interface Milestone {
  date: string;
  target: number;
}

export interface PlanReading {
  /** The planned value at each month from the baseline to the due month. */
  path: Array<{ period: string; value: number }>;
  /** The plan's value in the latest measured month. */
  planned_now: number;
  /** Position minus plan, signed so that positive is ahead (for a down goal, lower is ahead). */
  ahead_by: number;
  milestones: Array<Milestone & { period: string; status: 'met' | 'missed' | 'upcoming'; probability: number | null }>;
  /** The first milestone still to come, with the chance of meeting it. */
  next: (Milestone & { period: string; probability: number | null }) | null;
  /** The same in words, in the unit's own terms ("+1.2 pts ahead of plan. Next milestone …"). */
  words: string;
}

export interface PlanInput {
  target: number;
  due: string;
  direction: 'up' | 'down';
  milestones?: Milestone[];
  baseline: { period: string; value: number };
  position: { period: string; value: number };
  /** Values measured per month (to judge past milestones on their own month). */
  history: Array<{ period: string; value: number }>;
  /** P(value h months after the latest month meets a target). */
  probability: (h: number, target: number) => number;
}

export function planOf(input: PlanInput): PlanReading {
  const sign = input.direction === 'up' ? 1 : -1;
  // A goal whose baseline already meets its target plans to stay there: its path starts at the
  // target, not at the baseline, so a metric past the target is never "behind plan" on its way down.
  const start = sign * (input.baseline.value - input.target) >= 0 ? input.target : input.baseline.value;
  const knots = [
    { index: monthIndex(input.baseline.period), value: start },
    ...(input.milestones ?? [])
      .map((m) => ({ index: monthIndex(m.date), value: m.target }))
      .filter((k) => k.index > monthIndex(input.baseline.period)),
    { index: monthIndex(input.due), value: input.target },
  ].sort((a, b) => a.index - b.index);
  const planned = (index: number) => {
    if (index <= knots[0]!.index) return knots[0]!.value;
    for (let i = 1; i < knots.length; i++) {
      const a = knots[i - 1]!;
      const b = knots[i]!;
      if (index <= b.index)
        return b.index === a.index
          ? b.value
          : a.value + ((b.value - a.value) * (index - a.index)) / (b.index - a.index);
    }
    return knots.at(-1)!.value;
  };
  const first = knots[0]!.index;
  const last = knots.at(-1)!.index;
  const path = Array.from({ length: last - first + 1 }, (_, i) => ({
    period: monthStart(first + i),
    value: planned(first + i),
  }));
  const now = monthIndex(input.position.period);
  const plannedNow = planned(now);
  const milestones = (input.milestones ?? []).map((m) => {
    const index = monthIndex(m.date);
    const period = monthStart(index);
    if (index <= now) {
      const measured = input.history.find((h) => h.period === period);
      const met = measured !== undefined && sign * (measured.value - m.target) >= 0;
      return { ...m, period, status: met ? ('met' as const) : ('missed' as const), probability: null };
    }
    return { ...m, period, status: 'upcoming' as const, probability: input.probability(index - now, m.target) };
  });
  const next = milestones.find((m) => m.status === 'upcoming') ?? null;
  return {
    path,
    planned_now: plannedNow,
    ahead_by: sign * (input.position.value - plannedNow),
    milestones,
    next: next && { date: next.date, target: next.target, period: next.period, probability: next.probability },
    words: '',
  };
}
