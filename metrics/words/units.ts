// Every number in a unit's own words, in one place: the sentences the server writes (readings,
// drivers, the CLI) and the web app's tables, tooltips and axes all format through here, so "93.4%",
// "+0.8 pts" and "$1,204" read the same wherever they appear. Pure and dependency-free on purpose:
// the web app bundles this file (the one value it takes from outside web/, see CONTRIBUTING.md).
//
// A Words is made for one locale and one currency: the server writes en-US with the workspace's
// currency (bearing.yaml), the browser its reader's locale with the same currency.

export interface Words {
  /** A value: "93.4%", "41.2", "$1,204", "1,204", "12.5 days", "0.37". Non-finite reads "—". */
  value(unit: string, value: number | null | undefined): string;
  /**
   * A signed difference or rate per month: ratios, percents and scores move in points ("+0.8 pts",
   * "−0.034 pts": a small move keeps two significant digits, never a "0 pts" that is not zero), the
   * rest by the value's own words ("+$1,437", "−1,234"). Zero reads "0 pts" or "0".
   */
  delta(unit: string, x: number): string;
  /** A change from one value to another: points for shares, the relative change for money and counts. */
  change(unit: string, from: number, to: number): string;
  /** An axis tick, short enough never to be cut off ("$16M", "40%", "12 d"). */
  tick(unit: string, value: number): string;
  /** Money to the whole unit ("$1,204"); "—" when not finite. */
  money(value: number | null | undefined): string;
  /** A number with a fixed count of decimals in the locale ("1,5" under de-DE). */
  decimal(value: number, digits: number): string;
  /** A month ("Sep 2018") or a day ("Sep 3, 2018") from an ISO date. */
  date(iso: string | null | undefined, style?: 'month' | 'day'): string;
  readonly currency: string | null;
}

const POINTS = new Set(['ratio', 'percent', 'score']);
const MINUS = '−';

type Formats = ReturnType<typeof formatsFor>;

