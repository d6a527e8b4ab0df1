import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { formatProblems, importFiles, type ImportReport } from '../../data/import/index.ts';
import { ensureSchema } from '../../data/schema.ts';
import { currentSettings, DEFAULT_DB } from '../paths.ts';
import { isoDate } from './options.ts';
import { importProgress, progress } from './progress.ts';

export function printReport(report: ImportReport, mood = ''): void {
  for (const w of report.warnings) console.error(`warning: ${w}`);
  const n = (x: number) => x.toLocaleString('en-US');
  for (const t of report.tables) {
    const deleted = t.deleted ? `, ${n(t.deleted)} deleted` : '';
    const collapsed = t.collapsed ? ` (${n(t.collapsed)} collapsed by key)` : '';
    console.log(
      `${t.table}: ${n(t.rows_read)} rows read${collapsed} from ${t.files.join(', ')}; ${mood ? `${mood} ` : ''}` +
        `${n(t.inserted)} ` +
        `new, ${n(t.updated)} updated, ${n(t.unchanged)} unchanged${deleted}`,
    );
  }
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'Import CSV files in one transaction: every row lands or none does. The table is the file name (customers.csv ' +
        '→ customers).',
    )
    .argument('<files...>', 'CSV files (customers, touchpoints, spend, surveys, orders)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--table <name>', 'table to load a single file into')
    .option(
      '--complete-through <date>',
      'declare the imported tables complete through this date (default: their latest date)',
      isoDate('--complete-through'),
    )
    .action(async (files: string[], opts: { db: string; table?: string; completeThrough?: string }) => {
      if (opts.table && files.length > 1)
        throw new BearingError(
          'usage',
          '--table names the table of a single file; import several files by naming them after their tables',
        );
      const paths = files.map((f) => resolve(f));
      const settings = currentSettings();
      const db = await Database.open(opts.db, {
        allowedDirectories: [...new Set(paths.map((p) => dirname(p)))],
        timezone: settings.timezone,
      });
      const bar = progress();
      try {
        await db.write(ensureSchema);
        const report = await importFiles(
          db,
          paths.map((path) => ({ path, table: opts.table })),
          {
            completeThrough: opts.completeThrough,
            lifecycle: { inactiveAfterDays: settings.churn?.inactive_after_days },
            onProgress: importProgress(bar),
          },
        );
        bar.done();
        printReport(report);
      } catch (error) {
        bar.done();
        if (error instanceof BearingError && error.code === 'import-rejected') {
          const report = error.details as ImportReport;
          for (const w of report.warnings) console.error(`warning: ${w}`);
          for (const line of formatProblems(report)) console.error(line);
        }
        throw error;
      } finally {
        db.close();
      }
    });
}
