// A plan's answer: the KPI before and after with its range in one sentence, each channel before
// and after with its change, what the plan assumes, and the plan as CSV, XLSX or a printed page.
import { useRef } from 'react';
import { toCsvText } from '../../lib/csv.ts';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { download, XLSX_TYPE } from '../../lib/download.ts';
import { formatMoney } from '../../lib/format.ts';
import { kpiDelta, kpiText } from './shared.ts';
import type { Plan } from './shared.ts';

/** The plan as a table of numbers (money rounded to cents), for a spreadsheet. */
export function planTable(plan: Plan): { header: string[]; rows: unknown[][] } {
  const cents = (v: number) => Math.round(v * 100) / 100;
  const header = [
    'kpi',
    'period_from',
    'period_to',
    'channel',
    'kind',
    'spend_today',
    'spend_proposed',
    'min',
    'max',
    'kpi_change',
    'kpi_change_low',
    'kpi_change_high',
  ];
  const rows = plan.channels.map((c) => [
    plan.kpi,
    plan.period.from,
    plan.period.to,
    c.channel,
    c.kind,
    cents(c.current),
    cents(c.proposed),
    cents(c.min),
    c.max === null ? null : cents(c.max),
    cents(c.kpi_change),
    cents(c.kpi_change_ci[0]),
    cents(c.kpi_change_ci[1]),
  ]);
  const total = [
    plan.kpi,
    plan.period.from,
    plan.period.to,
    'total',
    '',
    cents(plan.total_current),
    cents(plan.total_proposed),
  ];
  return {
    header,
    rows: [...rows, [...total, null, null, cents(plan.uplift), cents(plan.uplift_ci[0]), cents(plan.uplift_ci[1])]],
  };
}

export function PlanResult({ plan }: { plan: Plan }) {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const unit = plan.unit;
  const file = `bearing-budget-${plan.kpi}-${plan.period.label.replace(/[^\w-]+/g, '_')}`;
  const exportCsv = () => {
    const t = planTable(plan);
    download(toCsvText(t.header, t.rows), `${file}.csv`, 'text/csv');
  };
  const exportXlsx = async () => {
    const t = planTable(plan);
    const { toXlsx } = await import('../../lib/xlsx.ts');
    download(toXlsx('Budget plan', t.header, t.rows), `${file}.xlsx`, XLSX_TYPE);
  };
  return (
    <section className="plan-result" aria-labelledby="plan-result-title" data-testid="budget-plan">
      <h3 id="plan-result-title">
        The plan for {plan.period.label} (
        {plan.mode === 'scenario'
          ? 'money moved'
          : plan.mode === 'target'
            ? 'the least spend for the target'
            : 'best use of the total'}
        )
      </h3>
      <p className="lead" data-testid="budget-plan-sentence">
        {plan.sentences[0]}
      </p>
      {plan.target_reached === false && (
        <p className="state warn" role="status" data-testid="budget-target-missed">
          The target is out of reach within these limits: this is the most the limits allow.
        </p>
      )}
      {plan.warnings.map((w) => (
        <p key={w} className="state warn" role="status">
          {w}
        </p>
      ))}
      <div className="table-wrap">
        <table className="table stack" ref={stackRef} data-testid="budget-plan-table">
          <caption>
            Spend over {plan.period.from} to {plan.period.to} ({plan.period.days} days), today’s against the plan’s, and
            what the plan changes in {plan.label.toLowerCase()}, with its 95% range.
          </caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Today</th>
              <th scope="col">Plan</th>
              <th scope="col">{plan.label} change (95% range)</th>
            </tr>
          </thead>
          <tbody>
            {plan.channels.map((c) => (
              <tr key={c.channel} data-channel={c.channel}>
                <th scope="row">{c.channel}</th>
                <td className="num">{formatMoney(c.current)}</td>
                <td className="num">{formatMoney(c.proposed)}</td>
                <td className="num">
                  {kpiDelta(unit, c.kpi_change)}{' '}
                  <span className="muted">
                    ({kpiDelta(unit, c.kpi_change_ci[0])} to {kpiDelta(unit, c.kpi_change_ci[1])})
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{formatMoney(plan.total_current)}</td>
              <td className="num">{formatMoney(plan.total_proposed)}</td>
              <td className="num">
                {kpiDelta(unit, plan.uplift)}{' '}
                <span className="muted">
                  ({kpiDelta(unit, plan.uplift_ci[0])} to {kpiDelta(unit, plan.uplift_ci[1])})
                </span>
              </td>
            </tr>
            <tr>
              <th scope="row">{plan.label}</th>
              <td className="num">{kpiText(unit, plan.kpi_current)}</td>
              <td className="num">{kpiText(unit, plan.kpi_proposed)}</td>
              <td className="num muted">
                with the plan: {kpiText(unit, plan.kpi_proposed_ci[0])} to {kpiText(unit, plan.kpi_proposed_ci[1])}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <details className="assumptions">
        <summary>What this plan assumes</summary>
        <ul>
          {plan.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </details>
      <p className="filters no-print">
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
        <button type="button" onClick={exportXlsx}>
          Export XLSX
        </button>
        <button type="button" onClick={() => window.print()}>
          Print summary
        </button>
      </p>
    </section>
  );
}
