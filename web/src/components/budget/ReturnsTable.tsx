// Every channel on one row, in one convention: what each unit of spend brought in the KPI, with
// its 95% interval, where that came from, and spend share against effect share.
import { useRef } from 'react';
import { formatMoney } from '../../lib/format.ts';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { type Budget, pct, perSpendLabel, rangeText, returnText } from './shared.ts';

const METHOD_WORDS: Record<string, string> = {
  'media-mix model': 'Media mix (weekly spend against the KPI)',
  'customer-level comparison': 'Customers reached against alike customers not reached',
  'lift test': 'Lift test (an experiment)',
};
export const methodWords = (m: string | null) =>
  m === null
    ? 'Nothing measures it'
    : m.startsWith('pooled: ')
      ? `Pooled: ${m
          .slice(8)
          .split(' + ')
          .map((x) => METHOD_WORDS[x] ?? x)
          .join(' + ')}`
      : (METHOD_WORDS[m] ?? m);

export function ReturnsTable({ budget }: { budget: Budget }) {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const label = budget.label.toLowerCase();
  return (
    <div className="table-wrap">
      <table className="table stack" ref={stackRef} data-testid="budget-table">
        <caption>
          Return = {label} each unit of spend brought, {perSpendLabel(budget.unit)}, with its 95% interval (the range
          the true return lies in, 19 times in 20). Spend from {budget.period.from} to {budget.period.to}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Spend</th>
            <th scope="col">Return {perSpendLabel(budget.unit)} (95% interval)</th>
            <th scope="col">Next {perSpendLabel(budget.unit).replace('per ', '')} at today’s spend</th>
            <th scope="col">Share of spend / of effect</th>
            <th scope="col">Measured by</th>
          </tr>
        </thead>
        <tbody>
          {budget.channels.map((c) => (
            <tr key={c.channel} data-channel={c.channel}>
              <th scope="row">
                {c.channel}{' '}
                <span className="muted small">{c.kind === 'aggregate' ? 'bought in aggregate' : 'per customer'}</span>
              </th>
              <td className="num">{formatMoney(c.spend)}</td>
              <td className="num">
                {returnText(budget.unit, c.kpi_per_unit)}{' '}
                <span className="muted">({rangeText(budget.unit, c.kpi_per_unit_ci)})</span>
              </td>
              <td className="num">
                {returnText(budget.unit, c.kpi_per_extra_unit)}{' '}
                <span className="muted">({rangeText(budget.unit, c.kpi_per_extra_unit_ci)})</span>
              </td>
              <td className="num">
                {pct(c.share_of_spend)} / {pct(c.share_of_effect)}
              </td>
              <td>{methodWords(c.method)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