/** The Intl formatters one locale and currency need, made once per Words. */
function formatsFor(locale: string, currency: string | null) {
  // A number that rounds to zero reads without a sign ("0.0%", not "−0.0%").
  const nf = (o: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, { signDisplay: 'negative', ...o });
  const plainMoney = {
    whole: nf({ maximumFractionDigits: 0 }),
    cents: nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    compactMoney: nf({ notation: 'compact', maximumFractionDigits: 1 }),
    code: null as string | null,
  };
  let money = plainMoney;
  if (currency) {
    try {
      money = {
        whole: nf({ style: 'currency', currency, maximumFractionDigits: 0 }),
        cents: nf({ style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        compactMoney: nf({ style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }),
        code: currency,
      };
    } catch {
      money = plainMoney;
    }
  }
  return {
    locale,
    nf,
    ...money,
    // Shares, scores and days keep one decimal always, so a range reads "85.8%–86.0%", not "85.8%–86%".
    percent: nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    shortPercent: nf({ style: 'percent', maximumFractionDigits: 1 }),
    fixed: nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    oneDecimal: nf({ maximumFractionDigits: 1 }),
    integer: nf({ maximumFractionDigits: 0 }),
    plain: nf({ maximumFractionDigits: 2 }),
    compact: nf({ notation: 'compact', maximumFractionDigits: 1 }),
    twoFigures: nf({ maximumSignificantDigits: 2 }),
    // Made once: toLocaleDateString builds a formatter on every call, 1 ms a date (3.6 s of 3,600
    // goals' sentences in one overview).
    month: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' }),
    day: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' }),
    decimals: new Map<number, Intl.NumberFormat>(),
  };
}

// Intl writes a hyphen-minus; sentences and tables use the minus sign (−) throughout.
/**
 * A sign keeps to the symbol after it: a word joiner between them ("−$0.04"), or a line may break
 * between "−" and "$", both being prefixes to a number (Unicode line breaking, class PR).
 */
const GLUE = '\u2060';
export const signed = (sign: string, text: string) =>
  sign && /^[^\d\s]/.test(text) ? `${sign}${GLUE}${text}` : sign + text;
const minus = (text: string) =>
  text.replace(/^(\D*?)-(.?)/, (_, before: string, next: string) => before + signed(MINUS, next));

function moneyText(f: Formats, v: number): string {
  return minus(Math.abs(v) >= 100 ? f.whole.format(Math.round(v)) : f.cents.format(v));
}

function valueIn(f: Formats, unit: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'ratio':
      return minus(f.percent.format(v));
    case 'percent':
      return `${minus(f.fixed.format(v))}%`;
    case 'currency':
      return moneyText(f, v);
    case 'count':
      return minus(Math.abs(v) >= 100 ? f.integer.format(v) : f.oneDecimal.format(v));
    case 'days':
      return `${minus(f.fixed.format(v))} days`;
    case 'number':
      return minus(Math.abs(v) >= 100 ? f.integer.format(v) : f.plain.format(v));
    default:
      return minus(f.fixed.format(v));
  }
}

function deltaIn(f: Formats, unit: string, x: number): string {
  if (!Number.isFinite(x)) return '—';
  const sign = x > 0 ? '+' : x < 0 ? MINUS : '';
  if (POINTS.has(unit)) {
    const points = Math.abs(unit === 'ratio' ? x * 100 : x);
    const text = points !== 0 && points < 0.1 ? points.toPrecision(2) : f.oneDecimal.format(points);
    return `${sign}${text} pts`;
  }
  const abs = Math.abs(x);
  const shown = unit === 'number' && abs < 100 && abs > 0 ? f.twoFigures.format(abs) : valueIn(f, unit, abs);
  // A change that rounds to nothing ("$0.00") carries no sign.
  return signed(/[1-9]/.test(shown) ? sign : '', shown);
}

function tickIn(f: Formats, unit: string, v: number): string {
  if (!Number.isFinite(v)) return '';
  if (unit === 'currency') return minus(f.compactMoney.format(v));
  if (unit === 'ratio') return minus(f.shortPercent.format(v));
  if (unit === 'percent') return `${minus(f.compact.format(v))}%`;
  if (unit === 'days') return `${minus(f.compact.format(v))} d`;
  if (unit === 'number' && Math.abs(v) < 100) return minus(f.plain.format(v));
  return minus(f.compact.format(v));
}

function dateIn(f: Formats, iso: string | null | undefined, style: 'month' | 'day'): string {
  if (!iso) return '—';
  const d = new Date(`${iso.slice(0, 10).padEnd(10, '-01').slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return '—';
  return (style === 'month' ? f.month : f.day).format(d);
}

function decimalIn(f: Formats, v: number, digits: number): string {
  let format = f.decimals.get(digits);
  if (!format) {
    format = f.nf({ minimumFractionDigits: digits, maximumFractionDigits: digits });
    f.decimals.set(digits, format);
  }
  return minus(format.format(v));
}

/**
 * The words for one locale and currency (an ISO 4217 code; null writes money as a plain number).
 * An unknown currency code falls back to none rather than throwing: a sentence still reads.
 */
export function unitWords(locale = 'en-US', currency: string | null = null): Words {
  // Made once per locale and currency: every goal of a heading is read in the same words, and
  // building a dozen Intl formatters per goal is most of what writing its sentences costs.
  const key = `${locale}|${currency ?? ''}`;
  let words = made.get(key);
  if (!words) {
    words = wordsOf(locale, currency);
    made.set(key, words);
  }
  return words;
}

const made = new Map<string, Words>();

function wordsOf(locale: string, currency: string | null): Words {
  const f = formatsFor(locale, currency);
  return {
    value: (unit, v) => valueIn(f, unit, v),
    delta: (unit, x) => deltaIn(f, unit, x),
    change: (unit, from, to) => {
      if ((unit === 'currency' || unit === 'count') && from !== 0 && Number.isFinite(from)) {
        const r = (to - from) / Math.abs(from);
        return `${r > 0 ? '+' : r < 0 ? MINUS : ''}${f.percent.format(Math.abs(r))}`;
      }
      return deltaIn(f, unit, to - from);
    },
    tick: (unit, v) => tickIn(f, unit, v),
    date: (iso, style = 'day') => dateIn(f, iso, style),
    money: (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : minus(f.whole.format(Math.round(v)))),
    decimal: (v, digits) => decimalIn(f, v, digits),
    currency: f.code,
  };
}
