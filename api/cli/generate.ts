import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { Database } from '../../data/db.ts';
import { generateSample } from '../../data/sample/generate.ts';
import { DEFAULT_DB } from '../paths.ts';
import { integer, isoDate } from './options.ts';
import { progress } from './progress.ts';

export async function generateInto(
  dbPath: string,
  options: { customers?: number; seed?: number; end?: string },
): Promise<void> {
  const db = await Database.open(dbPath);
  const bar = progress();
  const started = Date.now();
  try {
    const { rows } = await generateSample(db, {
      ...options,
      truthFile: resolve(dirname(resolve(dbPath)), 'sample-truth.json'),
      onProgress: (step, done, total) =>
        bar.update(`generating sample world: ${step} (${Math.round((done / total) * 100)}%)`),
    });
    bar.done();
    for (const [table, n] of Object.entries(rows)) console.error(`  ${table}: ${n.toLocaleString('en-US')} rows`);
    console.error(`sample world written to ${db.path} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    db.close();
  }
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'Write the deterministic sample world (customers, touchpoints, spend, surveys, orders) into a database, ' +
        'replacing its data.',
    )
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--customers <n>', 'number of customers', integer('--customers', 1), 50_000)
    .option('--seed <s>', 'random seed: the same seed gives identical data', integer('--seed'), 42)
    .option(
      '--end <date>',
      'last day of data (YYYY-MM-DD); default: the last day of the previous month',
      isoDate('--end'),
    )
    .action(async (opts: { db: string; customers: number; seed: number; end?: string }) => {
      await generateInto(opts.db, { customers: opts.customers, seed: opts.seed, end: opts.end });
    });
}
