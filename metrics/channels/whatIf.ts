// Budget what-if: a model, not a measurement. Each channel's measured incremental retained
// customers (or revenue) follow a diminishing-returns curve in its spend: the media-mix model's
// fitted response curve for that channel when one exists (its shape at today's weekly spend),
//   incremental(s) = incremental_now × response(w × s / spend_now) / response(w),
// else a fixed elasticity,
//   incremental(s) = incremental_now × (s / spend_now)^elasticity,
// so moving money is judged by the same lift the channels table shows. Pure.
import { BearingError } from '../../data/errors.ts';
import { type FittedCurve, interval, type ResponseCurve } from '../mix/model.ts';
import { steadyResponse } from '../mix/transform.ts';
import type { ChannelComparison } from './compare.ts';

export interface Move {
  from: string;
  to: string;
  amount: number;
}

export interface WhatIfChannel {
  channel: string;
  spend_now: number;
  spend_after: number;
  incremental_now: number | null;
  incremental_after: number | null;
  change: number | null;
  change_ci: [number, number] | null;
  measured: boolean;
  /** How the change was scaled: the mix model's fitted curve, or the fixed elasticity. */
  response: 'fitted curve' | 'elasticity';
}

export interface WhatIf {
  model: true;
  label: string;
  elasticity: number;
  assumptions: string[];
  channels: WhatIfChannel[];
  total_change: number;
  total_change_ci: [number, number];
}

export function budgetWhatIf(
  comparison: ChannelComparison,
  moves: Move[],
  elasticity = 0.5,
  curves: ReadonlyMap<string, FittedCurve> = new Map(),
): WhatIf {
  if (comparison.outcome !== 'retention' && comparison.outcome !== 'revenue') {
    throw new BearingError(
      'bad-outcome',
      `the budget what-if models retained customers or revenue, which scale with reach (got ${comparison.outcome})`,
    );
  }
  const counted = comparison.outcome === 'retention' ? 'incremental retained customers' : 'incremental revenue';
  if (!(elasticity > 0 && elasticity <= 1))
    throw new BearingError('bad-elasticity', `elasticity must be in (0, 1] (got ${elasticity})`);
  if (!comparison.channels.some((c) => c.incremental !== null && c.incremental_ci !== null && c.spend > 0)) {
    // Zeros here would read as "this move changes nothing", which nobody measured.
    throw new BearingError(
      'nothing-to-model',
      `no channel has a measured lift on ${comparison.outcome} with spend behind it (every lift is missing or not ` +
        `estimable), so nothing can be modelled; see each channel's notes in the comparison`,
    );
  }
  const after = spendAfter(comparison, moves);
  const channels = comparison.channels.map((c) =>
    respond(c, after.get(c.channel)!, scaleOf(curves.get(c.channel), elasticity)),
  );
  const fitted = channels.filter((c) => c.response === 'fitted curve').map((c) => c.channel);
  const sum = (pick: (c: WhatIfChannel) => number | undefined) => channels.reduce((a, c) => a + (pick(c) ?? 0), 0);
  return {
    model: true,
    label: 'A model, not a measurement: what the measured lifts imply if the assumptions below hold.',
    elasticity,
    assumptions: [
      ...(fitted.length
        ? [
            `${fitted.join(', ')}: ${counted} follow the media-mix model's fitted response curve ` +
              `(${curves.get(fitted[0]!)!.kpi}; carry-over and saturation) at today's weekly spend scaled by the ` +
              'same factor; the interval holds both the lift and the curve.',
          ]
        : []),
      `${fitted.length ? 'Other channels: diminishing' : 'Diminishing'} returns: ${counted} scale with ` +
        `(new spend / current spend)^${elasticity}; doubling a channel's ` +
        `spend adds ${Math.round((2 ** elasticity - 1) * 100)}% more, not 100%.`,
      `Current ${counted} are the measured ATT × reached customers for the ${comparison.window_days}-day window and ` +
        `${comparison.horizon_days}-day horizon.`,
      'Reach moves with spend, and the customers reached by new money respond like those reached today.',
      'Channels without a measured lift are left unchanged; intervals add the channels’ own intervals ' +
        '(conservatively, as if their errors moved together).',
    ],
    channels,
    total_change: sum((c) => c.change ?? 0),
    total_change_ci: [sum((c) => c.change_ci?.[0]), sum((c) => c.change_ci?.[1])],
  };
}

