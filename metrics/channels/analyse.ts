// The statistics of a channel comparison, from the cohort cells the database returned to one row
// per channel with q-values across the page. Pure and CPU-heavy (a cross-fitted doubly robust fit
// per channel and per placebo): it runs off the server's event loop (metrics/offload/).
import type { Outcome } from './cohortSql.ts';
import type { Distribution } from './lee.ts';
import { bhQValues } from './diagnostics.ts';
import { type Cells, cellsByChannel, designOf } from './patterns.ts';
import { type ChannelRow, channelRow } from './row.ts';

/** Survey outcomes: each arm's answers as (value, customers), for the trimming bounds (lee.ts). */
export interface Answers {
  everyone: Distribution;
  byChannel: Record<string, Distribution>;
}

export interface ChannelAnalysisInput {
  outcome: Outcome;
  cells: Cells;
  answers?: Answers;
  attributes: string[];
  /** Spend per channel over the cohorts' months. */
  spend: Record<string, number>;
  placeboLabel: string;
}

export function analyseChannels(input: ChannelAnalysisInput): {
  covariates: string[];
  levels: number[];
  channels: ChannelRow[];
} {
  const design = designOf(input.cells, input.attributes);
  const byChannel = cellsByChannel(input.cells, design, 'outcome');
  const placeboOf = cellsByChannel(input.cells, design, 'placebo');
  const names = [...new Set([...byChannel.keys(), ...Object.keys(input.spend)])].sort();
  const rows = names.map((channel) =>
    channelRow({
      channel,
      outcome: input.outcome,
      cells: byChannel.get(channel),
      placebo: placeboOf.get(channel),
      placeboLabel: input.placeboLabel,
      design,
      spend: input.spend[channel] ?? 0,
      answers: input.answers ? armsOf(input.answers, channel) : undefined,
    }),
  );
  return { covariates: design.covariates, levels: design.levels, channels: withQValues(rows) };
}

/** One channel's reached answers, and the others' (everyone's less the reached, value by value). */
function armsOf(answers: Answers, channel: string): { reached: Distribution; notReached: Distribution } {
  const reached = answers.byChannel[channel] ?? [];
  const taken = new Map(reached.map(([v, n]) => [v, n]));
  const notReached: Distribution = answers.everyone.map(([v, n]) => [v, n - (taken.get(v) ?? 0)]);
  return { reached, notReached: notReached.filter(([, n]) => n > 0) };
}

/** q-values across the page, "distinguishable from no effect" decided on them; placebos flagged the same way. */
function withQValues(rows: ChannelRow[]): ChannelRow[] {
  const q = bhQValues(rows.map((r) => r.p_value));
  const placeboQ = bhQValues(rows.map((r) => r.placebo.p_value));
  return rows.map((r, i) => {
    const flagged = (placeboQ[i] ?? 1) <= 0.05;
    const notes = flagged ? [...r.notes, PLACEBO_FLAGGED] : r.notes;
    return {
      ...r,
      q_value: q[i] ?? null,
      distinguishable: (q[i] ?? 1) <= 0.05,
      placebo: { ...r.placebo, flagged },
      notes,
    };
  });
}

const PLACEBO_FLAGGED =
  'placebo flagged: reached and not-reached customers already differed in activity the channel cannot have caused, ' +
  'so something unmeasured (such as engagement) drives both who is reached and what they do; read this lift as ' +
  'biased and check it with an experiment';
