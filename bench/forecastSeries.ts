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

/** One CSV cell, its surrounding quotes and spaces taken off (the sets read here quote no commas). */
export const cell = (raw: string | undefined) => (raw ?? '').trim().replace(/^"(.*)"$/, '$1');

/** A file of series as text, gunzipped first when its name ends in `.gz` (sets are often shipped so). */
export function readText(file: string, encoding: BufferEncoding = 'utf8'): string {
  return /\.gz$/i.test(file) ? gunzipSync(readFileSync(file)).toString(encoding) : readFileSync(file, encoding);
}

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
    return (/\.gz$/i.test(file) ? gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }) : head).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * A row's values from its cells, each a number: an empty or other cell stops the run, named by
 * `where` (file, line, series) and its column (`first` is the column of the first value, from 1).
 */
export function numbersOf(cells: string[], first: number, where: string): number[] {
  return cells.map((c, k) => {
    const v = c === '' ? Number.NaN : Number(c);
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
