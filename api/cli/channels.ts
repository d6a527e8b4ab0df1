import { Option, type Command } from 'commander';
import {
  compareChannels,
  HORIZON_DAYS,
  OUTCOMES,
  WINDOW_DAYS,
  type ChannelComparison,
  type Outcome,
} from '../../metrics/channels/compare.ts';
import { unitWords } from '../../metrics/words/units.ts';
import { currentCurrency, DEFAULT_DB } from '../paths.ts';
import { integer, isoDate } from './options.ts';
import { readLocallyOrFromServer } from './remote.ts';
import { registerEvidence } from './evidence.ts';

export function registerChannels(program: Command): void {
  const channels = program
    .command('channels')
    // `channels evidence --kpi …`: options after the subcommand's name are the subcommand's.
    .enablePositionalOptions()
    .description(
      'Compare every channel by one method: the effect on the customers it reached, doubly robust on every ' +
        'pre-exposure fact the data hold, with a placebo check, spend and cost per incremental retained customer.',
    )
    .addOption(new Option('--outcome <outcome>', 'what to compare').choices(OUTCOMES).default('retention'))
    .option(
      '--window <days>',
      'exposure window after signup (days)',
      integer('--window', WINDOW_DAYS.min, WINDOW_DAYS.max),
      30,
    )
    .option(
      '--horizon <days>',
      'outcome horizon after the landmark (days)',
      integer('--horizon', HORIZON_DAYS.min, HORIZON_DAYS.max),
      90,
    )
    .option('--from <date>', 'first signup date of the cohorts', isoDate('--from'))
    .option('--to <date>', 'last signup date of the cohorts', isoDate('--to'))
    .option('--as-of <date>', 'as-of date; default: the latest event date in the data', isoDate('--as-of'))
    .option('--json', 'print JSON')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(
      async (opts: {
        outcome: Outcome;
        window: number;
        horizon: number;
        from?: string;
        to?: string;
        asOf?: string;
        json?: boolean;
        db: string;
      }) => {
        const options = {
          outcome: opts.outcome,
          window: opts.window,
          horizon: opts.horizon,
          from: opts.from,
          to: opts.to,
          asOf: opts.asOf,
        };
        const result = await readLocallyOrFromServer(
          opts.db,
          (db) => compareChannels(db, options),
          (server) => server.get<ChannelComparison>('/channels', { ...options, asOf: undefined, as_of: opts.asOf }),
        );
        if (opts.json) {
          console.log(JSON.stringify(result, null, 2));
          return;
        }
        printComparison(result);
      },
    );
  registerEvidence(channels);
}

/** The comparison as a table a terminal shows, with each channel's notes and the method. */
function printComparison(result: ChannelComparison): void {
  // Lifts in the outcome's words: shares and NPS in points ("+2.1 pts"), revenue in money ("+$12.50").
  const words = unitWords('en-US', currentCurrency());
  const unit = result.unit === 'share' ? 'ratio' : result.unit === 'points' ? 'score' : 'currency';
  const f = (v: number | null) => (v === null ? '—' : words.delta(unit, v));
  const money = (v: number | null) => words.money(v);
  const count = (v: number) => words.value('count', v);
  console.log(
    `Channels on ${result.outcome} (window ${result.window_days} d, horizon ${result.horizon_days} d, as of ` +
      `${result.as_of}); ${count(result.cohort.customers)} customers compared\n`,
  );
  const rows = result.channels.map((c) => [
    c.channel,
    count(c.exposed),
    c.lift === null && c.exposed > 0 ? 'not estimable' : f(c.lift),
    c.ci ? `${f(c.ci[0])} … ${f(c.ci[1])}` : '—',
    f(c.naive_lift),
    money(c.spend),
    c.incremental === null ? '—' : count(Math.round(c.incremental)),
    money(c.cost_per_incremental),
    c.cost_ci ? `${money(c.cost_ci[0])} … ${money(c.cost_ci[1])}` : c.lift === null ? '—' : 'not estimable',
    c.placebo.lift === null ? '—' : c.placebo.flagged ? 'FLAGGED' : 'clean',
  ]);
  const header = [
    'channel',
    'reached',
    'lift',
    '95% CI',
    'naive',
    'spend',
    'incremental',
    'cost/incr.',
    'cost 95% CI',
    'placebo',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  for (const c of result.channels) if (c.notes.length) console.log(`\n${c.channel}: ${c.notes.join('; ')}`);
  const how = (c: (typeof result.covariates)[number]) =>
    c.use === 'numeric' ? `${c.name} (a number, ${(c.cuts?.length ?? 0) + 1} bins)` : `${c.name} (${c.levels} levels)`;
  console.log(`\nadjusted for: ${result.covariates.map(how).join(', ')}`);
  for (const w of result.warnings) console.log(`\nwarning: ${w}`);
  console.log(`\n${result.method}`);
}
