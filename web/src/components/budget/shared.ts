import type { budgetQuery, PlanAnswer } from '../../lib/queries.ts';
import { formatDelta, formatMoney, formatValue } from '../../lib/format.ts';

export type Budget = Awaited<ReturnType<NonNullable<ReturnType<typeof budgetQuery>['queryFn']>>>;
export type BudgetRow = Budget['channels'][number];
export type Plan = PlanAnswer;

/** A currency KPI reads per $1 of spend, a count per $1,000 (as the API's sentences do). */
export const perSpend = (unit: string) => (unit === 'currency' ? 1 : 1000);

/** "per $1" / "per $1,000", in the workspace's currency. */
export const perSpendLabel = (unit: string) => `per ${formatMoney(perSpend(unit))}`;

/** A return per unit of spend, scaled to the unit the page reads it in. */
export const returnText = (unit: string, v: number | null | undefined) =>
  v === null || v === undefined ? '—' : formatValue(unit === 'currency' ? 'currency' : 'number', v * perSpend(unit));

export const rangeText = (unit: string, ci: [number, number] | null | undefined) =>
  ci ? `${returnText(unit, ci[0])} to ${returnText(unit, ci[1])}` : '—';

/** An amount of the KPI (money, or a count). */
export const kpiText = (unit: string, v: number | null | undefined) =>
  formatValue(unit === 'currency' ? 'currency' : 'count', v);
export const kpiDelta = (unit: string, v: number) => formatDelta(unit === 'currency' ? 'currency' : 'count', v);

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)}%`);
