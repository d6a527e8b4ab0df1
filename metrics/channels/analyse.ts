// The statistics of a channel comparison, from the cohort cells the database returned to one row
// per channel with q-values across the page. Pure and CPU-heavy (a cross-fitted doubly robust fit
// per channel and per placebo): it runs off the server's event loop (metrics/offload/).
import type { Outcome } from './cohortSql.ts';
import { bhQValues } from './diagnostics.ts';
import { type Cells, cellsByChannel, designOf } from './patterns.ts';
import { type ChannelRow, channelRow } from './row.ts';

export interface ChannelAnalysisInput {
  outcome: Outcome;
  cells: Cells;
  attributes: string[];
  /** Spend per channel over the cohorts' months. */
  spend: Record<string, number>;
  placeboLabel: string;
}

export function analyseChannels(input: ChannelAnalysisInput): { covariates: string[]; channels: ChannelRow[] } {
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
    }),
  );
  return { covariates: design.covariates, channels: withQValues(rows) };
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
