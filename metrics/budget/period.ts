// A planning period as finance names it: a quarter (2027-Q1), a month (2027-03), a year (2027),
// or dates (2027-01-01..2027-03-31). Pure.
import { BearingError } from '../../data/errors.ts';

export interface Period {
  from: string;
  to: string;
  days: number;
  label: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (text: string) => new Date(`${text}T00:00:00Z`);
const DAY = 86_400_000;

/** Days from one date to another, both counted. */
export const daysIn = (from: string, to: string) => Math.round((day(to).getTime() - day(from).getTime()) / DAY) + 1;

function between(from: string, to: string, label: string): Period {
  const days = daysIn(from, to);
  if (!(days >= 1)) throw new BearingError('bad-period', `the period ends (${to}) before it starts (${from})`);
  if (days > 1830) throw new BearingError('bad-period', `a planning period is at most five years (got ${days} days)`);
  return { from, to, days, label };
}

const validDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && iso(day(text)) === text;

export function parsePeriod(text: string): Period {
  const t = text.trim();
  let m = /^(\d{4})-?Q([1-4])$/i.exec(t);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return between(iso(new Date(Date.UTC(y, 3 * (q - 1), 1))), iso(new Date(Date.UTC(y, 3 * q, 0))), `${y}-Q${q}`);
  }
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return between(iso(new Date(Date.UTC(y, mo - 1, 1))), iso(new Date(Date.UTC(y, mo, 0))), t);
  }
  if (/^\d{4}$/.test(t)) return between(`${t}-01-01`, `${t}-12-31`, t);
  m = /^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|to)\s*(\d{4}-\d{2}-\d{2})$/.exec(t);
  if (m && validDate(m[1]!) && validDate(m[2]!)) return between(m[1]!, m[2]!, `${m[1]}..${m[2]}`);
  throw new BearingError(
    'bad-period',
    `period "${text}" is not a quarter (2027-Q1), a month (2027-03), a year (2027) or dates (2027-01-01..2027-03-31)`,
  );
}
