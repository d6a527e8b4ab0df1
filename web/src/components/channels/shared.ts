// What the Channels components share: one comparison row's type and how a lift is written.
import { formatDecimal, formatMoney, withSign } from '../../lib/format.ts';
import type { channelsQuery } from '../../lib/queries.ts';

export type Row = Awaited<ReturnType<NonNullable<ReturnType<typeof channelsQuery>['queryFn']>>>['channels'][number];

/** A lift in the outcome's own unit: points for shares and NPS, money for revenue. */
export function liftText(outcome: string, v: number | null): string {
  if (v === null) return '—';
  const shown =
    outcome === 'retention' || outcome === 'csat'
      ? Number((v * 100).toFixed(1))
      : outcome === 'nps'
        ? Number(v.toFixed(1))
        : Math.round(v);
  // The sign follows what is shown, so a tiny negative reads ±0.0, not −0.0.
  const sign = shown > 0 ? '+' : shown < 0 ? '−' : '±';
  const abs = Math.abs(shown);
  // In the reader's locale, like every other figure beside it ("+2,1 pts" under de-DE).
  return outcome === 'revenue' ? withSign(sign, formatMoney(abs)) : `${sign}${formatDecimal(abs, 1)} pts`;
}
