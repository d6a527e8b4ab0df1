// Numbers formatted by unit with Intl; dates in the user's locale.
const locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language;
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
// A plain number such as orders per customer: two decimals say 0.37, one would say 0.4.
const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
// The workspace's currency (bearing.yaml), set once the server has said which (see setCurrency).
let currency = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
let currencyCents = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
let currencyCode = 'USD';
let currencyCompact = new Intl.NumberFormat(locale, {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });

/** Every money figure from here on in this ISO 4217 currency; returns whether it changed. */
export function setCurrency(code: string): boolean {
  if (code === currencyCode) return false;
  try {
    currency = new Intl.NumberFormat(locale, { style: 'currency', currency: code, maximumFractionDigits: 0 });
    currencyCents = new Intl.NumberFormat(locale, { style: 'currency', currency: code, maximumFractionDigits: 2 });
    currencyCompact = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    currencyCode = code;
    return true;
  } catch {
    return false;
  }
}

export function formatValue(unit: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ratio':
      return percent.format(value);
    case 'percent':
      return `${number.format(value)}%`;
    case 'currency':
      return Math.abs(value) < 1000 ? currencyCents.format(value) : currency.format(value);
    case 'count':
      return integer.format(value);
    case 'days':
      return `${number.format(value)} days`;
    case 'number':
      return Math.abs(value) >= 100 ? number.format(value) : plain.format(value);
    default:
      return number.format(value);
  }
}

/**
 * An axis tick: short enough never to be cut off ("$16M", not "16,000,000"; "$0", not "$0.00"),
 * in the workspace currency and the reader's locale.
 */
export function formatTick(unit: string, value: number): string {
  if (!Number.isFinite(value)) return '';
  if (unit === 'currency') return currencyCompact.format(value);
  if (unit === 'ratio') return percent.format(value);
  if (unit === 'percent') return `${compact.format(value)}%`;
  if (unit === 'days') return `${compact.format(value)} d`;
  if (unit === 'number' && Math.abs(value) < 100) return plain.format(value);
  return compact.format(value);
}

/** A rate per month in the unit's own words: ratios move in percentage points. */
export function formatDate(iso: string | null | undefined, style: 'month' | 'day' = 'day'): string {
  if (!iso) return '—';
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return style === 'month'
    ? d.toLocaleDateString(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' })
    : d.toLocaleDateString(locale, { timeZone: 'UTC', dateStyle: 'medium' });
}

export function formatMoney(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : currency.format(value);
}

/** A stored UTC timestamp to the minute, as tables of events show it: 2026-11-23 16:02. */
export const formatUtcMinute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export const toEpoch = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/** The browser's own calendar day (YYYY-MM-DD), not UTC's: a note written in the evening west of UTC is today's. */
export function localDay(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

const signedPoints = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const signedPercent = new Intl.NumberFormat(locale, {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/**
 * A change between two values in the unit's own words, in the reader's locale: ratios and percents
 * move in percentage points ("+0.4 pts"), money and counts by their relative change ("−3.2%"), and
 * scores (NPS, which may sit near or below zero) and everything else by the difference ("−1.6").
 */
export function formatChange(unit: string, from: number, to: number): string {
  if (unit === 'ratio') return `${signedPoints.format((to - from) * 100)} pts`;
  if (unit === 'percent') return `${signedPoints.format(to - from)} pts`;
  if ((unit === 'currency' || unit === 'count') && from !== 0)
    return signedPercent.format((to - from) / Math.abs(from));
  return `${to - from > 0 ? '+' : ''}${formatValue(unit, to - from)}`;
}

/** A number with a fixed count of decimals in the reader's locale (1.5 → "1,5" under de-DE). */
export function formatDecimal(value: number, digits: number): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A signed difference in the unit's own words: ratios in percentage points, scores in points. */
export function formatDelta(unit: string, x: number): string {
  if (!Number.isFinite(x)) return '—';
  const points = unit === 'ratio' ? x * 100 : x;
  if (unit === 'ratio' || unit === 'percent' || unit === 'score') {
    // A small move keeps two significant digits: "+0.034 pts", never a "0 pts" that is not zero.
    if (points !== 0 && Math.abs(points) < 0.1)
      return `${points > 0 ? '+' : '−'}${Math.abs(points).toPrecision(2)} pts`;
    return `${signedPoints.format(points)} pts`;
  }
  const sign = x > 0 ? '+' : x < 0 ? '−' : '±';
  return `${sign}${formatValue(unit, Math.abs(x))}`;
}
