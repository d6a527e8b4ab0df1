// Which alerts a new reading of the goals raises against the previous one, by rule. Pure: the
// readings come from the heading, the previous ones from data/alerts.ts.
import type { GoalReading } from '../../data/alerts.ts';
import { monthName } from '../heading/months.ts';
import type { AlertSettings } from '../../data/workspace.ts';
import type { GoalHeading } from '../heading/heading.ts';

export interface Change {
  rule: 'status_change' | 'probability_drop' | 'shift' | 'stale_data' | 'milestone_missed';
  goal: string;
  /** What changed, in words, for the message. */
  change: string;
  /** The same change on every run that sees it (alerts are never sent twice for it). */
  identity: string;
}

export function readingOf(h: GoalHeading): GoalReading {
  return {
    goal: h.id,
    status: h.status,
    probability: h.arrival_probability,
    shift_kind: h.shift.kind,
    shift_period: h.shift.period,
    stale: h.stale !== null,
    missed: (h.plan?.milestones ?? []).filter((m) => m.status === 'missed').map((m) => m.date),
    as_of: h.as_of,
  };
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const fell = (from: number, to: number) => `${pct(from)} to ${pct(to)}`;

/** The changes `rules` watch for between a goal's previous reading and its current one. */
export function changesOf(
  rules: AlertSettings['rules'],
  previous: GoalReading | undefined,
  current: GoalReading,
  label: string,
): Change[] {
  if (!previous) return []; // the first reading is the baseline, not news
  const out: Change[] = [];
  const g = current.goal;
  for (const rule of rules) {
    if (rule === 'status_change' && previous.status !== current.status)
      out.push({
        rule,
        goal: g,
        change: `${label}: ${previous.status.replace('_', ' ')} → ${current.status.replace('_', ' ')}`,
        identity: `${previous.status}>${current.status}@${current.as_of}`,
      });
    if (typeof rule === 'object' && previous.probability !== null && current.probability !== null) {
      const drop = previous.probability - current.probability;
      if (drop >= rule.probability_drop)
        out.push({
          rule: 'probability_drop',
          goal: g,
          change: `${label}: the chance of meeting it fell from ${fell(previous.probability, current.probability)}`,
          identity: `${pct(previous.probability)}>${pct(current.probability)}@${current.as_of}`,
        });
    }
    if (
      rule === 'shift' &&
      current.shift_kind !== 'none' &&
      current.shift_kind !== 'unconfirmed' &&
      (previous.shift_kind !== current.shift_kind || previous.shift_period !== current.shift_period)
    )
      out.push({
        rule,
        goal: g,
        change:
          `${label}: ${current.shift_kind === 'spike' ? 'a one-period spike' : 'a level shift'} in ` +
          `${current.shift_period ? monthName(current.shift_period) : ''}`,
        identity: `${current.shift_kind}@${current.shift_period}`,
      });
    if (rule === 'stale_data' && current.stale && !previous.stale)
      out.push({ rule, goal: g, change: `${label}: its data is stale`, identity: `stale@${current.as_of}` });
    if (rule === 'milestone_missed')
      for (const date of current.missed.filter((d) => !previous.missed.includes(d)))
        out.push({
          rule,
          goal: g,
          change: `${label}: missed the milestone of ${monthName(date)}`,
          identity: `missed@${date}`,
        });
  }
  return out;
}
