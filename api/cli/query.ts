import { Option, type Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { GRAINS, type Grain } from '../../metrics/definition.ts';
import { runSeries, type Series } from '../../metrics/series.ts';
import { unitWords } from '../../metrics/words/units.ts';
import { currentCurrency, DEFAULT_DB } from '../paths.ts';
import { integer, isoDate } from './options.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

export function parseWhere(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new BearingError('usage', `--where expects DIMENSION=VALUE (got "${value}")`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

/**
 * A CSV cell a spreadsheet cannot run: numbers and booleans as they are, text quoted, and text that
 * starts like a formula (= + - @, tab, carriage return) behind an apostrophe, as the web app's
 * exports do (a group named "=HYPERLINK(…)" from a kept column was a live formula).
 */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return `"${s.replace(/"/g, '""')}"`;
}

export function seriesToCsv(series: Series): string {
  const header = ['period', ...(series.by ? ['group'] : []), 'value', 'n', 'complete'];
  const lines = series.rows.map((r) =>
    [r.period, ...(series.by ? [r.group] : []), r.value, r.n, r.complete].map(csvCell).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

function seriesToTable(series: Series): string {
  // In the unit's words, as every page and reading writes them ("93.4%", "$1,204"); --json and --csv stay exact.
  const words = unitWords('en-US', currentCurrency());
  const fmt = (v: number | null) => words.value(series.unit, v);
  const rows = series.rows.map((r) => [
    r.period,
    ...(series.by ? [r.group ?? ''] : []),
    fmt(r.value),
    String(r.n),
    r.complete ? '' : 'partial',
  ]);
  const unit = series.unit === 'currency' ? currentCurrency() : series.unit;
  const header = ['period', ...(series.by ? [series.by] : []), `value (${unit})`, 'n', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || (series.by && i === 1) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `${series.label} (${series.metric}), by ${series.grain}, as of ${series.as_of}`,
    line(header),
    ...rows.map(line),
    ...(series.other_groups
      ? [`(other) holds the ${series.other_groups} smaller ${series.by} values beyond the top ${series.top}`]
      : []),
  ].join('\n');
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Compute a metric over time, as a table, JSON or CSV.')
    .argument('<metric>', 'metric name (see bearing check)')
    .addOption(new Option('--grain <grain>', 'period length').choices(GRAINS).default('month'))
    .option('--from <date>', 'first day (YYYY-MM-DD); default: the first row of data', isoDate('--from'))
    .option('--to <date>', 'last day (YYYY-MM-DD); default: the as-of date', isoDate('--to'))
    .option('--as-of <date>', 'as-of date; default: the latest event date in the data', isoDate('--as-of'))
    .option('--by <dimension>', 'break down by a dimension (segment, region, acquisition_channel, …)')
    .option('--where <dim=value>', 'keep only rows where a dimension has a value (repeatable)', parseWhere)
    .option('--top <n>', 'with --by: the N largest groups, the rest as "(other)"', integer('--top', 1))
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(runQuery);
}

interface QueryOptions {
  grain: Grain;
  from?: string;
  to?: string;
  asOf?: string;
  by?: string;
  where?: Record<string, string>;
  top?: number;
  json?: boolean;
  csv?: boolean;
  metrics?: string;
  db: string;
}

/** The series from the database, or from the server holding it; printed as a table, JSON or CSV. */
async function runQuery(name: string, opts: QueryOptions): Promise<void> {
  const dir = metricsDir(opts.metrics);
  const request = {
    grain: opts.grain,
    from: opts.from,
    to: opts.to,
    asOf: opts.asOf,
    by: opts.by,
    where: opts.where,
    top: opts.top,
  };
  const series = await readLocallyOrFromServer(
    opts.db,
    async (db) => {
      const catalog = await Catalog.load(db, dir);
      const metric = catalog.get(name);
      if (!metric) {
        const broken = catalog.problems.find((p) => p.file === `${name}.yaml`);
        const known = catalog.metrics.map((m) => m.definition.name).join(', ');
        const message = broken
          ? `metric "${name}" has problems; run "bearing check"`
          : `no metric named "${name}" (known: ${known})`;
        throw new BearingError('unknown-metric', message);
      }
      return runSeries(db, metric, request, catalog.resolve);
    },
    async (server) => {
      sameFiles(server, 'metrics_dir', dir);
      const where = Object.entries(opts.where ?? {}).map(([k, v]) => `${k}=${v}`);
      const { annotations: _notes, ...answer } = await server.get<Series & { annotations: unknown }>(
        `/metrics/${encodeURIComponent(name)}/series`,
        { grain: opts.grain, from: opts.from, to: opts.to, as_of: opts.asOf, by: opts.by, where, top: opts.top },
      );
      return answer;
    },
  );
  if (opts.json) console.log(JSON.stringify(series, null, 2));
  else if (opts.csv) process.stdout.write(seriesToCsv(series));
  else console.log(seriesToTable(series));
}
