// The 366 monthly series of the 2010 tourism forecasting competition (Athanasopoulos, Hyndman,
// Song & Wu, IJF 27(3)), each with the 24 months that followed its history: real series whose
// future is known. Files as published (one column per series: length, start year, start month,
// then the values); see test/fixtures/tourism/README.md for source and licence.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RealSeries {
  id: string;
  /** Month of the year (1–12) of the first value. */
  startMonth: number;
  history: number[];
  future: number[];
  /** The set's own category (M-competition style: micro, industry, …), when the file names one. */
  category?: string;
}

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

/** Months held out as each series' future (the hospital and CSV sets; tourism's come apart). */
const FUTURE_MONTHS = 18;

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
    return {
      id: `${cells[0]}/${cells[1]}`,
      startMonth: 1,
      history: values.slice(0, -FUTURE_MONTHS),
      future: values.slice(-FUTURE_MONTHS),
    };
  });
}

/**
 * Any monthly series as a long CSV, `series,month,value` (month as YYYY-MM) with an optional
 * `category` column; each series' last 18 months are its future. How a set Bearing has never seen
 * (for example M1's 617 monthly series) is scored the same way as the two above.
 */
export function csvMonthly(file: string): RealSeries[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',').map((c) => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  const [si, mi, vi, ci] = [at('series'), at('month'), at('value'), at('category')];
  if (si < 0 || mi < 0 || vi < 0) throw new Error(`${file}: expected columns series, month, value`);
  const bySeries = new Map<string, { category?: string; rows: Array<[string, number]> }>();
  lines.forEach((line, i) => {
    const cells = line.split(',');
    const value = Number(cells[vi]);
    if (!/^\d{4}-\d{2}$/.test(cells[mi] ?? '') || !Number.isFinite(value))
      throw new Error(`${file}:${i + 2}: expected a YYYY-MM month and a number`);
    const entry = bySeries.get(cells[si]!) ?? { category: ci >= 0 ? cells[ci] : undefined, rows: [] };
    entry.rows.push([cells[mi]!, value]);
    bySeries.set(cells[si]!, entry);
  });
  return [...bySeries].map(([id, { category, rows }]) => {
    rows.sort((a, b) => a[0].localeCompare(b[0]));
    const values = rows.map((r) => r[1]);
    return {
      id,
      category,
      startMonth: Number(rows[0]![0].slice(5)),
      history: values.slice(0, -FUTURE_MONTHS),
      future: values.slice(-FUTURE_MONTHS),
    };
  });
}
