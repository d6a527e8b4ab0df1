import { Option, type Command } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { controlList, type MixAnswer, optimizeMix, runMix } from '../../metrics/mix/index.ts';
import { unitWords } from '../../metrics/words/units.ts';
import { currentCurrency, currentSettings, DEFAULT_DB } from '../paths.ts';
import { collect, collectBound, integer, isoDate, positive } from './options.ts';
import { progress } from './progress.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

interface MixOptions {
  kpi?: string;
  grain: 'week' | 'day';
  from?: string;
  to?: string;
  controls?: string;
  seed: number;
  draws: number;
  national?: boolean;
  json?: boolean;
  metrics?: string;
  db: string;
}

export function registerMix(program: Command): void {
  const mix = program
    .command('mix')
    // `mix optimize --kpi …`: options after the subcommand's name are the subcommand's.
    .enablePositionalOptions()
    .description(
      'Media-mix model for channels bought in aggregate (the media table): carry-over and saturation per channel, ' +
        'contribution, ROI and marginal ROI with intervals, the baseline, and fit on held-out weeks.',
    )
    // Not requiredOption: commander would then demand it before `mix optimize` too.
    .option('--kpi <metric>', 'the KPI: any metric definition (revenue, weekly signups, NPS, …); required')
    .addOption(new Option('--grain <grain>', 'period length').choices(['week', 'day']).default('week'))
    .option('--from <date>', 'first day of the modelled periods', isoDate('--from'))
    .option('--to <date>', 'last day of the modelled periods', isoDate('--to'))
    .option('--controls <names>', 'observations to use as controls, comma-separated (competitor sales, price, …)')
    .option('--seed <n>', 'bootstrap seed: the same seed gives the same answer', integer('--seed', 0), 1)
    .option('--draws <n>', 'bootstrap refits per seed (two seeds are run)', integer('--draws', 20), 200)
    .option('--national', 'fit the national model (the sum of the geos) even when media carry a geo')
    .option('--json', 'print JSON')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(runMixCommand);
  mix
    .command('optimize')
    .description(
      'The weekly allocation that maximises the expected KPI in steady state (or reaches --target for the least ' +
        'spend), within bounds; default budget: the last year’s average weekly spend.',
    )
    .requiredOption('--kpi <metric>', 'the KPI the model was fitted on')
    .addOption(new Option('--grain <grain>', 'period length').choices(['week', 'day']).default('week'))
    .option('--controls <names>', 'observations used as controls, comma-separated')
    .option('--budget <amount>', 'weekly total to allocate', positive('--budget'))
    .option('--bound <channel=min:max>', 'weekly bounds for a channel (repeatable)', collectBound, {})
    .option('--fixed <channel>', 'keep a channel at today’s spend (repeatable)', collect, [])
    .option('--target <kpi>', 'reach this weekly KPI (baseline included) for the least spend', Number)
    .option('--json', 'print JSON')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(runOptimize);
}

interface OptimizeOptions {
  kpi: string;
  grain: 'week' | 'day';
  controls?: string;
  budget?: number;
  bound: Record<string, { min?: number; max?: number }>;
  fixed: string[];
  target?: number;
  json?: boolean;
  metrics?: string;
  db: string;
}

async function runOptimize(opts: OptimizeOptions): Promise<void> {
  const dir = metricsDir(opts.metrics);
  const request = {
    kpi: opts.kpi,
    grain: opts.grain,
    controls: controlList(opts.controls),
    budget: opts.budget,
    bounds: opts.bound,
    fixed: opts.fixed,
    target: opts.target,
    priors: currentSettings().mix?.priors,
  };
  const plan = await readLocallyOrFromServer(
    opts.db,
    async (db) => optimizeMix(db, await Catalog.load(db, dir), request),
    (server) => {
      sameFiles(server, 'metrics_dir', dir);
      const { priors: _priors, ...body } = request;
      return server.post<Awaited<ReturnType<typeof optimizeMix>>>('/mix/optimize', body);
    },
  );
  if (opts.json) {
    console.log(JSON.stringify(plan, null, 2));
    return;
  }
  const words = unitWords('en-US', currentCurrency());
  const money = (v: number | null) => (v === null ? 'open' : words.money(v));
  console.log(`Weekly plan for ${plan.kpi}, budget ${money(plan.budget)}\n`);
  console.log(['channel', 'today', 'proposed', 'min', 'max'].join('\t'));
  for (const a of plan.allocation)
    console.log([a.channel, money(a.current), money(a.proposed), money(a.min), money(a.max)].join('\t'));
  const f = (v: number) => words.value(plan.unit, v);
  console.log(
    `\nexpected ${plan.kpi} per week, baseline included: today ${f(plan.kpi_current)}; proposed ` +
      `${f(plan.kpi_proposed)} (${f(plan.kpi_proposed_interval[0])} … ${f(plan.kpi_proposed_interval[1])})`,
  );
  console.log(
    plan.kept_today
      ? 'no move of today’s total gains on average across the model’s refits: today’s allocation is kept'
      : `gain per week across the model's refits: ${f(plan.gain.mean)} on average ` +
          `(${f(plan.gain.interval[0])} … ${f(plan.gain.interval[1])}), a gain in ` +
          `${Math.round(plan.gain.share_positive * 100)}% of them`,
  );
  for (const a of plan.assumptions) console.log(`assumes: ${a}`);
}

