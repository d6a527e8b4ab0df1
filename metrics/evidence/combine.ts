// What each method says about each channel, side by side: the customer-level lift where touches
// are known (orders revenue), the media-mix ROI where spend is bought in aggregate, and the lift
// tests of the experiments register — each put as incremental KPI per unit of spend — and whether
// those that measure the same quantity agree. Pure: the route gathers the three answers.
import type { Experiment } from '../../data/experiments.ts';
import type { ChannelComparison } from '../channels/compare.ts';
import type { MixAnswer } from '../mix/index.ts';

export type EvidenceSource = 'customer-level' | 'mix' | 'experiment';

export interface EvidenceEstimate {
  source: EvidenceSource;
  /** The experiment's id; null for the other two. */
  id: string | null;
  /** The metric it measures; estimates agree or disagree only on the same metric. */
  metric: string;
  /** Incremental KPI per unit of spend, with its 95% interval; null when spend is unknown or nothing was measured. */
  per_spend: number | null;
  per_spend_ci: [number, number] | null;
  period: { from: string; to: string } | null;
  detail: string;
}

export interface AgreementCheck {
  /** Indexes into the row's estimates. */
  between: [number, number];
  agrees: boolean;
  how: string;
}

export type Verdict = 'agree' | 'disagree' | 'one method' | 'not comparable';

export interface EvidenceRow {
  channel: string;
  estimates: EvidenceEstimate[];
  checks: AgreementCheck[];
  verdict: Verdict;
  words: string;
}

export interface EvidenceInput {
  /** The customer-level comparison on revenue, and the metric that counts the same orders revenue. */
  customer: { comparison: ChannelComparison; metric: string } | null;
  mix: MixAnswer | null;
  experiments: Array<Omit<Experiment, 'notes'>>;
}

const Z = 1.96;
const seOf = (ci: [number, number]) => (ci[1] - ci[0]) / (2 * Z);

/** Two per-spend estimates of one quantity agree when their difference is within what chance allows (|z| ≤ 1.96). */
export function perSpendAgree(a: EvidenceEstimate, b: EvidenceEstimate): boolean | null {
  if (a.per_spend === null || b.per_spend === null || !a.per_spend_ci || !b.per_spend_ci) return null;
  const se = Math.hypot(seOf(a.per_spend_ci), seOf(b.per_spend_ci));
  if (!(se > 0)) return a.per_spend === b.per_spend;
  return Math.abs(a.per_spend - b.per_spend) / se <= Z;
}

function customerEstimates(input: EvidenceInput): Map<string, EvidenceEstimate> {
  const out = new Map<string, EvidenceEstimate>();
  if (!input.customer) return out;
  const { comparison, metric } = input.customer;
  for (const row of comparison.channels) {
    const measured = row.incremental !== null && row.incremental_ci !== null && row.spend > 0;
    out.set(row.channel, {
      source: 'customer-level',
      id: null,
      metric,
      per_spend: measured ? row.incremental! / row.spend : null,
      per_spend_ci: measured ? [row.incremental_ci![0] / row.spend, row.incremental_ci![1] / row.spend] : null,
      period: comparison.cohort.spend_months,
      detail: measured
        ? `customers reached compared with like customers not reached, revenue over ${comparison.horizon_days} days`
        : row.spend > 0
          ? 'no lift could be measured (see the channel comparison’s notes)'
          : 'no spend recorded for this channel, so no return per unit of spend',
    });
  }
  return out;
}

function mixEstimates(mix: MixAnswer | null): Map<string, EvidenceEstimate> {
  const out = new Map<string, EvidenceEstimate>();
  for (const c of mix?.channels ?? [])
    out.set(c.channel, {
      source: 'mix',
      id: null,
      metric: mix!.kpi,
      per_spend: c.roi,
      per_spend_ci: c.roi_ci,
      period: { from: mix!.periods.from, to: mix!.periods.to },
      detail:
        `media-mix model of ${mix!.kpi}: carry-over and saturation fitted to ` + `${mix!.periods.count} ${mix!.grain}s`,
    });
  return out;
}

