// What changed since a date, for people: status changes, moves in the chance of meeting a goal,
// shifts, stale data, missed milestones and notes added. Pure: built from two sets of readings.
import type { GoalReading } from '../../data/alerts.ts';
import { monthName } from '../heading/months.ts';

export interface DigestItem {
  goal: string;
  label: string;
  kind: 'status' | 'probability' | 'shift' | 'stale' | 'milestone' | 'note' | 'checkin' | 'new';
  text: string;
  /** Why the goal's metric moved (its drivers in words), for changes of a goal's reading. */
  why?: string;
}

export interface Digest {
  since: string;
  made_at: string;
  items: DigestItem[];
  /** Every goal now, for the reader who wants the whole picture. */
  goals: Array<{ goal: string; label: string; status: string; probability: number | null; summary: string }>;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const MOVE = 0.05;

export interface DigestInput {
  since: string;
  madeAt: string;
  before: Map<string, GoalReading>;
  /**
   * Goals never read before whose earlier reading was taken from the data's history (as of the date
   * given): on first use the digest compares with the month before instead of saying "first reading".
   */
  fromHistory?: { goals: Set<string>; asOf: string };
  now: Array<GoalReading & { label: string; summary: string }>;
  notes: Array<{ date: string; text: string; goal: string | null; metric: string | null; author: string | null }>;
  checkins?: Array<{ goal: string; confidence: number; text: string; author: string | null }>;
}

export function buildDigest(input: DigestInput): Digest {
  const items: DigestItem[] = [];
  for (const cur of input.now) {
    const prev = input.before.get(cur.goal);
    const history = input.fromHistory?.goals.has(cur.goal) ? ` (since ${input.fromHistory.asOf}, from history)` : '';
    const at = (kind: DigestItem['kind'], text: string) =>
      items.push({ goal: cur.goal, label: cur.label, kind, text: `${text}${history}` });
    if (!prev) {
      at('new', `first reading: ${cur.status.replace('_', ' ')}`);
      continue;
    }
    const word = (status: string) => status.replace('_', ' ');
    if (prev.status !== cur.status) at('status', `${word(prev.status)} → ${word(cur.status)}`);
    if (prev.probability !== null && cur.probability !== null && Math.abs(cur.probability - prev.probability) >= MOVE)
      at('probability', `chance of meeting it ${pct(prev.probability)} → ${pct(cur.probability)}`);
    if (
      cur.shift_kind !== 'none' &&
      cur.shift_kind !== 'unconfirmed' &&
      (prev.shift_kind !== cur.shift_kind || prev.shift_period !== cur.shift_period)
    )
      at(
        'shift',
        `${cur.shift_kind === 'spike' ? 'one-period spike' : 'level shift'} in ` +
          (cur.shift_period ? monthName(cur.shift_period) : ''),
      );
    if (cur.stale && !prev.stale) at('stale', 'its data is stale');
    for (const d of cur.missed.filter((m) => !prev.missed.includes(m)))
      at('milestone', `missed the milestone of ${monthName(d)}`);
  }
  for (const n of input.notes)
    items.push({
      goal: n.goal ?? n.metric ?? '',
      label: n.goal ?? n.metric ?? 'everything',
      kind: 'note',
      text: `note for ${n.date}${n.author ? ` by ${n.author}` : ''}: ${n.text}`,
    });
  const labels = new Map(input.now.map((g) => [g.goal, g.label]));
  for (const c of input.checkins ?? [])
    items.push({
      goal: c.goal,
      label: labels.get(c.goal) ?? c.goal,
      kind: 'checkin',
      text: `check-in${c.author ? ` by ${c.author}` : ''}: ${c.confidence}% confident: ${c.text}`,
    });
  return {
    since: input.since,
    made_at: input.madeAt,
    items,
    goals: input.now.map((g) => ({
      goal: g.goal,
      label: g.label,
      status: g.status,
      probability: g.probability,
      summary: g.summary,
    })),
  };
}

/** Goals whose reading changed (notes and check-ins aside): the ones that need a why. */
export const changedGoals = (d: Digest) =>
  new Set(d.items.filter((i) => i.kind !== 'note' && i.kind !== 'checkin').map((i) => i.goal));

/** Each changed goal's drivers in words, once per goal, on its first change: its other changes share it. */
export function withWhy(d: Digest, why: Map<string, string>): Digest {
  const given = new Set<string>();
  const items = d.items.map((i) => {
    const text = why.get(i.goal);
    if (!text || i.kind === 'note' || i.kind === 'checkin' || given.has(i.goal)) return i;
    given.add(i.goal);
    return { ...i, why: text };
  });
  return { ...d, items };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Text as Markdown shows it, never as Markdown does: a note's `![](http://…/pixel)`, a
 * `[link](javascript:…)`, a heading or raw HTML arrive as the characters that were typed.
 */
export const escapeMarkdown = (s: string) =>
  s
    .replace(/[\\`*_{}[\]()#+\-.!|~>]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');

export type DigestFormat = 'text' | 'markdown' | 'html' | 'json';

export function formatDigest(d: Digest, format: DigestFormat): string {
  if (format === 'json') return JSON.stringify(d, null, 2);
  const title = `Bearing digest: what changed since ${d.since.slice(0, 10)}`;
  const lines = d.items.length
    ? d.items.map((i) => `${i.label}: ${i.text}${i.why ? `. Why: ${i.why}` : ''}`)
    : ['nothing changed'];
  const now = d.goals.map((g) => `${g.label}: ${g.summary}`);
  if (format === 'markdown')
    return [
      `# ${escapeMarkdown(title)}`,
      '',
      ...lines.map((l) => `- ${escapeMarkdown(l)}`),
      '',
      '## Every goal now',
      '',
      ...now.map((l) => `- ${escapeMarkdown(l)}`),
    ].join('\n');
  if (format === 'html')
    return [
      `<h1>${escapeHtml(title)}</h1>`,
      `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
      '<h2>Every goal now</h2>',
      `<ul>${now.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ].join('\n');
  return [title, '', ...lines.map((l) => `- ${l}`), '', 'Every goal now:', ...now.map((l) => `- ${l}`)].join('\n');
}
