// A real series with a known future, as every reader of the bench's sets makes it: the shape, the
// months the goals reach, a file's text (gzipped or not), the split of a whole series into history
// and future, and a fixed draw of a set's series. A leaf module, so the readers (forecastData.ts,
// forecastTsf.ts, forecastWide.ts, forecastM4.ts) share it without importing one another.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { mulberry32 } from '../metrics/heading/random.ts';

export interface RealSeries {
  id: string;
  /** Month of the year (1–12) of the first value. */
  startMonth: number;
  history: number[];
  future: number[];
  /** The set's own category (M-competition style: micro, industry, …), when the file names one. */
  category?: string;
  /** Months the cut-off was moved back from the set's own (`--back`); 0 or absent at the set's own. */
  back?: number;
}

/** Months the goals reach (due 6, 12 and 18 months on): held out as the future, at least. */
export const FUTURE_MONTHS = 18;

/** A file's own future length (a .tsf `@horizon`, a row's NF), never shorter than the goals reach. */
export const futureOf = (declared?: number) => Math.max(declared ?? FUTURE_MONTHS, FUTURE_MONTHS);

/** Cells that hold no value (R writes NA, pandas nothing): allowed before a series starts or after it ends. */
export const NO_VALUE = new Set(['', 'NA', 'NaN', 'nan', 'null']);

/**
 * The separator a CSV's header line uses: a comma, or a semicolon or tab when the header has no
 * comma (spreadsheets in much of Europe save with semicolons, as their decimal mark is the comma).
 */
export function separatorOf(header: string): string {
  if (header.includes(',')) return ',';
  return header.includes(';') ? ';' : header.includes('\t') ? '\t' : ',';
}

/** A header as an error shows it: control characters out, cut at 120 characters (a binary file has no header). */
export function shownHeader(cols: string[]): string {
  const text = cols
    .join(', ')
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ')
    .trim();
  if (!text) return 'nothing (the file is empty)';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/**
 * A cell's number. In a file separated by semicolons or tabs a decimal comma is read as a point
 * (`1234,5`: such files come from spreadsheets where the comma is the decimal mark); a comma in a
 * comma-separated file is a separator, never a decimal.
 */
export function numberOf(text: string, sep = ','): number {
  if (text === '') return Number.NaN;
  return sep !== ',' && /^[+-]?\d*,\d+$/.test(text) ? Number(text.replace(',', '.')) : Number(text);
}

/**
 * A CSV line's cells, unquoted and trimmed: a quoted cell may hold the separator and doubled quotes
 * (RFC 4180), so a category written "Retail, food" stays one cell.
 */
export function cells(line: string, sep = ','): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const out: string[] = [];
  let at = 0;
  while (at <= line.length) {
    let text = '';
    while (line[at] === ' ') at++;
    if (line[at] === '"') {
      at++;
      for (;;) {
        const q = line.indexOf('"', at);
        if (q < 0) {
          text += line.slice(at);
          at = line.length;
          break;
        }
        text += line.slice(at, q);
        at = q + 1;
        if (line[at] !== '"') break;
        text += '"';
        at++;
      }
      const next = line.indexOf(sep, at);
      at = next < 0 ? line.length + 1 : next + sep.length;
    } else {
      const next = line.indexOf(sep, at);
      text = line.slice(at, next < 0 ? line.length : next);
      at = next < 0 ? line.length + 1 : next + sep.length;
    }
    out.push(text.trim());
  }
  return out;
}

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** A month's English name, its first three letters or `Sept`, as a number 1–12. */
function monthNamed(name: string): number | undefined {
  const n = name.toLowerCase();
  const i = MONTH_NAMES.findIndex((m) => m === n || m.slice(0, 3) === n || (n === 'sept' && m === 'september'));
  return i < 0 ? undefined : i + 1;
}

/** A date written with its day and month before the year (`5/31/2001`, `31.05.2001`). */
const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T][\d:.]+)?$/;

export type SlashedOrder = 'month-first' | 'day-first';

/**
 * Whether a column's `a/b/yyyy` dates lead with the month or the day, read from all of them at once
 * (a spreadsheet writes one order for a whole column): a first number above 12 anywhere means day
 * first, a second above 12 month first; otherwise the number that never changes is the day
 * (monthly data dated the 1st). Undefined when the column holds none, or the order cannot be told.
 */