function experimentEstimate(e: Omit<Experiment, 'notes'>): EvidenceEstimate {
  const spend = e.spend && e.spend > 0 ? e.spend : null;
  return {
    source: 'experiment',
    id: e.experiment_id,
    metric: e.metric,
    per_spend: spend ? e.lift / spend : null,
    per_spend_ci: spend ? [(e.lift - Z * e.lift_se) / spend, (e.lift + Z * e.lift_se) / spend] : null,
    period: { from: e.start, to: e.end },
    detail: spend
      ? `lift test: ${e.lift.toPrecision(3)} ± ${(Z * e.lift_se).toPrecision(2)} for ${spend.toPrecision(3)} spent`
      : `lift test: ${e.lift.toPrecision(3)} ± ${(Z * e.lift_se).toPrecision(2)} (no spend recorded)`,
  };
}

/** Every comparable pair of a row's estimates, judged. */
function checksOf(estimates: EvidenceEstimate[], mix: MixAnswer | null): AgreementCheck[] {
  const checks: AgreementCheck[] = [];
  for (let i = 0; i < estimates.length; i++)
    for (let j = i + 1; j < estimates.length; j++) {
      const [a, b] = [estimates[i]!, estimates[j]!];
      if (a.metric !== b.metric || (a.source === 'experiment' && b.source === 'experiment')) continue;
      const test = a.source === 'experiment' ? a : b.source === 'experiment' ? b : null;
      const other = test === a ? b : a;
      // The mix judges a test over the test's own weeks (its lift, not a ratio to spend): sharper.
      const byWeeks =
        test && other.source === 'mix' ? mix?.experiments.find((x) => x.experiment_id === test.id) : undefined;
      if (byWeeks && byWeeks.agrees !== null) {
        checks.push({
          between: [i, j],
          agrees: byWeeks.agrees,
          how: 'the model’s lift over the test’s weeks against the test’s lift (95% intervals overlap)',
        });
        continue;
      }
      const agrees = perSpendAgree(a, b);
      if (agrees !== null)
        checks.push({ between: [i, j], agrees, how: 'difference per unit of spend within chance (|z| ≤ 1.96)' });
    }
  return checks;
}

const NAMES: Record<EvidenceSource, string> = {
  'customer-level': 'the customer-level comparison',
  mix: 'the mix model',
  experiment: 'a lift test',
};

function verdictOf(channel: string, estimates: EvidenceEstimate[], checks: AgreementCheck[]) {
  const sources = [...new Set(estimates.map((e) => e.source))];
  if (sources.length === 1 && estimates.length === 1)
    return { verdict: 'one method' as const, words: `Only ${NAMES[sources[0]!]} measures ${channel}.` };
  if (!checks.length) {
    const metrics = [...new Set(estimates.map((e) => e.metric))].join(', ');
    return {
      verdict: 'not comparable' as const,
      words:
        `The methods measure ${channel} on different KPIs (${metrics}) or without spend or an interval, ` +
        'so they are shown side by side but not compared.',
    };
  }
  const against = checks.filter((c) => !c.agrees);
  if (!against.length) {
    const who = checks.length === 1 ? 'Both methods agree' : 'The methods agree';
    return { verdict: 'agree' as const, words: `${who} on ${channel}: no difference beyond chance.` };
  }
  const [a, b] = against[0]!.between.map((i) => NAMES[estimates[i]!.source]);
  return {
    verdict: 'disagree' as const,
    words:
      `${a!.charAt(0).toUpperCase()}${a!.slice(1)} and ${b} disagree on ${channel} beyond chance. ` +
      'Each misses something: the customer-level comparison counts only its horizon and the customers it ' +
      'can see, the mix model only what moves with weekly spend, a lift test only its own weeks and region.',
  };
}

export function channelEvidence(input: EvidenceInput): EvidenceRow[] {
  const customer = customerEstimates(input);
  const mix = mixEstimates(input.mix);
  const channels = [...new Set([...customer.keys(), ...mix.keys(), ...input.experiments.map((e) => e.channel)])];
  return channels.sort().map((channel) => {
    const estimates = [
      customer.get(channel),
      mix.get(channel),
      ...input.experiments.filter((e) => e.channel === channel).map(experimentEstimate),
    ].filter((e): e is EvidenceEstimate => e !== undefined);
    const checks = checksOf(estimates, input.mix);
    return { channel, estimates, checks, ...verdictOf(channel, estimates, checks) };
  });
}
