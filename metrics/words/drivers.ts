// The drivers of a change in plain words, shared by the CLI, the API and the web app:
// "Net Promoter Score fell 1.9 pts: smb's own score fell 4.1 pts (explains 70%)."
import type { Unit } from '../definition.ts';
import { formatRate, formatValue } from './current.ts';
import { monthSpan } from '../heading/months.ts';
import type { DriversAnswer, Driver } from '../drivers/types.ts';

const percent = (x: number) => `${Math.round(x * 100)}%`;
/** Two shares, with a decimal when whole percents would read the same. */
const sharesInWords = (a: number, b: number) =>
  percent(a) === percent(b) ? [`${(a * 100).toFixed(1)}%`, `${(b * 100).toFixed(1)}%`] : [percent(a), percent(b)];

/** A change in the unit's words without its sign ("1.9 pts", "4,210"). */
const amount = (unit: Unit, x: number) =>
  unit === 'ratio' || unit === 'percent' || unit === 'score'
    ? formatRate(unit, Math.abs(x)).replace(/^[+−±]/, '')
    : formatValue(unit, Math.abs(x));
const moved = (x: number) => (x > 0 ? 'rose' : x < 0 ? 'fell' : 'held');

const NOUN: Record<Unit, string> = {
  ratio: 'rate',
  percent: 'rate',
  score: 'score',
  currency: 'value',
  count: 'count',
  days: 'value',
  number: 'value',
};

/** One driver in words: what moved and how much of the whole change it explains. */
export function driverPhrase(unit: Unit, d: Driver): string {
  const share =
    d.share_of_change !== null && d.share_of_change > 0
      ? `; explains ${percent(d.share_of_change)}`
      : d.share_of_change !== null && d.share_of_change < 0
        ? '; against the change'
        : '';
  const where = `(${d.dimension}${share})`;
  if (d.kind === 'total') return `${d.value} ${moved(d.contribution)} ${amount(unit, d.contribution)} ${where}`;
  if (d.kind === 'rate') {
    const own = (d.after ?? 0) - (d.before ?? 0);
    return `${d.value}'s own ${NOUN[unit]} ${moved(own)} ${amount(unit, own)} ${where}`;
  }
  const grew = (d.share_after ?? 0) > (d.share_before ?? 0) ? 'grew' : 'shrank';
  const [from, to] = sharesInWords(d.share_before ?? 0, d.share_after ?? 0);
  const level = d.after ?? d.before;
  return (
    `${d.value}'s share ${grew} from ${from} to ${to}` +
    `${level !== null ? `, at ${formatValue(unit, level)}` : ''} ${where}`
  );
}

export function driversSentence(a: Omit<DriversAnswer, 'sentence' | 'lead'>): string {
  if (a.change === null || a.before === null || a.after === null)
    return `${a.label} has no value in one of the windows compared, so there is no change to explain.`;
  const span = (w: { from: string; to: string }) => monthSpan(w.from, w.to);
  const head =
    `${a.label} ${moved(a.change)}${a.change === 0 ? '' : ` ${amount(a.unit, a.change)}`} ` +
    `(${formatValue(a.unit, a.before)} → ${formatValue(a.unit, a.after)}, ` +
    `${span(a.period)} against ${span(a.compare)})`;
  if (!a.drivers.length) {
    const why = a.warnings.some((w) => w.includes('earlier comparisons'))
      ? 'too little history to tell a driver from noise'
      : 'no group moved beyond its usual month-to-month noise';
    return `${head}: ${why}.`;
  }
  return `${head}: ${leadOf(a)}.`;
}

/**
 * The leading dimension's one or two largest drivers in words (the others' are echoes of the same
 * move: see decompose.ts), or null when none: what a goal card says after "Why:".
 */
export function leadOf(a: Pick<DriversAnswer, 'drivers' | 'unit'>): string | null {
  if (!a.drivers.length) return null;
  const lead = a.drivers.filter((d) => d.dimension === a.drivers[0]!.dimension);
  return lead
    .slice(0, 2)
    .map((d) => driverPhrase(a.unit, d))
    .join('; ');
}
