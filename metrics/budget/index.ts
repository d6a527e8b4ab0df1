// One budget for every channel on one KPI: each channel's return per unit of spend from every
// piece of evidence about it (metrics/budget/evidence.ts), its spend and contribution over a
// stated period, and plans over a planning period in money (metrics/budget/plan.ts). The
// evidence comes from the models already on the other pages: the media-mix model fitted on the
// KPI (aggregate channels, calibrated by lift tests) and the customer-level comparison on order
// revenue (customer-level channels); both are cached, so the budget costs a few queries.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { cacheKey } from '../cacheKeys.ts';
import type { Catalog } from '../catalog.ts';
import { compareChannels } from '../channels/compare.ts';
import { fittedMix, type MixFitted, type MixRequest } from '../mix/index.ts';
import { offload } from '../offload/pool.ts';
import { runSeries } from '../series.ts';
import { addMonths, monthEnd } from '../heading/months.ts';
import { referencedMetrics } from '../compile.ts';
import { isDerived } from '../definition.ts';
import { combineEvidence, seOf } from './evidence.ts';
import { measuresOrderRevenue, notAdditive } from './kpi.ts';
import { daysIn, parsePeriod } from './period.ts';
import type { Limits, Move, PlanInput } from './plan.ts';
import { type ChannelResponse, customerCurves, ELASTICITY, fittedCurves, respond } from './response.ts';
import { channelSentence, kpiAmount, money, periodText, planLine, signedAmount } from '../words/budget.ts';
import type { BudgetAnswer, BudgetChannel, BudgetEvidence, BudgetPlan } from './types.ts';

export type { BudgetAnswer, BudgetPlan } from './types.ts';

export interface BudgetRequest {
  kpi: string;
  from?: string;
  to?: string;
  currency: string;
  priors?: MixRequest['priors'];
}

export function runBudget(db: Database, catalog: Catalog, request: BudgetRequest): Promise<BudgetAnswer> {
  return budgetWithCurves(db, catalog, request).then((b) => b.answer);
}

interface WithCurves {
  answer: BudgetAnswer;
  mix: MixFitted | null;
}

function budgetWithCurves(db: Database, catalog: Catalog, request: BudgetRequest): Promise<WithCurves> {
  const key = cacheKey.budget(request, catalog.resolve);
  // Kept in the database like the mix fit inside it: a restarted server plans without fitting again.
  return db.cached(key, () => computeBudget(db, catalog, request), { stored: true });
}

/** The stated period: the one asked for, else the KPI's last twelve complete months. */
async function periodOf(db: Database, catalog: Catalog, request: BudgetRequest) {
  const metric = catalog.get(request.kpi)!;
  if (request.from && request.to) return { from: request.from, to: request.to };
  const months = await runSeries(db, metric, { grain: 'month', to: request.to }, catalog.resolve);
  const last = months.rows.filter((r) => r.complete && r.value !== null).at(-1);
  if (!last) throw new BearingError('not-enough-data', `${request.kpi} has no complete month to plan from`);
  return { from: request.from ?? addMonths(last.period, -11), to: request.to ?? monthEnd(last.period) };
}

/**
 * The KPI over the period. A sum of metrics is the sum of each one's total: day by day, a part
 * with no row that day (weekly shop revenue on six days of seven) makes the whole day empty.
 */
async function kpiTotal(db: Database, catalog: Catalog, kpi: string, period: { from: string; to: string }) {
  const metric = catalog.get(kpi)!;
  if (isDerived(metric.definition)) {
    let total = 0;
    for (const part of referencedMetrics(metric.definition.expression, catalog.resolve))
      total += await kpiTotal(db, catalog, part, period);
    return total;
  }
  const series = await runSeries(db, metric, { grain: 'day', ...period }, catalog.resolve);
  return series.rows.reduce((a, r) => a + (r.value ?? 0), 0);
}

/** Spend per channel over the period: aggregate channels by date, customer-level ones by month. */
async function spendIn(db: Database, period: { from: string; to: string }) {
  const media = await db.all<{ channel: string; spend: number }>(
    `SELECT channel, sum(spend) AS spend FROM media WHERE date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
     GROUP BY channel`,
    period,
  );
  const customer = await db.all<{ channel: string; spend: number }>(
    `SELECT channel, sum(amount) AS spend FROM spend
     WHERE month BETWEEN date_trunc('month', CAST($from AS DATE)) AND CAST($to AS DATE) GROUP BY channel`,
    period,
  );
  const media_channels = await db.all<{ channel: string }>('SELECT DISTINCT channel FROM media');
  const customer_channels = await db.all<{ channel: string }>('SELECT DISTINCT channel FROM spend');
  return {
    aggregate: new Map(media.map((r) => [r.channel, r.spend])),
    customer: new Map(customer.map((r) => [r.channel, r.spend])),
    names: {
      aggregate: new Set(media_channels.map((r) => r.channel)),
      customer: new Set(customer_channels.map((r) => r.channel)),
    },
  };
}

