// The M4 competition's own files, as published in its repository's `Dataset/` folder
// (Mcompetitions/M4-methods): `Train/Monthly-train.csv` holds one series a row under a header
// `V1, V2, …` (V1 the series' id, then its values, the shorter rows padded with empty cells),
// `Test/Monthly-test.csv` the 18 months that followed each, and `M4-info.csv` each series' category
// (Micro, Industry, Macro, Finance, Demographic, Other). Read for
// `npm run bench:forecast -- --data Monthly-train.csv`.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  cells as split,
  FUTURE_MONTHS,
  NO_VALUE,
  numbersOf,
  type RealSeries,
  shownHeader,
  readText,
} from './forecastSeries.ts';

/** M4's header: `V1, V2, …, Vk` and nothing else (the id, then the values). */
export function isM4(cols: string[]): boolean {
  return cols.length > 1 && cols.every((c, i) => c === `v${i + 1}`);
}

export interface M4Files {
  /** The rows that followed each series (M4's `Monthly-test.csv`); without it, the train rows' last 18. */
  future?: string;
  /** M4-info.csv: each series' category. */
  info?: string;
}

/**
 * The test and info files beside a train file, as M4 lays them out (`Train/Monthly-train.csv`,
 * `Test/Monthly-test.csv`, `M4-info.csv` one folder up) or side by side; given paths win.
 */
export function m4Files(train: string, given: M4Files = {}): M4Files {
  const dir = dirname(train);
  const first = (paths: string[]) => paths.find((p) => existsSync(p));
  const testName = basename(train).replace(/train/i, (t) => (t === 'Train' ? 'Test' : t === 'TRAIN' ? 'TEST' : 'test'));
  return {
    future:
      given.future ??
      (testName === basename(train) ? undefined : first([join(dir, testName), join(dir, '..', 'Test', testName)])),
    info: given.info ?? first([join(dir, 'M4-info.csv'), join(dir, '..', 'M4-info.csv')]),
  };
}

/** Each row's id and values, its padding taken off; a gap inside a row names its line and column. */
function rows(file: string, lines: string[]): Array<{ id: string; values: number[]; line: number }> {
  const out: Array<{ id: string; values: number[]; line: number }> = [];
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    const line = i + 2;
    const cells = split(text);
    const id = cells[0]!;
    // M4 numbers every frequency's series by a letter: Y, Q, M, W, D, H. Only months are scored.
    if (/^[YQWDH]\d+$/.test(id))
      throw new Error(`${file}:${line}: series "${id}" is not monthly (M4's monthly series are M1, M2, …)`);
    const raw = cells.slice(1);
    // Padding at a row's end: M4's files leave cells empty; R's write.csv writes NA.
    while (raw.length && NO_VALUE.has(raw.at(-1)!)) raw.pop();
    out.push({ id, values: numbersOf(raw, 2, `${file}:${line}: series "${id}"`), line });
  });
  return out;
}

/** M4-info.csv's category per series id (its columns `M4id` and `category`). */
function categories(file: string): Map<string, string> {
  const [head, ...lines] = readText(file).trim().split(/\r?\n/);
  const cols = split(head!).map((c) => c.toLowerCase());
  const [ii, ci] = [cols.indexOf('m4id'), cols.indexOf('category')];
  if (ii < 0 || ci < 0) throw new Error(`${file}:1: expected columns M4id and category; got ${shownHeader(cols)}`);
  return new Map(
    lines.map((l) => {
      const cells = split(l);
      return [cells[ii]!, cells[ci]!];
    }),
  );
}

/**
 * Every train row's series, its future the test row of the same id (exactly 18 values) or, with no
 * test file, its own last 18. M4 gave no calendar to its participants, so the first value is read
 * as a January: that moves no forecast (the yearly cycle is read by position).
 */
export function m4Monthly(file: string, lines: string[], files: M4Files): RealSeries[] {
  const train = rows(file, lines);
  const byId = new Map<string, number[]>();
  if (files.future) {
    const [, ...testLines] = readText(files.future).trim().split(/\r?\n/);
    for (const r of rows(files.future, testLines)) {
      if (r.values.length !== FUTURE_MONTHS)
        throw new Error(
          `${files.future}:${r.line}: series "${r.id}": ${r.values.length} values ` +
            `(expected the ${FUTURE_MONTHS} months that followed its train row)`,
        );
      byId.set(r.id, r.values);
    }
  }
  const category = files.info ? categories(files.info) : undefined;
  return train.map(({ id, values, line }) => {
    const future = files.future ? byId.get(id) : values.slice(-FUTURE_MONTHS);
    if (!future) throw new Error(`${file}:${line}: series "${id}" has no row in ${files.future}`);
    const history = files.future ? values : values.slice(0, -FUTURE_MONTHS);
    if (history.length < 1)
      throw new Error(`${file}:${line}: series "${id}": ${values.length} values, not more than its future`);
    if (category && !category.has(id)) throw new Error(`${file}:${line}: series "${id}" has no row in ${files.info}`);
    return { id, category: category?.get(id), startMonth: 1, history, future };
  });
}
