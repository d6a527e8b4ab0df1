// Calendar months as whole numbers (year × 12 + month), the grain every goal is read at.
import { unitWords } from '../words/units.ts';

/** The month of an ISO date (or timestamp) as year × 12 + month (0-based). */
export const monthIndex = (iso: string) => {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** The first day of a month index, as YYYY-MM-DD. */
export const monthStart = (index: number) =>
  new Date(Date.UTC(Math.floor(index / 12), index % 12, 1)).toISOString().slice(0, 10);

/** A month start moved by k months (YYYY-MM-DD). */
export const addMonths = (period: string, k: number) => monthStart(monthIndex(period) + k);

/** The month's first day, of any date in it. */
export const monthOf = (iso: string) => `${iso.slice(0, 7)}-01`;

/** The month's last day, of its first (YYYY-MM-DD). */
export const monthEnd = (period: string) =>
  new Date(Date.parse(`${addMonths(period, 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** "Oct 2026", for sentences. */
export const monthName = (iso: string): string => unitWords().date(iso, 'month');

/** "Nov 2025–Oct 2026", or one month's name when both ends fall in it. */
export const monthSpan = (from: string, to: string): string =>
  from.slice(0, 7) === to.slice(0, 7) ? monthName(from) : `${monthName(from)}–${monthName(to)}`;
