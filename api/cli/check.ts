import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { checkGoalsFile, goalsFile } from '../../metrics/goals.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { windowWarnings } from '../../metrics/lifecycleWarnings.ts';
import { breakdownWarnings } from '../../metrics/breakdownWarnings.ts';
import { weeklyRowWarnings } from '../../metrics/weeklyWarnings.ts';
import { ProblemReporter } from '../../data/problems.ts';
import { readSourcesFiles } from '../../data/sources/definition.ts';
import { readSettings } from '../../data/workspace.ts';
import { currentWorkspace, DEFAULT_DB } from '../paths.ts';
import { openForCheck } from './open.ts';

/** A path as the user would type it: relative to here when inside it, absolute otherwise. */
const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'Check every metric definition like code: YAML, fields, columns against the database, SQL, references and the ' +
        'sandbox. Exit 1 on any problem.',
    )
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(async (opts: { metrics?: string; goals?: string; db: string }) => {
      const { db, note } = await openForCheck(opts.db);
      try {
        if (note) console.error(note);
        const catalog = await Catalog.load(db, metricsDir(opts.metrics));
        // Problems name files relative to where the command runs, as a compiler's would.
        const ordered = [...catalog.problems]
          .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col)
          .map((p) => ({ ...p, file: shown(join(catalog.dir, p.file)) }));
        // The workspace's settings and sources files are checked like definitions (their shape;
        // `bearing sources check` reads the data files too).
        const workspace = currentWorkspace();
        const reporter = new ProblemReporter();
        readSourcesFiles(workspace.sourcesDir, reporter);
        const goals = goalsFile(opts.goals, { mustExist: true });
        const others = [
          ...readSettings(workspace.settingsFile).problems.map((p) => ({ ...p, file: shown(workspace.settingsFile) })),
          ...reporter.problems.map((p) => ({ ...p, file: shown(join(workspace.sourcesDir, p.file)) })),
          ...checkGoalsFile(goals, catalog).map((p) => ({ ...p, file: shown(goals) })),
        ];
        for (const p of [...others, ...ordered]) console.log(formatProblem(p));
        const settings = readSettings(workspace.settingsFile).settings;
        const definitions = catalog.metrics.map((m) => m.definition);
        for (const w of [
          ...windowWarnings(definitions, settings.churn?.inactive_after_days),
          ...breakdownWarnings(definitions),
          ...(await weeklyRowWarnings(db, definitions)),
        ])
          console.error(`warning: ${shown(join(catalog.dir, `${w.metric}.yaml`))}: ${w.message}`);
        if (others.length)
          throw new BearingError(
            'definitions-invalid',
            `${plural(others.length, 'problem')} in the workspace settings, sources or goals`,
          );
        const files = new Set(catalog.problems.map((p) => p.file)).size;
        if (catalog.problems.length) {
          // The exit code comes from main(), like every command's: a failure is thrown, never set aside.
          throw new BearingError(
            'definitions-invalid',
            `${plural(catalog.problems.length, 'problem')} in ${plural(files, 'file')}; ` +
              `${plural(catalog.metrics.length, 'metric')} valid`,
          );
        }
        console.error(`${plural(catalog.metrics.length, 'metric')} valid in ${shown(catalog.dir)}`);
      } finally {
        db.close();
      }
    });
}
