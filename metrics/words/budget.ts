// The budget in plain words for finance, shared by the API (each channel's `sentence`, a plan's
// `sentences`), the CLI and the web app: "Each $1 on paid_search brought $1.40 ($0.90 to $1.90)
// of total revenue over Nov 2025–Oct 2026."
import type { Unit } from '../definition.ts';
import type { PlanChannel } from '../budget/plan.ts';
import type { BudgetChannel } from '../budget/types.ts';
import { monthSpan } from '../heading/months.ts';
import { signed, unitWords } from './units.ts';

/** Money in the workspace's currency: whole units from 100 up, cents below (the one rule, in ./units.ts). */
export const money = (currency: string, value: number): string => unitWords('en-US', currency).value('currency', value);

/** An amount of the KPI: money for a currency KPI, a number otherwise. */
export function kpiAmount(unit: Unit, currency: string, value: number): string {
  if (unit === 'currency') return money(currency, value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits }).replace(/^-/, '−');
}

/** "Nov 2025–Oct 2026", or the dates when the period is not whole months. */
export function periodText(from: string, to: string): string {
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  if (from.endsWith('-01') && next.getUTCDate() === 1) return monthSpan(from, to);
  return `${from} to ${to}`;
}

/**
 * A currency KPI reads per $1 of spend; a count reads per $1,000 (0.004 signups per $1 is
 * unreadable, 4 per $1,000 is not).
 */
export const perSpend = (unit: Unit) => (unit === 'currency' ? 1 : 1000);

export function channelSentence(
  c: Pick<
    BudgetChannel,
    'channel' | 'kpi_per_unit' | 'kpi_per_unit_ci' | 'kpi_per_extra_unit' | 'kpi_per_extra_unit_ci' | 'notes'
  >,
  kpi: { label: string; unit: Unit; currency: string; from: string; to: string },
): string {
  const per = perSpend(kpi.unit);
  const amount = (v: number) => kpiAmount(kpi.unit, kpi.currency, v * per);
  const what = kpi.label.toLowerCase();
  if (c.kpi_per_unit === null || !c.kpi_per_unit_ci)
    return `${c.channel}: no measured return on ${what}${c.notes[0] ? ` (${c.notes[0]})` : ''}.`;
  const [low, high] = c.kpi_per_unit_ci;
  const range = `${amount(low)} to ${amount(high)}`;
  const noun = kpi.unit === 'currency' ? `of ${what}` : what;
  const unclear = low <= 0 && high >= 0 ? '; not told apart from nothing' : '';
  const next =
    c.kpi_per_extra_unit !== null && c.kpi_per_extra_unit_ci
      ? ` The next ${unitSpend(kpi.currency, per)} would bring about ${amount(c.kpi_per_extra_unit)} ` +
        `(${amount(c.kpi_per_extra_unit_ci[0])} to ${amount(c.kpi_per_extra_unit_ci[1])}).`
      : '';
  return (
    `Each ${unitSpend(kpi.currency, per)} on ${c.channel} brought ${amount(c.kpi_per_unit)} (${range}) ${noun} ` +
    `over ${periodText(kpi.from, kpi.to)}${unclear}.${next}`
  );
}

/** A change of the KPI with its sign: "+$916", "−$112,515", "±$0". */
export const signedAmount = (unit: Unit, currency: string, v: number) =>
  signed(v > 0 ? '+' : v < 0 ? '−' : '±', kpiAmount(unit, currency, Math.abs(v)));

/** "$1" rather than "$1.00": the unit spend is named, not measured. */
export const unitSpend = (currency: string, per: number) => money(currency, per).replace(/\.00$/, '');

/** A plan's change for one channel: "tv: $412,000 → $329,600 (−20%), total revenue −$95,000 (…)". */
export function planLine(c: PlanChannel, kpi: { unit: Unit; currency: string; label: string }): string {
  const pct = c.current > 0 ? Math.round(((c.proposed - c.current) / c.current) * 100) : null;
  const moved = pct === null || pct === 0 ? '' : ` (${pct > 0 ? '+' : '−'}${Math.abs(pct)}%)`;
  const signed = (v: number) => signedAmount(kpi.unit, kpi.currency, v);
  const [low, high] = c.kpi_change_ci.map(signed);
  return (
    `${c.channel}: ${money(kpi.currency, c.current)} → ${money(kpi.currency, c.proposed)}${moved}; ` +
    `${kpi.label.toLowerCase()} ${signed(c.kpi_change)} (${low} to ${high})`
  );
}
