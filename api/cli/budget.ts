import { type Command, InvalidArgumentError } from 'commander';
import { BearingError } from '../../data/errors.ts';
import { type BudgetAnswer, type BudgetPlan, planBudgetFor, runBudget } from '../../metrics/budget/index.ts';
import type { Limits, Move } from '../../metrics/budget/plan.ts';
import { kpiAmount, money, perSpend, periodText, unitSpend } from '../../metrics/words/budget.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { currentCurrency, currentSettings, DEFAULT_DB } from '../paths.ts';
import { collect, collectBound, isoDate, positive } from './options.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

interface BudgetOptions {
  kpi?: string;
  from?: string;
  to?: string;
  json?: boolean;
  metrics?: string;
  db: string;
}

export function registerBudget(program: Command): void {
  const budget = program
    .command('budget')
    .enablePositionalOptions()
    .description(
      'Every channel on one KPI in money: return per unit of spend with its 95% interval, the evidence behind it ' +
        '(media-mix model, customer-level comparison, lift tests), spend and contribution over a period.',
    )
    .option('--kpi <metric>', 'the KPI: a metric that adds up over time (revenue, orders, signups…); required')
    .option(
      '--from <date>',
      'first day of the stated period (default: the KPI’s last 12 complete months)',
      isoDate('--from'),
    )
    .option('--to <date>', 'last day of the stated period', isoDate('--to'))
    .option('--json', 'print JSON')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', '')
    .action(runBudgetCommand);
  budget
    .command('plan')
    .description(
      'A plan over a planning period in money: --move FROM:TO:SHARE for a scenario (the total kept), or an ' +
        'allocation (the most KPI for --total, default today’s; or --target for the least spend) within limits.',
    )
    .requiredOption('--kpi <metric>', 'the KPI')
    .requiredOption('--period <period>', 'a quarter (2027-Q1), a month (2027-03), a year (2027) or FROM..TO dates')
    .option('--total <amount>', 'total spend over the period to allocate', positive('--total'))
    .option('--target <amount>', 'reach this KPI over the period (baseline included) for the least spend', Number)
    .option('--move <from:to:share>', 'move a share of FROM’s spend to TO (0.2 or 20%; repeatable)', collectMove, [])
    .option('--bound <channel=min:max>', 'limits for a channel over the period (repeatable)', collectBound, {})
    .option('--fixed <channel>', 'keep a channel at today’s spend (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', '')
    .action(runPlanCommand);
}

function collectMove(value: string, all: Move[]): Move[] {
  const m = /^([^:]+):([^:]+):(\d*\.?\d+)(%?)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`--move expects FROM:TO:SHARE, such as tv:paid_search:0.2 (got "${value}")`);
  const share = Number(m[3]) / (m[4] ? 100 : 1);
  if (!(share > 0 && share <= 1))
    throw new InvalidArgumentError(`--move's share must be above 0 and at most 1 (or 100%) (got "${m[3]}${m[4]}")`);
  return [...all, { from: m[1]!.trim(), to: m[2]!.trim(), share }];
}

async function runBudgetCommand(opts: BudgetOptions): Promise<void> {
  if (!opts.kpi)
    throw new BearingError('usage', 'bearing budget needs --kpi METRIC (the KPI every channel is read on)');
  const dir = metricsDir(opts.metrics);
  const request = { kpi: opts.kpi, from: opts.from, to: opts.to };
  const settings = currentSettings();
  const answer = await readLocallyOrFromServer(
    opts.db || DEFAULT_DB,
    async (db) =>
      runBudget(db, await Catalog.load(db, dir), {
        ...request,
        currency: settings.currency,
        priors: settings.mix?.priors,
      }),
    (server) => {
      sameFiles(server, 'metrics_dir', dir);
      return server.get<BudgetAnswer>('/budget', request);
    },
  );
  if (opts.json) console.log(JSON.stringify(answer, null, 2));
  else printBudget(answer);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

function printBudget(b: BudgetAnswer): void {
  const per = perSpend(b.unit);
  const unit = `${b.label.toLowerCase()} per ${unitSpend(b.currency, per)}`;
  console.log(`Budget on ${b.kpi} (${b.currency}), ${periodText(b.period.from, b.period.to)}\n`);
  const f = (v: number) => kpiAmount(b.unit, b.currency, v * per);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  table(
    ['channel', 'kind', 'spend', unit, '95% interval', 'next one', 'spend %', 'effect %', 'method'],
    b.channels.map((c) => [
      c.channel,
      c.kind,
      money(b.currency, c.spend),
      c.kpi_per_unit === null ? '—' : f(c.kpi_per_unit),
      c.kpi_per_unit_ci ? `${f(c.kpi_per_unit_ci[0])} to ${f(c.kpi_per_unit_ci[1])}` : '—',
      c.kpi_per_extra_unit === null ? '—' : f(c.kpi_per_extra_unit),
      pct(c.share_of_spend),
      pct(c.share_of_effect),
      c.method ?? 'none',
    ]),
  );
  console.log('');
  for (const c of b.channels) console.log(c.sentence);
  console.log(
    `\n${b.label} over the period: ${kpiAmount(b.unit, b.currency, b.kpi_total)}; without the channels' ` +
      `contributions: ${kpiAmount(b.unit, b.currency, b.baseline)}`,
  );
  for (const w of b.warnings) console.log(`warning: ${w}`);
}

interface PlanOptions {
  kpi: string;
  period: string;
  total?: number;
  target?: number;
  move: Move[];
  bound: Record<string, Limits>;
  fixed: string[];
  json?: boolean;
  metrics?: string;
  db: string;
}

async function runPlanCommand(opts: PlanOptions): Promise<void> {
  const dir = metricsDir(opts.metrics);
  const request = {
    kpi: opts.kpi,
    period: opts.period,
    ...(opts.total !== undefined ? { total: opts.total } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.move.length ? { moves: opts.move } : {}),
    ...(Object.keys(opts.bound).length ? { bounds: opts.bound } : {}),
    ...(opts.fixed.length ? { fixed: opts.fixed } : {}),
  };
  const settings = currentSettings();
  const plan = await readLocallyOrFromServer(
    opts.db || DEFAULT_DB,
    async (db) =>
      planBudgetFor(db, await Catalog.load(db, dir), {
        ...request,
        currency: settings.currency,
        priors: settings.mix?.priors,
      }),
    (server) => {
      sameFiles(server, 'metrics_dir', dir);
      return server.post<BudgetPlan>('/budget/plan', request);
    },
  );
  if (opts.json) {
    console.log(JSON.stringify(plan, null, 2));
    return;
  }
  printPlan(plan);
}

function printPlan(p: BudgetPlan): void {
  const cur = currentCurrency();
  const k = (v: number) => kpiAmount(p.unit, p.currency, v);
  console.log(`Plan for ${p.kpi} over ${p.period.label} (${p.period.from} to ${p.period.to}, ${cur})\n`);
  table(
    ['channel', 'today', 'proposed', 'min', 'max', `${p.label.toLowerCase()} change`, '95% interval'],
    p.channels.map((c) => [
      c.channel,
      money(p.currency, c.current),
      money(p.currency, c.proposed),
      money(p.currency, c.min),
      c.max === null ? 'open' : money(p.currency, c.max),
      k(c.kpi_change),
      `${k(c.kpi_change_ci[0])} to ${k(c.kpi_change_ci[1])}`,
    ]),
  );
  console.log('');
  for (const s of p.sentences) console.log(s);
  for (const w of p.warnings) console.log(`warning: ${w}`);
  for (const a of p.assumptions) console.log(`assumes: ${a}`);
}
