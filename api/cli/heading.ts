import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { goalsFile, readGoals } from '../../metrics/goals.ts';
import { type GoalHeading, headingEach, type Overview } from '../../metrics/heading/heading.ts';
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
      const file = goalsFile(opts.goals, { mustExist: true });
      const goals = readGoals(file);
      if (goals.problems.length) {
        for (const p of goals.problems) console.error(formatProblem(p));
        throw new BearingError('goals-file-invalid', `${file} has ${goals.problems.length} problem(s)`);
      }
      const dir = metricsDir(opts.metrics);
      const options = { asOf: opts.asOf, currency: currentCurrency() };
      const words = unitWords('en-US', currentCurrency());
      // Each goal's two lines, kept instead of its reading (a reading holds its whole series).
      const lines: string[] = [];
      const text = async (g: GoalHeading) => {
        lines.push(goalLines(g, words));
      };
      const overview = await readLocallyOrFromServer(
        opts.db,
        async (db) => {
          const catalog = await Catalog.load(db, dir);
          // Written or shortened as they are read: no file of goals is too large to print.
          if (opts.json) return printJson((each) => headingEach(db, catalog, goals.goals, options, each));
          return headingEach(db, catalog, goals.goals, options, text);
        },
        async (server) => {
          sameFiles(server, 'metrics_dir', dir);
          sameFiles(server, 'goals_file', file);
          // Each goal printed as it arrives: a large overview is never held whole.
          const replay = async (each: (g: GoalHeading) => Promise<void>) => {
            const { problems: _problems, ...rest } = await server.getEach<
              GoalHeading,
              Omit<Overview, 'goals'> & { problems: unknown }
            >('/goals', { as_of: opts.asOf }, 'goals', each);
            return rest;
          };
          return opts.json ? printJson(replay) : replay(text);
        },
      );
      if (opts.json) return;
      const b = overview.balance;
      console.log(
        `Heading as of ${overview.as_of}: ${b.business.goals} business goals ` +
          `(${b.business.on_course + b.business.arrived} on course or arrived), ${b.community.goals} community ` +
          `(${b.community.on_course + b.community.arrived} on course or arrived)\n`,
      );
      for (const l of lines) console.log(l);
    });
}

/** A goal's status, name, target and due date, then its reading, on two lines. */
function goalLines(g: GoalHeading, words: ReturnType<typeof unitWords>): string {
  const where = Object.entries(g.where)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const scope = where ? ` (${where})` : '';
  const target = `${words.value(g.unit, g.target)} by ${words.date(g.due, 'day')}`;
  return `${SYMBOL[g.status]}  ${g.id}: ${g.label}${scope} → ${target}\n    ${g.reading}`;
}

/**
 * The overview as indented JSON (as JSON.stringify(…, null, 2) would write it, goals first), one
 * goal at a time: 21,060 goals are 1 GB of text, more than one string can hold.
 */
async function printJson<T extends object>(read: (each: (g: GoalHeading) => Promise<void>) => Promise<T>): Promise<T> {
  const indent = (value: unknown, by: string) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${by}`);
  let n = 0;
  await write('{\n  "goals": [');
  const rest = await read((g) => write(`${n++ ? ',' : ''}\n    ${indent(g, '    ')}`));
  await write(n ? '\n  ]' : ']');
  for (const [key, value] of Object.entries(rest)) await write(`,\n  ${JSON.stringify(key)}: ${indent(value, '  ')}`);
  await write('\n}\n');
  return rest;
}

/** Write to stdout and wait when its buffer is full (a pipe read slowly, a large answer). */
function write(text: string): Promise<void> {
  return new Promise((done, fail) => {
    const ok = process.stdout.write(text, (error) => (error ? fail(error) : undefined));
    if (ok) done();
    else process.stdout.once('drain', done);
  });
}