/** The media-mix model on the KPI, or why there is none (no media, too little history…). */
async function mixOf(db: Database, catalog: Catalog, request: BudgetRequest, warnings: string[]) {
  try {
    return await fittedMix(db, catalog, { kpi: request.kpi, to: request.to, priors: request.priors });
  } catch (error) {
    if (!(error instanceof BearingError)) throw error;
    warnings.push(`media-mix model on ${request.kpi}: ${error.message}; channels bought in aggregate get no number`);
    return null;
  }
}

/** Customer-level evidence per channel: the doubly robust lift on order revenue, per unit of spend. */
async function customerEvidence(db: Database, warnings: string[], kpi: string, applies: boolean) {
  const out = new Map<string, { evidence: BudgetEvidence | null; note: string | null }>();
  if (!applies) return out;
  const comparison = await compareChannels(db, { outcome: 'revenue' });
  warnings.push(...comparison.warnings.map((w) => `customer-level comparison: ${w}`));
  for (const row of comparison.channels) {
    if (row.incremental === null || !row.incremental_ci || !(row.spend > 0)) {
      const why = row.spend > 0 ? (row.notes[0] ?? 'not estimable') : 'no spend recorded over its cohorts’ months';
      out.set(row.channel, { evidence: null, note: `no customer-level lift on ${kpi}: ${why}` });
      continue;
    }
    const ci = row.incremental_ci.map((x) => x / row.spend) as [number, number];
    out.set(row.channel, {
      evidence: { method: 'customer-level comparison', value: row.incremental / row.spend, ci },
      note: null,
    });
  }
  return out;
}

async function liftTests(db: Database, kpi: string, mix: MixFitted | null) {
  const rows = await db.all<{ channel: string; lift: number; lift_se: number; spend: number | null; id: string }>(
    `SELECT channel, lift, lift_se, spend, experiment_id AS id FROM experiments WHERE metric = $kpi ORDER BY start`,
    { kpi },
  );
  const used = new Set(mix?.answer.experiments.filter((e) => e.model_lift !== null).map((e) => e.experiment_id));
  const out = new Map<string, BudgetEvidence[]>();
  for (const r of rows) {
    if (!(r.spend && r.spend > 0)) continue;
    const e: BudgetEvidence = {
      method: 'lift test',
      value: r.lift / r.spend,
      ci: [(r.lift - 1.96 * r.lift_se) / r.spend, (r.lift + 1.96 * r.lift_se) / r.spend],
      ...(used.has(r.id) ? { counted_in: 'media-mix model' as const } : {}),
    };
    out.set(r.channel, [...(out.get(r.channel) ?? []), e]);
  }
  return out;
}

/**
 * The next unit's return: the mix model's marginal return where the budget's number is the mix's
 * (its curve says where the channel saturates); otherwise the average return scaled by the
 * elasticity plans assume, d/ds of perUnit · now · (s / now)^0.5 at s = now.
 */
