import type { Command } from 'commander';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { DEFAULT_DB } from '../paths.ts';
import { openForCheck } from './open.ts';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Check every metric definition like code: YAML, fields, columns against the database, SQL, references and the sandbox. Exit 1 on any problem.')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(async (opts: { metrics?: string; db: string }) => {
      const { db, note } = await openForCheck(opts.db);
      try {
        if (note) console.error(note);
        const catalog = await Catalog.load(db, metricsDir(opts.metrics));
        for (const p of catalog.problems) console.log(formatProblem(p));
        const files = new Set(catalog.problems.map((p) => p.file)).size;
        if (catalog.problems.length) {
          console.error(`${catalog.problems.length} problem${catalog.problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ${catalog.metrics.length} metric${catalog.metrics.length === 1 ? '' : 's'} valid`);
          process.exitCode = 1;
        } else {
          console.error(`${catalog.metrics.length} metrics valid in ${catalog.dir}`);
        }
      } finally {
        db.close();
      }
    });
}