export function slashedOrder(texts: Iterable<string>): SlashedOrder | undefined {
  const firsts = new Set<number>();
  const seconds = new Set<number>();
  for (const text of texts) {
    const m = SLASHED.exec(text);
    if (!m) continue;
    firsts.add(Number(m[1]));
    seconds.add(Number(m[2]));
  }
  const over = (set: Set<number>) => [...set].some((v) => v > 12);
  if (over(firsts) !== over(seconds)) return over(firsts) ? 'day-first' : 'month-first';
  if (over(firsts) || firsts.size === 0) return undefined;
  if ((seconds.size === 1) !== (firsts.size === 1)) return seconds.size === 1 ? 'month-first' : 'day-first';
  return undefined;
}

/**
 * A month as a count of months (year × 12 + month − 1), from the ways sets write one:
 * `2001-05`, `2001-5`, `2001/05`, a date in it (`2001-05-31`, `2001-05-31 00:00:00`, ISO with a
 * time zone), `2001M05` (statistics offices), `2001 May` (R's tsibble), `May 2001`, `May-2001`.
 * Dates with the day and month first (`05/31/2001`) only with their column's order (slashedOrder):
 * alone, `01/02/2001` would be a guess.
 */
export function monthIndex(text: string, order?: SlashedOrder): number | undefined {
  const numeric = /^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2}(?:[ T][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?$/.exec(text);
  const coded = /^(\d{4})-?[Mm](\d{1,2})$/.exec(text);
  const yearFirst = /^(\d{4})[ -]([A-Za-z]{3,9})\.?$/.exec(text);
  const nameFirst = /^([A-Za-z]{3,9})\.?[ -](\d{4})$/.exec(text);
  const slashed = order ? SLASHED.exec(text) : null;
  let year: number | undefined;
  let month: number | undefined;
  const yearMonth = numeric ?? coded;
  if (yearMonth) [year, month] = [Number(yearMonth[1]), Number(yearMonth[2])];
  else if (yearFirst) [year, month] = [Number(yearFirst[1]), monthNamed(yearFirst[2]!)];
  else if (nameFirst) [year, month] = [Number(nameFirst[2]), monthNamed(nameFirst[1]!)];
  else if (slashed) [year, month] = [Number(slashed[3]), Number(slashed[order === 'month-first' ? 1 : 2])];
  if (year === undefined || month === undefined || month < 1 || month > 12) return undefined;
  return year * 12 + month - 1;
}

/** A file of series as text, gunzipped first when its name ends in `.gz` (sets are often shipped so). */
export function readText(file: string, encoding: BufferEncoding = 'utf8'): string {
  const text = /\.gz$/i.test(file) ? gunzipSync(readFileSync(file)).toString(encoding) : readFileSync(file, encoding);
  return withoutBom(text);
}

/** Text without the byte-order mark spreadsheets put before a UTF-8 file's first header name. */
const withoutBom = (text: string) => text.replace(/^\uFEFF/, '');

/**
 * A file's first `bytes` bytes as text (of a `.gz`, what they inflate to): enough for a header
 * without reading, or unzipping, the whole set.
 */
export function readHead(file: string, bytes: number): string {
  const buf = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    const head = buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
    // A cut-off stream inflates as far as it goes (Node's documented way to read truncated gzip).
    return withoutBom(
      (/\.gz$/i.test(file) ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head).toString('utf8'),
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * A row's values from its cells, each a number: an empty or other cell stops the run, named by
 * `where` (file, line, series) and its column (`first` is the column of the first value, from 1).
 */
export function numbersOf(cells: string[], first: number, where: string, sep = ','): number[] {
  return cells.map((c, k) => {
    const v = numberOf(c, sep);
    if (!Number.isFinite(v)) throw new Error(`${where}: column ${first + k} is "${c}" (expected a number; no gaps)`);
    return v;
  });
}

/** A whole series split into its history and its last `future` values. */
export function splitSeries(
  s: { id: string; startMonth: number; category?: string; values: number[] },
  future = FUTURE_MONTHS,
): RealSeries {
  return {
    id: s.id,
    category: s.category,
    startMonth: s.startMonth,
    history: s.values.slice(0, -future),
    future: s.values.slice(-future),
  };
}

/** `n` series drawn without replacement by a fixed seed: the same ones every run, in the file's order. */
export function drawn(series: RealSeries[], n: number | undefined): RealSeries[] {
  if (n === undefined || n >= series.length) return series;
  const next = mulberry32(20_261_207);
  const order = series.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const keep = new Set(order.slice(0, n));
  return series.filter((_, i) => keep.has(i));
}
