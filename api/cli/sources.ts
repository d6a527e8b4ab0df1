// `bearing sources check`, `bearing sync` and `bearing history`: a workspace's sources checked,
// imported in one transaction, and the record of every import.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { readHistory } from '../../data/history.ts';
import { formatProblems, type ImportReport } from '../../data/import/index.ts';
import { formatProblem } from '../../data/problems.ts';
import { ensureSchema } from '../../data/schema.ts';
import { checkSources, syncSources } from '../../data/sources/index.ts';
import { currentSettings, currentWorkspace, DEFAULT_DB } from '../paths.ts';
import { isoDate } from './options.ts';
import { printReport } from './import.ts';
import { integer } from './options.ts';
import { importProgress, progress } from './progress.ts';

async function openForSources(path: string): Promise<Database> {
  const workspace = currentWorkspace();
  const settings = currentSettings(workspace);
  const dirs = existsSync(workspace.sourcesDir) ? [workspace.sourcesDir] : [];
  const db = await Database.open(path, { allowedDirectories: dirs, timezone: settings.timezone });
  await db.write(ensureSchema);
  return db;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function printSourceProblems(error: unknown): void {
  if (!(error instanceof BearingError)) return;
  if (error.code === 'sources-invalid') {
    for (const p of (error.details as { problems: Parameters<typeof formatProblem>[0][] }).problems)
      console.error(formatProblem({ ...p, file: `sources/${p.file}` }));
  }
  if (error.code === 'import-rejected')
    for (const line of formatProblems(error.details as ImportReport)) console.error(line);
}

function printPreview(check: Awaited<ReturnType<typeof checkSources>>): void {
  for (const p of check.previews) {
    console.log(
      `${p.name} → ${p.table} (${p.files.length} file${p.files.length === 1 ? '' : 's'}: ${p.files.join(', ')})`,
    );
    if (!p.rows.length) continue;
    console.log(`  ${p.columns.join(' | ')}`);
    for (const row of p.rows) console.log(`  ${p.columns.map((c) => String(row[c] ?? '')).join(' | ')}`);
  }
}

function registerCheck(sources: Command): void {
  sources
    .command('check')
    .description('Check every source against its files without importing; exit 1 on any problem.')
    .option('--db <file>', 'database file (its stored rows take part in the rules)', DEFAULT_DB)
    .option('--source <name>', 'check only this source (repeatable)', collect, [])
    .option('--preview <n>', 'mapped rows to show per source', integer('--preview', 0), 3)
    .action(async (opts: { db: string; source: string[]; preview: number }) => {
      const db = await openForSources(opts.db);
      try {
        const check = await checkSources(db, currentWorkspace(), currentSettings(), {
          only: opts.source,
          preview: opts.preview,
        });
        if (opts.preview) printPreview(check);
        for (const p of check.problems) console.log(formatProblem({ ...p, file: `sources/${p.file}` }));
        for (const line of check.data_problems) console.log(line);
        if (!check.ok)
          throw new BearingError(
            'sources-invalid',
            `${check.problems.length + check.data_problems.length} problem(s) in the sources; nothing was imported`,
          );
        if (check.report) printReport(check.report, 'would be');
        console.error(`${check.previews.length} source(s) valid`);
      } finally {
        db.close();
      }
    });
}

function registerSync(program: Command): void {
  program
    .command('sync')
    .description('Import every source (or the named ones) in one transaction: every row lands or none does.')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--source <name>', 'sync only this source (repeatable)', collect, [])
    .option('--full-refresh', "replace each synced table's rows by exactly what its sources give (deletes included)")
    .option(
      '--complete-through <date>',
      'declare the synced tables complete through this date (a source’s own complete_through wins for its table)',
      isoDate('--complete-through'),
    )
    .action(async (opts: { db: string; source: string[]; fullRefresh?: boolean; completeThrough?: string }) => {
      const db = await openForSources(opts.db);
      const bar = progress();
      try {
        const report = await syncSources(db, currentWorkspace(), currentSettings(), {
          only: opts.source,
          fullRefresh: opts.fullRefresh,
          completeThrough: opts.completeThrough,
          who: 'cli',
          onProgress: importProgress(bar),
        });
        bar.done();
        printReport(report);
        for (const s of report.skipped) {
          console.error(`skipped ${s.source}: nothing of it was imported`);
          for (const line of s.problems) console.error(`  ${line}`);
        }
        if (report.skipped.length)
          throw new BearingError(
            'sources-invalid',
            `${report.skipped.length} source(s) skipped for their problems; the others were synced`,
            { problems: [] },
          );
      } catch (error) {
        bar.done();
        printSourceProblems(error);
        throw error;
      } finally {
        db.close();
      }
    });
}

function registerHistory(program: Command): void {
  program
    .command('history')
    .description('Every import and sync: when, who, which files (SHA-256), what changed per table, or why it failed.')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--limit <n>', 'entries to show, newest first', integer('--limit', 1), 20)
    .option('--json', 'print JSON')
    .action(async (opts: { db: string; limit: number; json?: boolean }) => {
      if (!existsSync(opts.db)) throw new BearingError('no-database', `${opts.db} does not exist yet`);
      const db = await Database.open(opts.db);
      try {
        await db.write(ensureSchema);
        const entries = await db.read((s) => readHistory(s, opts.limit));
        if (opts.json) return console.log(JSON.stringify(entries, null, 2));
        for (const e of entries) {
          const what = e.ok
            ? e.tables.map((t) => `${t.table} +${t.inserted} ~${t.updated} -${t.deleted}`).join(', ')
            : `FAILED: ${e.problems[0] ?? ''}`;
          const files = e.files.map((f) => `${f.name}${f.sha256 ? ` ${f.sha256.slice(0, 12)}` : ''}`).join(', ');
          console.log(`#${e.id} ${e.at} ${e.kind}${e.full_refresh ? ' (full refresh)' : ''} by ${e.who}: ${what}`);
          if (files) console.log(`    files: ${files}`);
        }
      } finally {
        db.close();
      }
    });
}

export function registerSources(program: Command): void {
  registerCheck(program.command('sources').description('Declarative sources: sources/*.yaml in the workspace'));
  registerSync(program);
  registerHistory(program);
}
