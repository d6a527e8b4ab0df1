// `bearing alerts run` (evaluate the alert rules now and send what is due) and `bearing digest`
// (what changed since a date or the last digest). A running server evaluates alerts on its own
// schedule; beside it, `digest` asks it.
import type { Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { type DigestFormat, formatDigest, type Digest } from '../../metrics/alerts/digest.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { goalsFile } from '../../metrics/goals.ts';
import { makeDigest, runAlerts } from '../alerts/run.ts';
import { currentSettings, DEFAULT_DB } from '../paths.ts';
import { isoDate } from './options.ts';
import { openExisting } from './open.ts';
import { readLocallyOrFromServer } from './remote.ts';

const FORMATS = ['text', 'markdown', 'html', 'json'] as const;

export function registerAlerts(program: Command): void {
  program
    .command('alerts')
    .description('Alert rules from bearing.yaml (alerts:)')
    .command('run')
    .description('Evaluate the alert rules now, record the readings, and send what is due; exit 1 if a delivery failed')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .action(async (opts: { db: string; goals?: string; metrics?: string }) => {
      const settings = currentSettings();
      if (!settings.alerts) throw new BearingError('bad-config', 'bearing.yaml has no alerts: section');
      const db = await openExisting(opts.db);
      try {
        const catalog = await Catalog.load(db, metricsDir(opts.metrics));
        const result = await runAlerts({
          db,
          catalog,
          goalsFile: goalsFile(opts.goals, { mustExist: true }),
          settings,
        });
        console.log(`${result.changes} change(s); ${result.sent} alert(s) sent, ${result.failed} failed`);
        if (result.failed)
          throw new BearingError(
            'alert-failed',
            `${result.failed} alert(s) could not be delivered; they will be retried`,
          );
      } finally {
        db.close();
      }
    });
  program
    .command('digest')
    .description('What changed: status changes, probability moves, shifts, stale data, missed milestones, notes added')
    .option('--since <date>', 'since this date (default: the last digest, else seven days ago)', isoDate('--since'))
    .option('--format <format>', `${FORMATS.join(' | ')}`, 'text')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .action(async (opts: { since?: string; format: string; db: string; goals?: string; metrics?: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw new BearingError('usage', `--format expects one of ${FORMATS.join(', ')} (got "${opts.format}")`);
      const settings = currentSettings();
      const digest = await readLocallyOrFromServer<Digest>(
        opts.db,
        async (db) => {
          const catalog = await Catalog.load(db, metricsDir(opts.metrics));
          return makeDigest(
            { db, catalog, goalsFile: goalsFile(opts.goals, { mustExist: true }), settings },
            { since: opts.since, record: true },
          );
        },
        (server) => server.get<Digest>('/digest', { since: opts.since }),
      );
      console.log(formatDigest(digest, opts.format as DigestFormat));
    });
}
