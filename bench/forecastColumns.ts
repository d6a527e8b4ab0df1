// One series a column beside a month column (`month, Sydney, Melbourne, …`), as a spreadsheet, a
// statistics office or pandas' `DataFrame.to_csv` writes a table of series, read for
// `npm run bench:forecast -- --data file.csv`. Each series' last 18 months are its future.
import { NO_VALUE, numberOf, type RealSeries, splitSeries } from './forecastSeries.ts';

/**
 * Every column but the month's is a series. A column may start later or end earlier than the table
 * (empty cells before its first value and after its last); an empty or other cell between its values
 * stops the run with its line and column. Rows may come in any order; every month between the first
 * and the last needs its row.
 */
export function columnsMonthly(
  file: string,
  cols: string[],
  given: Array<{ cells: string[]; line: number }>,
  monthCol: number,
  /** The month a cell names (a count of months), or an error naming the line. */
  monthOf: (text: string, line: number) => number,
  sep = ',',
): RealSeries[] {
  // Rows in any order (exports often list the newest month first), put in month order.
  const byMonth = given
    .map((row) => ({ row, month: monthOf(row.cells[monthCol] ?? '', row.line) }))
    .sort((a, b) => a.month - b.month);
  const rows = byMonth.map((r) => r.row);
  const months = byMonth.map((r) => r.month);
  months.forEach((m, i) => {
    if (i === 0 || m === months[i - 1]! + 1) return;
    const what = m === months[i - 1] ? 'a month given twice' : 'no row for the month before it';
    throw new Error(`${file}:${rows[i]!.line}: ${what} (expected one row a month)`);
  });
  const out: RealSeries[] = [];
  cols.forEach((id, c) => {
    if (c === monthCol) return;
    const texts = rows.map((r) => r.cells[c] ?? '');
    const first = texts.findIndex((t) => !NO_VALUE.has(t));
    if (first < 0) return; // a column with no values: nothing to score
    let last = texts.length - 1;
    while (NO_VALUE.has(texts[last]!)) last--;
    const values = texts.slice(first, last + 1).map((t, k) => {
      const v = numberOf(t, sep); // NaN for every NO_VALUE cell, so a gap inside the column is named below
      if (!Number.isFinite(v))
        throw new Error(
          `${file}:${rows[first + k]!.line}: series "${id}" (column ${c + 1}) is "${t}" ` +
            '(expected a number; the bench needs every month, no gaps)',
        );
      return v;
    });
    out.push(splitSeries({ id, startMonth: (months[first]! % 12) + 1, values }));
  });
  return out;
}
