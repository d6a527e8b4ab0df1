// One series a row, as the M-competitions publish their sets (M3's M3C.xls saved as CSV: `Series, N,
// NF, Category, Starting Year, Starting Month`, then the values across the row), read for
// `npm run bench:forecast -- --data file.csv`. The rows hold each series whole; its last NF values
// are the future.
import {
  cells as split,
  futureOf,
  NO_VALUE,
  numbersOf,
  type RealSeries,
  shownHeader,
  splitSeries,
} from './forecastSeries.ts';

/** Header names of the leading columns; every column after the last of them holds values. */
const LEADING = {
  series: ['series', 'series_id', 'id', 'unique_id'],
  n: ['n'],
  nf: ['nf', 'horizon'],
  category: ['category', 'type'],
  year: ['starting year', 'start year'],
  month: ['starting month', 'start month'],
} as const;

/** A header that names the rows' length (`N`) or future (`NF`): one series a row (asked of headers with no month). */
export function isWide(cols: string[]): boolean {
  const counts: readonly string[] = [...LEADING.n, ...LEADING.nf];
  return cols.some((c) => counts.includes(c));
}

/**
 * Every row's series. `N`, when given, is how many values the row holds (cells after them are
 * ignored; fewer is an error); the future is the last `NF` values and at least 18 (18 without `NF`);
 * the first month is `Starting Month` (1 without it). An empty or non-numeric cell among the values
 * stops the run with its line and column: the forecast reads values by position.
 */
export function wideMonthly(file: string, cols: string[], lines: string[], sep = ','): RealSeries[] {
  const at = (names: readonly string[]) => cols.findIndex((c) => names.includes(c));
  const index = Object.fromEntries(Object.entries(LEADING).map(([k, names]) => [k, at(names)])) as Record<
    keyof typeof LEADING,
    number
  >;
  if (index.series < 0)
    throw new Error(`${file}:1: expected a Series column before the values; got ${shownHeader(cols)}`);
  const first = Math.max(...Object.values(index)) + 1;
  const out: RealSeries[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = i + 2;
    const cells = split(line, sep);
    const id = cells[index.series]!;
    const whole = (k: number, what: string, min: number) => {
      if (k < 0) return undefined;
      const v = Number(cells[k]);
      if (!Number.isInteger(v) || v < min)
        throw new Error(
          `${file}:${where}: series "${id}": ${what} is "${cells[k]}" (expected a whole number ≥ ${min})`,
        );
      return v;
    };
    const n = whole(index.n, 'N', 1);
    const future = futureOf(whole(index.nf, 'NF', 1));
    const startMonth = whole(index.month, 'Starting Month', 1) ?? 1;
    if (startMonth > 12) throw new Error(`${file}:${where}: series "${id}": Starting Month is ${startMonth} (1–12)`);
    let raw = cells.slice(first);
    if (n !== undefined) {
      if (raw.length < n || raw.slice(0, n).some((c) => c === ''))
        throw new Error(
          `${file}:${where}: series "${id}": N is ${n} but the row holds ${raw.filter(Boolean).length} values`,
        );
      raw = raw.slice(0, n);
    } else {
      while (raw.length && NO_VALUE.has(raw.at(-1)!)) raw.pop();
    }
    const values = numbersOf(raw, first + 1, `${file}:${where}: series "${id}"`, sep);
    if (values.length <= future)
      throw new Error(
        `${file}:${where}: series "${id}": ${values.length} values, not more than its future of ${future}`,
      );
    const category = index.category >= 0 ? cells[index.category] : undefined;
    out.push(splitSeries({ id, category, startMonth, values }, future));
  });
  return out;
}
