// The 366 monthly series of the 2010 tourism forecasting competition (Athanasopoulos, Hyndman,
// Song & Wu, IJF 27(3)), each with the 24 months that followed its history: real series whose
// future is known. Files as published (one column per series: length, start year, start month,
// then the values); see test/fixtures/tourism/README.md for source and licence.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isM4, type M4Files, m4Files, m4Monthly } from './forecastM4.ts';
import { columnsMonthly } from './forecastColumns.ts';
import {
  cells,
  monthIndex,
  slashedOrder,
  NO_VALUE,
  numberOf,
  type RealSeries,
  shownHeader,
  readText,
  separatorOf,
  splitSeries,
} from './forecastSeries.ts';
import { isWide, wideMonthly } from './forecastWide.ts';

export type { RealSeries };

const DIR = fileURLToPath(new URL('../test/fixtures/tourism/', import.meta.url));

function columns(file: string): { names: string[]; rows: string[][] } {
  const lines = readFileSync(DIR + file, 'utf8')
    .trim()
    .split(/\r?\n/);
  return { names: lines[0]!.split(',').map((s) => s.replace(/"/g, '')), rows: lines.slice(1).map((l) => l.split(',')) };
}

function read(file: string): Map<string, { startMonth: number; values: number[] }> {
  const { names, rows } = columns(file);
  const out = new Map<string, { startMonth: number; values: number[] }>();
  names.forEach((name, c) => {
    const length = Number(rows[0]![c]);
    const startMonth = Number(rows[2]![c]);
    const values = rows.slice(3, 3 + length).map((r) => Number(r[c]));
    out.set(name, { startMonth, values });
  });
  return out;
}

export function tourismMonthly(): RealSeries[] {
  const history = read('monthly_in.csv');
  const future = read('monthly_oos.csv');
  return [...history].map(([id, h]) => ({
    id,
    startMonth: h.startMonth,
    history: h.values,
    future: future.get(id)!.values,
  }));
}

/**
 * 767 monthly series of patient counts at US hospitals, Jan 2000–Dec 2006 (Hyndman et al.,
 * "Forecasting with exponential smoothing", 2008): noisy counts, seven years each; the last 18
 * months are held out as the future.
 */
export function hospitalMonthly(): RealSeries[] {
  const lines = readFileSync(`${DIR}../hospital/hospital.csv`, 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const cells = line.split(',');
    const values = cells.slice(2).map(Number);
    return splitSeries({ id: `${cells[0]}/${cells[1]}`, startMonth: 1, values });
  });
}

/** Header names each column may go by: ours, then statsforecast's long form (`unique_id,ds,y`) and others. */
const ALIASES = {
  series: ['series', 'unique_id', 'series_id', 'id'],
  month: ['month', 'ds', 'date', 'period'],
  value: ['value', 'y', 'target'],
  category: ['category', 'type'],
} as const;

/** A period number (1, 2, …): M4's long form (`unique_id,ds,y`) numbers its months, with no calendar. */
const PERIOD_NUMBER = /^[1-9]\d{0,4}$/; // not six digits: 200105 is a month written without its dash

/**
 * Any monthly series as a long CSV, `series,month,value` (month as YYYY-MM, a date in it, or any form
 * `monthIndex` reads) with an optional `category` column, or statsforecast's `unique_id,ds,y`; each
 * series' last 18 months are its future. Without a series column, the file is one series (named by
 * the file); without a value column either, every column beside the month is a series
 * (forecastColumns.ts). One series a row, as M3's published file (`Series,N,NF,…`), reads too
 * (forecastWide.ts), and so do M4's own files (`V1,V2,…`, with its test and info files:
 * forecastM4.ts). Cells may be quoted, and the separator may be a semicolon or a tab.
 * Months may also be period numbers (1, 2, …, as in M4's long form): period 1 is then read as a
 * January, which moves no forecast (the yearly cycle is read by position). How a set Bearing has
 * never seen (for example M1's 617 monthly series) is scored the same way as the two above. A month
 * missing inside a series or given twice is an error: the forecast reads values by position, so
 * either would shift the calendar.
 */
export function csvMonthly(file: string, m4: M4Files = {}): RealSeries[] {
  const [head, ...lines] = readText(file).trim().split(/\r?\n/);
  const sep = separatorOf(head!);
  const names = cells(head!, sep);
  const cols = names.map((c) => c.toLowerCase());
  if (isM4(cols)) return m4Monthly(file, lines, m4Files(file, m4));
  const at = (aliases: readonly string[]) => cols.findIndex((c) => aliases.includes(c));
  // No month column (any of its names): one series a row, when the header says so.
  if (at(ALIASES.month) < 0 && isWide(cols)) return wideMonthly(file, cols, lines, sep);
  const [si, named, vi, ci] = [at(ALIASES.series), at(ALIASES.month), at(ALIASES.value), at(ALIASES.category)];
  // pandas writes a frame's date index as a first column with no name (`,Sydney,Melbourne`).
  const mi = named < 0 && cols[0] === '' && cols.length > 1 ? 0 : named;
  const rows = lines.flatMap((line, i) => (line.trim() ? [{ cells: cells(line, sep), line: i + 2 }] : []));
  const { read: when, numbered } = monthReader(file, rows, mi);
  if (mi >= 0 && si < 0 && vi < 0 && cols.length > 1) return columnsMonthly(file, names, rows, mi, when, sep);
  if (mi < 0 || vi < 0)
    throw new Error(
      `${file}:1: expected columns series, month, value (or unique_id, ds, y), or a month column and one ` +
        `column a series; got ${shownHeader(cols)}`,
    );
  const single = basename(file).replace(/\.csv(\.gz)?$/i, '');
  const bySeries = new Map<string, { category?: string; rows: Array<[number, number, number]> }>();
  for (const { cells: row, line } of rows) {
    const month = when(row[mi] ?? '', line);
    const text = row[vi] ?? '';
    // No value (R's NA, an empty cell) is allowed before a series starts or after it ends.
    const value = NO_VALUE.has(text) ? Number.NaN : numberOf(text, sep);
    if (!NO_VALUE.has(text) && !Number.isFinite(value))
      throw new Error(`${file}:${line}: expected a number in column ${vi + 1} (got "${text}")`);
    const id = si < 0 ? single : (row[si] ?? '');
    const entry = bySeries.get(id) ?? { category: ci >= 0 ? row[ci] : undefined, rows: [] };
    entry.rows.push([month, value, line]);
    bySeries.set(id, entry);
  }
  return [...bySeries].flatMap(([id, { category, rows: all }]) => {
    if (all.every((r) => Number.isNaN(r[1]))) return []; // a series with no value at all
    all.sort((a, b) => a[0] - b[0]);
    const kept = all.slice(
      all.findIndex((r) => !Number.isNaN(r[1])),
      all.findLastIndex((r) => !Number.isNaN(r[1])) + 1,
    );
    for (let k = 1; k < kept.length; k++) {
      const [month, value, line] = kept[k]!;
      const gap = Number.isNaN(value) ? 2 : month - kept[k - 1]![0];
      if (gap !== 1) {
        const name = (m: number) =>
          numbered ? `period ${m + 1}` : `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        const what = gap === 0 ? `${name(month)} given twice` : `no value for ${name(kept[k - 1]![0] + 1)}`;
        throw new Error(`${file}:${line}: series "${id}": ${what} (expected one value a month, no gaps)`);
      }
    }
    return splitSeries({ id, category, startMonth: (kept[0]![0] % 12) + 1, values: kept.map((r) => r[1]) });
  });
}

/**
 * The month column's reader: months or period numbers, one kind for the whole file (a number beside
 * dates is a mistake), each bad cell named by its line.
 */
function monthReader(file: string, rows: Array<{ cells: string[] }>, mi: number) {
  const numbered = rows.length > 0 && PERIOD_NUMBER.test(rows[0]!.cells[mi] ?? '');
  const order = slashedOrder(rows.map((r) => r.cells[mi] ?? ''));
  const read = (text: string, line: number): number => {
    const isNumber = PERIOD_NUMBER.test(text);
    if (isNumber !== numbered)
      throw new Error(
        `${file}:${line}: "${text}" is ${isNumber ? 'a period number among months' : 'a month among period numbers'}` +
          ' (expected one kind in the whole file)',
      );
    const month = isNumber ? Number(text) - 1 : monthIndex(text, order);
    if (month === undefined) {
      // A date with its day and month first, in a column that does not tell which comes first: say so.
      const guess = /^\d{1,2}[/.]\d{1,2}[/.]\d{4}/.test(text) ? '; the column does not tell day from month' : '';
      throw new Error(
        `${file}:${line}: expected a month such as 2001-05, 2001-05-31, 2001M05 or May 2001 (or a period ` +
          `number) in column ${mi + 1} (got "${text}"${guess})`,
      );
    }
    return month;
  };
  return { read, numbered };
}