function marginalOf(
  combined: ReturnType<typeof combineEvidence>,
  mixChannel: { mroi: number | null; mroi_ci: [number, number] | null } | undefined,
) {
  if (!combined) return { kpi_per_extra_unit: null, kpi_per_extra_unit_ci: null };
  if (combined.method === 'media-mix model' && mixChannel?.mroi != null && mixChannel.mroi_ci)
    return { kpi_per_extra_unit: mixChannel.mroi, kpi_per_extra_unit_ci: mixChannel.mroi_ci };
  return {
    kpi_per_extra_unit: combined.value * ELASTICITY,
    kpi_per_extra_unit_ci: [combined.ci[0] * ELASTICITY, combined.ci[1] * ELASTICITY] as [number, number],
  };
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: gathering each evidence in turn, then one row per channel.
async function computeBudget(db: Database, catalog: Catalog, request: BudgetRequest): Promise<WithCurves> {
  const metric = catalog.get(request.kpi)?.definition;
  if (!metric) throw new BearingError('unknown-metric', `no metric named "${request.kpi}"`);
  const why = notAdditive(metric, catalog.resolve);
  if (why) throw new BearingError('bad-kpi', `a budget compares channels in KPI per unit of spend: ${why}`);
  const period = await periodOf(db, catalog, request);
  const warnings: string[] = [];
  const spend = await spendIn(db, period);
  const mix = spend.names.aggregate.size ? await mixOf(db, catalog, request, warnings) : null;
  const revenue = measuresOrderRevenue(metric, catalog.resolve);
  if (!revenue && spend.names.customer.size)
    warnings.push(
      `the customer-level comparison measures order revenue, and ${request.kpi} is not order revenue (nor a sum ` +
        'with it): channels in the spend table have no customer-level evidence on it',
    );
  const customer = await customerEvidence(db, warnings, request.kpi, revenue && spend.names.customer.size > 0);
  const tests = await liftTests(db, request.kpi, mix);
  const names = [...new Set([...spend.names.aggregate, ...spend.names.customer])].sort();
  if (!names.length)
    warnings.push(
      'no channel has spend: import spend (channels reached customer by customer, by month) or media (channels ' +
        'bought in aggregate, by day or week) to read channels in money',
    );
  const label = metric.label;
  const rows = names.map((channel): Omit<BudgetChannel, 'share_of_spend' | 'share_of_effect' | 'sentence'> => {
    const notes: string[] = [];
    const evidence: BudgetEvidence[] = [...(tests.get(channel) ?? [])];
    const c = customer.get(channel);
    if (c?.evidence) evidence.push(c.evidence);
    if (c?.note) notes.push(c.note);
    const m = mix?.answer.channels.find((x) => x.channel === channel);
    if (m?.roi !== null && m?.roi !== undefined && m.roi_ci)
      evidence.push({ method: 'media-mix model', value: m.roi, ci: m.roi_ci });
    if (m) notes.push(...m.notes);
    else if (spend.names.aggregate.has(channel) && mix)
      notes.push(mix.answer.warnings.find((w) => w.startsWith(`${channel}:`)) ?? 'not in the media-mix model');
    if (!evidence.length && !m && !revenue && spend.names.customer.has(channel))
      notes.push('the customer-level comparison measures order revenue, not this KPI, and no lift test measured it');
    const combined = combineEvidence(evidence);
    if (combined?.disagreement) warnings.push(`${channel}: ${combined.disagreement}`);
    const s = (spend.aggregate.get(channel) ?? 0) + (spend.customer.get(channel) ?? 0);
    const scale = (ci: [number, number]) => [ci[0] * s, ci[1] * s] as [number, number];
    return {
      channel,
      kind: spend.names.aggregate.has(channel) ? 'aggregate' : 'customer',
      method: combined?.method ?? null,
      spend: s,
      kpi_per_unit: combined?.value ?? null,
      kpi_per_unit_ci: combined?.ci ?? null,
      contribution: combined ? combined.value * s : null,
      contribution_ci: combined ? scale(combined.ci) : null,
      ...marginalOf(combined, m),
      evidence,
      notes,
    };
  });
  const totalSpend = rows.reduce((a, r) => a + r.spend, 0);
  const totalEffect = rows.reduce((a, r) => a + Math.max(0, r.contribution ?? 0), 0);
  const kpi = { label, unit: metric.unit, currency: request.currency, ...period };
  const channels: BudgetChannel[] = rows.map((r) => {
    const row = {
      ...r,
      share_of_spend: totalSpend > 0 ? r.spend / totalSpend : 0,
      share_of_effect: r.contribution !== null && totalEffect > 0 ? Math.max(0, r.contribution) / totalEffect : null,
    };
    return { ...row, sentence: channelSentence(row, kpi) };
  });
  const total = await kpiTotal(db, catalog, request.kpi, period);
  const answer: BudgetAnswer = {
    kpi: request.kpi,
    label,
    unit: metric.unit,
    currency: request.currency,
    period,
    channels,
    kpi_total: total,
    baseline: total - channels.reduce((a, c) => a + (c.contribution ?? 0), 0),
    method: METHOD,
    warnings,
  };
  return { answer, mix };
}

const METHOD =
  'Each channel’s return per unit of spend comes from every measurement of it on this KPI: the media-mix model ' +
  '(channels bought in aggregate; calibrated by the lift tests on the KPI), the customer-level comparison (doubly ' +
  'robust lift on 90-day order revenue × customers reached ÷ spend over their months), and lift tests on ' +
  'customer-level channels. Measurements that agree are pooled by their precision; measurements that disagree are ' +
  'not, and the most direct design is used (a lift test, then the customer-level comparison, then the mix) with a ' +
  'warning. Returns are estimated from all the history; the period states spend and contributions.';

export interface PlanRequest {
  kpi: string;
  period: string;
  currency: string;
  priors?: MixRequest['priors'];
  total?: number;
  target?: number;
  moves?: Move[];
  bounds?: Record<string, Limits>;
  fixed?: string[];
}

const DRAWS = 400;

/** Each channel's response over the planning period, and the KPI its spend does not explain. */
function responsesOf(b: WithCurves, days: number, request: PlanRequest) {
  const { answer, mix } = b;
  const scale = days / daysIn(answer.period.from, answer.period.to);
  const weeks = days / 7;
  const warnings: string[] = [];
  const fixed = new Set(request.fixed ?? []);
  const channels: ChannelResponse[] = answer.channels.map((c, i) => {
    const current = c.spend * scale;
    const m = mix?.answer.channels.findIndex((x) => x.channel === c.channel) ?? -1;
    if (c.kpi_per_unit === null || !c.kpi_per_unit_ci) {
      fixed.add(c.channel);
      warnings.push(`${c.channel}: no measured return, so it stays at today’s spend and out of the plan`);
      const flat = customerCurves(current, 0, 0, DRAWS, i + 1);
      return { channel: c.channel, kind: c.kind, current, ...flat };
    }
    if (m >= 0 && c.method === 'media-mix model') {
      const curves = fittedCurves(
        mix!.curves.point[m]!,
        mix!.curves.draws.map((d) => d[m]!),
        weeks,
      );
      return { channel: c.channel, kind: c.kind, current, ...curves };
    }
    const se = seOf({ value: c.kpi_per_unit, ci: c.kpi_per_unit_ci });
    return { channel: c.channel, kind: c.kind, current, ...customerCurves(current, c.kpi_per_unit, se, DRAWS, i + 1) };
  });
  return { channels, scale, warnings, fixed: [...fixed] };
}

export async function planBudgetFor(db: Database, catalog: Catalog, request: PlanRequest): Promise<BudgetPlan> {
  const period = parsePeriod(request.period);
  for (const [channel, b] of Object.entries(request.bounds ?? {}))
    if (b.min !== undefined && b.max !== undefined && b.min > b.max)
      throw new BearingError(
        'bad-amount',
        `the limits of ${channel} are the wrong way round: min ${b.min} > max ${b.max}`,
      );
  const b = await budgetWithCurves(db, catalog, {
    kpi: request.kpi,
    currency: request.currency,
    priors: request.priors,
  });
  const { answer } = b;
  const { channels, scale, warnings, fixed } = responsesOf(b, period.days, request);
  for (const m of request.moves ?? [])
    for (const name of [m.from, m.to])
      if (fixed.includes(name) && !(request.fixed ?? []).includes(name))
        throw new BearingError(
          'no-return',
          `${name} has no measured return on ${request.kpi}: money cannot be moved ` +
            `${name === m.from ? 'from' : 'to'} it`,
        );
  const baseline = answer.kpi_total * scale - channels.reduce((a, c) => a + respond(c.point, c.current), 0);
  const input: PlanInput = { channels, baseline, ...pick(request), fixed };
  const plan = await offload('budget-plan', input);
  const kpi = { unit: answer.unit, currency: request.currency, label: answer.label };
  const amount = (v: number) => kpiAmount(answer.unit, request.currency, v);
  const signed = (v: number) => signedAmount(answer.unit, request.currency, v);
  return {
    kpi: request.kpi,
    label: answer.label,
    unit: answer.unit,
    currency: request.currency,
    period: { from: period.from, to: period.to, days: period.days, label: period.label },
    ...plan,
    warnings: [...warnings, ...plan.warnings],
    assumptions: [
      `today = each channel’s spend over ${periodText(answer.period.from, answer.period.to)}, scaled to the ` +
        `${period.days} days of ${period.label}; the KPI without the channels is its run rate over the same months, ` +
        'not a forecast of the season',
      'channels the mix model fitted follow their fitted curves (carry-over and saturation) with each week’s spend ' +
        'held steady; the others scale with (new spend / today’s)^0.5: doubling a channel adds 41% more, not 100%',
      'without limits of their own, channels move between half and twice today’s spend (--bound CHANNEL=0: opens one)',
      'intervals come from the evidence’s own uncertainty, draw by draw across channels; the baseline is held fixed',
    ],
    sentences: [
      `${answer.label} over ${period.label}: ${amount(plan.kpi_current)} at today’s spend of ` +
        `${money(request.currency, plan.total_current)}; ${amount(plan.kpi_proposed)} with the plan's ` +
        `${money(request.currency, plan.total_proposed)} (change ${signed(plan.uplift)}, ` +
        `${signed(plan.uplift_ci[0])} to ${signed(plan.uplift_ci[1])}).`,
      ...plan.channels.filter((c) => Math.abs(c.proposed - c.current) > 0.5).map((c) => planLine(c, kpi)),
    ],
  };
}

const pick = (r: PlanRequest) => ({
  ...(r.moves?.length ? { moves: r.moves } : {}),
  ...(r.total !== undefined ? { total: r.total } : {}),
  ...(r.target !== undefined ? { target: r.target } : {}),
  ...(r.bounds ? { bounds: r.bounds } : {}),
});
