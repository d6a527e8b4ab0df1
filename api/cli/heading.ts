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
        await printJson(overview);
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

/**
 * The overview as the same indented JSON as JSON.stringify(overview, null, 2), written one goal at
 * a time: 5,265 goals made 256 MB of text, and a few times that is more than one string can hold.
 */
async function printJson(overview: Overview): Promise<void> {
  const { goals, ...rest } = overview;
  const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  await write(`${head}${Object.keys(rest).length ? ',' : ''}\n  "goals": [`);
  for (const [i, g] of goals.entries())
    await write(`${i ? ',' : ''}\n    ${indent(JSON.stringify(g, null, 2), '    ')}`);
  await write(`${goals.length ? '\n  ' : ''}]\n}\n`);
}

/** Write to stdout and wait when its buffer is full (a pipe read slowly, a large answer). */
function write(text: string): Promise<void> {
  return new Promise((done, fail) => {
    const ok = process.stdout.write(text, (error) => (error ? fail(error) : undefined));
    if (ok) done();
    else process.stdout.once('drain', done);
  });
}
