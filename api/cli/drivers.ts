// `bearing drivers METRIC | --goal ID`: what drove the latest change, by each dimension.
import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { type DriversAnswer, type DriversRequest, metricDrivers } from '../../metrics/drivers/drivers.ts';
import { driverPhrase } from '../../metrics/words/drivers.ts';
import { withCurrency } from '../../metrics/words/current.ts';
import { goalsFile, readGoals } from '../../metrics/goals.ts';
import { currentCurrency, DEFAULT_DB } from '../paths.ts';
import { integer, isoDate } from './options.ts';
import { parseWhere } from './query.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

/** The request's own fields (commander names them alike), and where to read from. */
interface Options extends DriversRequest {
  goal?: string;
  json?: boolean;
  metrics?: string;
  goals?: string;
  db: string;
}

export function registerDrivers(program: Command): void {
  program
    .command('drivers')
    .description(
      'What drove a metric’s (or a goal’s) change, by each of its dimensions: the latest complete month against ' +
        'the one before, and the last 3 months against the 3 before.',
    )
    .argument('[metric]', 'metric name (or use --goal)')
    .option('--goal <id>', 'a goal: its metric within its filters')
    .option('--from <date>', 'first day of the window examined', isoDate('--from'))
    .option('--to <date>', 'last day of the window examined', isoDate('--to'))
    .option('--compare-from <date>', 'first day of the window compared with', isoDate('--compare-from'))
    .option('--compare-to <date>', 'last day of the window compared with', isoDate('--compare-to'))
    .option('--window <months>', 'months per window (default: 1 and 3)', integer('--window', 1))
    .option('--where <dim=value>', 'keep only rows where a dimension has a value (repeatable)', parseWhere)
    .option('--as-of <date>', 'as-of date; default: the latest complete date of the data', isoDate('--as-of'))
    .option('--json', 'print JSON (one object per comparison)')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(async (metricArg: string | undefined, opts: Options) => {
      const { metric, where } = target(metricArg, opts);
      const windows = opts.window || opts.from || opts.to ? [opts.window] : [1, 3];
      const requests = windows.map(
        (window): DriversRequest => ({
          from: opts.from,
          to: opts.to,
          compareFrom: opts.compareFrom,
          compareTo: opts.compareTo,
          window,
          where,
          asOf: opts.asOf,
        }),
      );
      const dir = metricsDir(opts.metrics);
      const answers = await readLocallyOrFromServer(
        opts.db,
        async (db) => {
          const catalog = await Catalog.load(db, dir);
          const out: DriversAnswer[] = [];
          const currency = currentCurrency();
          for (const r of requests) out.push(await metricDrivers({ db, catalog }, metric, { ...r, currency }));
          return out;
        },
        async (server) => {
          sameFiles(server, 'metrics_dir', dir);
          const out: DriversAnswer[] = [];
          for (const r of requests)
            out.push(
              await server.get<DriversAnswer>(`/metrics/${encodeURIComponent(metric)}/drivers`, {
                from: r.from,
                to: r.to,
                compare_from: r.compareFrom,
                compare_to: r.compareTo,
                window: r.window,
                as_of: r.asOf,
                where: Object.entries(where).map(([k, v]) => `${k}=${v}`),
              }),
            );
          return out;
        },
      );
      if (opts.json) console.log(JSON.stringify(answers.length === 1 ? answers[0] : answers, null, 2));
      else for (const a of answers) printAnswer(a);
    });
}

/** The metric and filters asked about: a metric name, or a goal's metric within the goal's filters. */
function target(metricArg: string | undefined, opts: Options): { metric: string; where: Record<string, string> } {
  if (metricArg && opts.goal) throw new BearingError('usage', 'give a metric or --goal, not both');
  if (!opts.goal) {
    if (!metricArg) throw new BearingError('usage', 'give a metric name or --goal ID');
    return { metric: metricArg, where: opts.where ?? {} };
  }
  const goal = readGoals(goalsFile(opts.goals, { mustExist: true })).goals.find((g) => g.id === opts.goal);
  if (!goal) throw new BearingError('unknown-goal', `no goal with id "${opts.goal}"`);
  return { metric: goal.metric, where: { ...opts.where, ...goal.where } };
}

function printAnswer(a: DriversAnswer): void {
  console.log(a.sentence);
  for (const d of a.contributions.slice(0, 8)) {
    const mark = d.driver ? '●' : '·';
    console.log(`  ${mark} ${withCurrency(currentCurrency(), () => driverPhrase(a.unit, d))}`);
  }
  for (const w of a.warnings) console.log(`  note: ${w}`);
  console.log(`  method: ${a.method}\n`);
}
