// Numbers in a unit's words and dates in the reader's locale, through the one module the server's
// sentences use too (metrics/words/units.ts): the web app keeps only which locale and currency.
import { signed, unitWords, type Words } from '../../../metrics/words/units.ts';

const locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language;
let words: Words = unitWords(locale, 'USD');

/** Every money figure from here on in this ISO 4217 currency (bearing.yaml); returns whether it changed. */
export function setCurrency(code: string): boolean {
  if (code === words.currency) return false;
  const next = unitWords(locale, code);
  if (next.currency !== code) return false;
  words = next;
  return true;
}

export const formatValue = (unit: string, value: number | null | undefined): string => words.value(unit, value);
/** An axis tick: short enough never to be cut off ("$16M", not "16,000,000"). */
export const formatTick = (unit: string, value: number): string => words.tick(unit, value);
export const formatDate = (iso: string | null | undefined, style: 'month' | 'day' = 'day'): string =>
  words.date(iso, style);
export const formatMoney = (value: number | null | undefined): string => words.money(value);
/** A sign before a figure, kept on its line ("−$12", never "−" at one line's end and "$12" on the next). */
export const withSign = signed;
/** Points for shares and scores ("+0.4 pts"), the relative change for money and counts ("−3.2%"). */
export const formatChange = (unit: string, from: number, to: number): string => words.change(unit, from, to);
/** A signed difference in the unit's own words: ratios in percentage points, scores in points. */
export const formatDelta = (unit: string, x: number): string => words.delta(unit, x);
/** A number with a fixed count of decimals in the reader's locale (1.5 → "1,5" under de-DE). */
export const formatDecimal = (value: number, digits: number): string => words.decimal(value, digits);

/** A stored UTC timestamp to the minute, as tables of events show it: 2026-11-23 16:02. */
export const formatUtcMinute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export const toEpoch = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/** The browser's own calendar day (YYYY-MM-DD), not UTC's: a note written in the evening west of UTC is today's. */
export function localDay(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
