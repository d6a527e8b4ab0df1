// The 366 monthly series of the 2010 tourism forecasting competition (Athanasopoulos, Hyndman,
// Song & Wu, IJF 27(3)), each with the 24 months that followed its history: real series whose
// future is known. Files as published (one column per series: length, start year, start month,
// then the values); see test/fixtures/tourism/README.md for source and licence.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isM4, type M4Files, m4Files, m4Monthly } from './forecastM4.ts';
import { cell, type RealSeries, readText, splitSeries } from './forecastSeries.ts';
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

/** A YYYY-MM month as a count of months, from `2001-05`, `2001-05-31` or `2001-05-31 00:00:00`. */
function monthIndex(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})(?:-\d{2}(?:[ T][\d:.]+Z?)?)?$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** A period number (1, 2, …): M4's long form (`unique_id,ds,y`) numbers its months, with no calendar. */
const PERIOD_NUMBER = /^[1-9]\d{0,4}$/; // not six digits: 200105 is a month written without its dash

/**
 * Any monthly series as a long CSV, `series,month,value` (month as YYYY-MM, or a date in it) with an
 * optional `category` column, or statsforecast's `unique_id,ds,y`; each series' last 18 months are its
 * future. One series a row, as M3's published file (`Series,N,NF,…`), reads too (forecastWide.ts),
 * and so do M4's own files (`V1,V2,…`, with its test and info files: forecastM4.ts).
 * Months may also be period numbers (1, 2, …, as in M4's long form): period 1 is then read as a
 * January, which moves no forecast (the yearly cycle is read by position). How a set Bearing has
 * never seen (for example M1's 617 monthly series) is scored the same way as the two above. A month
 * missing inside a series or given twice is an error: the forecast reads values by position, so
 * either would shift the calendar.
 */
export function csvMonthly(file: string, m4: M4Files = {}): RealSeries[] {
  const [head, ...lines] = readText(file).trim().split(/\r?\n/);
  const cols = head!.split(',').map((c) => cell(c).toLowerCase());
  if (isM4(cols)) return m4Monthly(file, lines, m4Files(file, m4));
  const at = (names: readonly string[]) => cols.findIndex((c) => names.includes(c));
  // No month column (any of its names): one series a row, when the header says so.
  if (at(ALIASES.month) < 0 && isWide(cols)) return wideMonthly(file, cols, lines);
  const [si, mi, vi, ci] = [at(ALIASES.series), at(ALIASES.month), at(ALIASES.value), at(ALIASES.category)];
  if (si < 0 || mi < 0 || vi < 0)
    throw new Error(`${file}:1: expected columns series, month, value (or unique_id, ds, y); got ${cols.join(', ')}`);
  const bySeries = new Map<string, { category?: string; rows: Array<[number, number, number]> }>();
  // Months or period numbers, one kind for the whole file: a number beside dates is a mistake.
  let numbered: boolean | undefined;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const cells = line.split(',');
    const when = cell(cells[mi]);
    const isNumber = PERIOD_NUMBER.test(when);
    numbered ??= isNumber;
    if (isNumber !== numbered)
      throw new Error(
        `${file}:${i + 2}: "${when}" is ${isNumber ? 'a period number among months' : 'a month among period numbers'}` +
          ' (expected one kind in the whole file)',
      );
    const month = isNumber ? Number(when) - 1 : monthIndex(when);
    const value = cell(cells[vi]) === '' ? Number.NaN : Number(cell(cells[vi]));
    if (month === undefined || !Number.isFinite(value))
      throw new Error(
        `${file}:${i + 2}: expected a YYYY-MM month (or a period number) and a number (got "${when}", ` +
          `"${cell(cells[vi])}")`,
      );
    const id = cell(cells[si]);
    const entry = bySeries.get(id) ?? { category: ci >= 0 ? cell(cells[ci]) : undefined, rows: [] };
    entry.rows.push([month, value, i + 2]);
    bySeries.set(id, entry);
  });
  return [...bySeries].map(([id, { category, rows }]) => {
    rows.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < rows.length; k++) {
      const [month, , line] = rows[k]!;
      const gap = month - rows[k - 1]![0];
      if (gap !== 1) {
        const name = (m: number) =>
          numbered ? `period ${m + 1}` : `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        const what = gap === 0 ? `${name(month)} given twice` : `no value for ${name(rows[k - 1]![0] + 1)}`;
        throw new Error(`${file}:${line}: series "${id}": ${what} (expected one value a month, no gaps)`);
      }
    }
    return splitSeries({ id, category, startMonth: (rows[0]![0] % 12) + 1, values: rows.map((r) => r[1]) });
  });
}
