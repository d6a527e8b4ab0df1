// A workspace of 12 real monthly series (6 tourism, 6 hospital) with 3 goals each (or copies of
// them), and each goal's chance and band as bench/forecast.ts's forecaster gives them: what the
// product reads must be what the bench scores.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hospitalMonthly, type RealSeries, tourismMonthly } from '../../bench/forecastData.ts';
import { peers } from '../../bench/forecastPeers.ts';

const DUE = [
  [6, '2025-06-30'],
  [12, '2025-12-31'],
  [18, '2026-06-30'],
] as const;

export interface Expected {
  p: number;
  low: number;
  high: number;
}

/** Every history ends in Dec 2024: month k before the end is month (12 − k) of its year. */
function monthsEndingInDecember(s: RealSeries): number[] {
  const n = s.history.length;
  return s.history.map((_, i) => ((((11 - (n - 1 - i)) % 12) + 12) % 12) + 1);
}

/** The workspace, and each goal's chance and band as the bench's forecaster gives them. */
export function writeRealSeriesWorkspace(dir: string, copies = 1): Map<string, Expected> {
  const series = [...tourismMonthly().slice(0, 6), ...hospitalMonthly().slice(0, 6)];
  const forecast = peers().bearing!;
  const rows = ['name,date,value'];
  const goals: string[] = [];
  const expected = new Map<string, Expected>();
  series.forEach((s, k) => {
    const n = s.history.length;
    s.history.forEach((v, i) => {
      const m = 2024 * 12 + 11 - (n - 1 - i);
      rows.push(`s${k},${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${v}`);
    });
    const f = forecast(s.history, monthsEndingInDecember(s));
    DUE.forEach(([h, due], j) => {
      const target = [0.9, 1.05, 1.2][j]! * s.history.at(-1)!;
      for (let c = 0; c < copies; c++) {
        const id = copies > 1 ? `s${k}-${h}-${c}` : `s${k}-${h}`;
        goals.push(`- { id: ${id}, metric: series_value, target: ${target}, due: ${due}, where: { name: s${k} } }`);
        expected.set(id, { p: 1 - f.cdf(h, target), low: f.quantile(h, 0.025), high: f.quantile(h, 0.975) });
      }
    });
  });
  mkdirSync(join(dir, 'sources', 'data'), { recursive: true });
  mkdirSync(join(dir, 'metrics', 'definitions'), { recursive: true });
  writeFileSync(join(dir, 'bearing.yaml'), 'timezone: UTC\ncurrency: USD\n');
  writeFileSync(join(dir, 'sources', 'data', 'series.csv'), `${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'sources', 'series.yaml'),
    'sources:\n  - { name: series, table: observations, files: data/series.csv }\n',
  );
  writeFileSync(
    join(dir, 'metrics', 'definitions', 'series_value.yaml'),
    'name: series_value\nlabel: Series value\ndescription: One real series per name.\nunit: count\n' +
      'direction: up\ntable: observations\ntime: date\nmeasure: sum(value)\ndimensions: [name]\n',
  );
  writeFileSync(join(dir, 'metrics', 'goals.yaml'), `${goals.join('\n')}\n`);
  return expected;
}