async function runMixCommand(opts: MixOptions): Promise<void> {
  if (!opts.kpi) throw new BearingError('usage', 'bearing mix needs --kpi METRIC (the metric to model)');
  const dir = metricsDir(opts.metrics);
  const request = {
    kpi: opts.kpi,
    grain: opts.grain,
    from: opts.from,
    to: opts.to,
    controls: controlList(opts.controls),
    seed: opts.seed,
    draws: opts.draws,
    national: opts.national ?? false,
    priors: currentSettings().mix?.priors,
  };
  const bar = progress();
  const answer = await readLocallyOrFromServer(
    opts.db,
    async (db) =>
      runMix(db, await Catalog.load(db, dir), request, (share) =>
        bar.update(`fitting and resampling (${Math.round(share * 100)}%)`),
      ),
    (server) => {
      sameFiles(server, 'metrics_dir', dir);
      // The server reads the priors from its own bearing.yaml.
      const { priors: _priors, ...query } = request;
      return server.get<MixAnswer>('/mix', {
        ...query,
        controls: request.controls.join(',') || undefined,
        national: request.national ? 'true' : undefined,
      });
    },
  );
  bar.done();
  if (opts.json) console.log(JSON.stringify(answer, null, 2));
  else printMix(answer);
}

function printMix(m: MixAnswer): void {
  const words = unitWords('en-US', currentCurrency());
  const n = (v: number | null, digits = 2) => (v === null ? '—' : words.decimal(v, digits));
  const pct = (v: number | null) => words.value('ratio', v);
  const kpi = (v: number | null) => words.value(m.unit, v);
  const range = (ci: [number, number] | null) => (ci ? `${n(ci[0])} … ${n(ci[1])}` : '—');
  console.log(
    `Mix model of ${m.kpi} per ${m.grain}, ${m.periods.from} to ${m.periods.to} (${m.periods.count} ${m.grain}s); ` +
      `controls: ${m.controls.join(', ') || 'none'}\n`,
  );
  const header = ['channel', 'spend', 'ROI', 'ROI 95% CI', 'mROI', 'mROI 95% CI', 'spend %', 'effect %', 'θ'];
  const rows = m.channels.map((c) => [
    c.channel,
    words.money(c.spend),
    n(c.roi),
    range(c.roi_ci),
    n(c.mroi),
    range(c.mroi_ci),
    pct(c.share_of_spend),
    pct(c.share_of_effect),
    c.adstock ? `${c.adstock.theta}${c.adstock.delay ? `, peak ${c.adstock.delay}w` : ''}` : '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('');
  for (const c of m.channels) {
    if (c.mroi !== null && c.mroi_ci)
      console.log(
        `${c.channel}: each extra ${words.money(1)} returns ${n(c.mroi)} (${range(c.mroi_ci)}) in ${m.kpi} at ` +
          "today's spend",
      );
    for (const note of c.notes) console.log(`  ${note}`);
  }
  const f = m.fit;
  if (m.geo) {
    printGeo(m, n, range);
    return;
  }
  const SLICE_WORD = `13-${m.grain}`;
  console.log(
    `\nfit: R² ${n(f.r2, 3)}; held-out last ${f.holdout_weeks} ${m.grain}s: MAPE ${n(f.mape_holdout, 3)}, ` +
      `NRMSE ${n(f.nrmse_holdout, 3)}; residual lag-1 autocorrelation ${n(f.residual_autocorrelation)}; ` +
      `${f.draws} bootstrap refits; carry-over ${f.carry_over === 'delayed' ? 'geometric or delayed' : 'geometric'}; ` +
      `baseline: ${f.trend} trend, ${f.harmonics} yearly harmonics (chosen by ` +
      `forecasting the last three ${SLICE_WORD} windows: ` +
      `${f.cross_validation.map((c) => `${c.trend}/${c.harmonics} ${kpi(c.rmse)}`).join(', ')})`,
  );
  for (const c of m.control_suggestions)
    console.log(
      `suggested control: ${c.name} (forecast error on the held-out windows ${kpi(c.rmse_without)} → ` +
        `${kpi(c.rmse_with)}; add it with --controls)`,
    );
  for (const w of m.warnings) console.log(`warning: ${w}`);
}

/** The geo model's fit and each geo's ROI per channel. */
function printGeo(
  m: MixAnswer,
  n: (v: number | null, digits?: number) => string,
  range: (ci: [number, number] | null) => string,
): void {
  const geo = m.geo!;
  const per = geo.size_from === 'population' ? 'head of population' : 'unit of their average KPI';
  console.log(
    `\nfit across ${geo.geos} geos (each geo's level, a week effect every geo shares, the controls; geos compared ` +
      `per ${per}): R² of the national total ${n(m.fit.r2, 3)}; residual lag-1 autocorrelation within geos ` +
      `${n(m.fit.residual_autocorrelation)}; ${m.fit.draws} refits on geos drawn again at random`,
  );
  console.log('\nROI by geo (partially pooled toward the national ROI; 95% interval)');
  for (const g of geo.by_geo)
    console.log(`${g.geo}: ${g.channels.map((c) => `${c.channel} ${n(c.roi)} (${range(c.roi_ci)})`).join(', ')}`);
  for (const w of m.warnings) console.log(`warning: ${w}`);
}
