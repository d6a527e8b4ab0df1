import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { goalsFile, readGoals } from '../../metrics/goals.ts';
import { headingOverview, type Overview } from '../../metrics/heading/heading.ts';
import { unitWords } from '../../metrics/words/units.ts';
import { currentCurrency, DEFAULT_DB } from '../paths.ts';
import { isoDate } from './options.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

const SYMBOL: Record<string, string> = {
  on_course: '✔ on course',
  drifting: '~ drifting',
  off_course: '✘ off course',
  arrived: '★ arrived',
  no_signal: '? no signal',
  met: '✔ met',
  missed: '✘ missed',
};

export function registerHeading(program: Command): void {
  program
    .command('heading')
    .description('Read every goal like a GPS: position, heading, pace needed, projection, arrival and status.')
    .option('--json', 'print JSON (one object per goal with every field, the series and the projection band)')
    .option('--as-of <date>', 'as-of date; default: the latest event date in the data', isoDate('--as-of'))
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(async (opts: { json?: boolean; asOf?: string; goals?: string; metrics?: string; db: string }) => {
      const file = goalsFile(opts.goals);
      const goals = readGoals(file);
      if (goals.problems.length) {
        for (const p of goals.problems) console.error(formatProblem(p));
        throw new BearingError('goals-file-invalid', `${file} has ${goals.problems.length} problem(s)`);
      }
      const dir = metricsDir(opts.metrics);
      const overview = await readLocallyOrFromServer(
        opts.db,
        async (db) =>
          headingOverview(db, await Catalog.load(db, dir), goals.goals, {
            asOf: opts.asOf,
            currency: currentCurrency(),
          }),
        async (server) => {
          sameFiles(server, 'metrics_dir', dir);
          sameFiles(server, 'goals_file', file);
          const { problems: _problems, ...answer } = await server.get<Overview & { problems: unknown }>('/goals', {
            as_of: opts.asOf,
          });
          return answer;
        },
      );
      if (opts.json) {
        console.log(JSON.stringify(overview, null, 2));
        return;
      }
      const b = overview.balance;
      console.log(
        `Heading as of ${overview.as_of}: ${b.business.goals} business goals ` +
          `(${b.business.on_course + b.business.arrived} on course or arrived), ${b.community.goals} community ` +
          `(${b.community.on_course + b.community.arrived} on course or arrived)\n`,
      );
      const words = unitWords('en-US', currentCurrency());
      for (const g of overview.goals) {
        const where = Object.entries(g.where)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
        const scope = where ? ` (${where})` : '';
        const target = words.value(g.unit, g.target);
        console.log(`${SYMBOL[g.status]}  ${g.id}: ${g.label}${scope} → ${target} by ${words.date(g.due, 'day')}`);
        console.log(`    ${g.reading}`);
      }
    });
}