/** Each channel's spend after the moves, refusing moves of unknown channels or more than there is. */
function spendAfter(comparison: ChannelComparison, moves: Move[]): Map<string, number> {
  const spend = new Map(comparison.channels.map((c) => [c.channel, c.spend]));
  const after = new Map(spend);
  for (const [i, m] of moves.entries()) {
    for (const ch of [m.from, m.to]) {
      if (spend.has(ch)) continue;
      const known = [...spend.keys()].join(', ');
      throw new BearingError('unknown-channel', `moves.${i}: unknown channel "${ch}" (expected one of ${known})`);
    }
    if (!(m.amount > 0)) throw new BearingError('bad-amount', `moves.${i}.amount must be positive`);
    const left = after.get(m.from)! - m.amount;
    if (left < 0)
      throw new BearingError('bad-amount', `moves.${i}: ${m.from} has only ${after.get(m.from)!.toFixed(0)} to move`);
    after.set(m.from, left);
    after.set(m.to, after.get(m.to)! + m.amount);
  }
  return after;
}

interface Scale {
  response: WhatIfChannel['response'];
  /** The factor by which incremental results change for a spend multiplied by m: point, and its 95% range. */
  factor: (m: number) => { point: number; range: [number, number] };
}

/** The fitted curve when the mix model kept the channel (a flat fitted curve says nothing about shape). */
function scaleOf(curve: FittedCurve | undefined, elasticity: number): Scale {
  const ratio = (c: ResponseCurve, w: number, m: number) => {
    const at = steadyResponse(w, c.beta, c.k, c);
    return at > 0 ? steadyResponse(w * m, c.beta, c.k, c) / at - 1 : null;
  };
  if (curve && curve.weekly_now > 0 && ratio(curve.point, curve.weekly_now, 2) !== null)
    return {
      response: 'fitted curve',
      factor: (m) => {
        const draws = curve.draws.map((d) => ratio(d, curve.weekly_now, m)).filter((x): x is number => x !== null);
        const point = ratio(curve.point, curve.weekly_now, m)!;
        return { point, range: draws.length >= 20 ? interval(draws) : [point, point] };
      },
    };
  return {
    response: 'elasticity',
    factor: (m) => {
      const point = m ** elasticity - 1;
      return { point, range: [point, point] };
    },
  };
}

/** One channel's modelled change at its new spend (unchanged when nothing was measured). */
function respond(c: ChannelComparison['channels'][number], next: number, scale: Scale): WhatIfChannel {
  const now = c.spend;
  const measured = c.incremental !== null && c.incremental_ci !== null;
  const base = {
    channel: c.channel,
    spend_now: now,
    spend_after: next,
    incremental_now: c.incremental,
    measured,
    response: scale.response,
  };
  if (!measured || now <= 0) {
    if (next !== now && now <= 0) {
      const why = 'the model cannot extrapolate a response to new money';
      throw new BearingError('no-spend-history', `${c.channel} has no spend in these months: ${why}`);
    }
    return {
      ...base,
      incremental_after: c.incremental,
      change: measured ? 0 : null,
      change_ci: measured ? [0, 0] : null,
    };
  }
  const { point, range } = scale.factor(next / now);
  const change = c.incremental! * point;
  // Every corner of (lift interval) × (factor range): the product's extremes lie at corners.
  const corners = c.incremental_ci!.flatMap((x) => range.map((f) => x * f));
  return {
    ...base,
    incremental_after: c.incremental! + change,
    change,
    change_ci: [Math.min(...corners), Math.max(...corners)],
  };
}
