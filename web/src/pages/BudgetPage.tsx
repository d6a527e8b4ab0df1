// One budget for every channel, for finance: what each unit of spend brought in one KPI with its
// interval and the evidence behind it, then a plan for a period in money, a scenario ("move 20% of
// tv to paid_search") or the best use of a total, with its range, exported or printed.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { PlanForm, type PlanRequest } from '../components/budget/PlanForm.tsx';
import { PlanResult } from '../components/budget/PlanResult.tsx';
import { ReturnsChart } from '../components/budget/ReturnsChart.tsx';
import { ReturnsTable } from '../components/budget/ReturnsTable.tsx';
import { MetricSelect } from '../components/MetricSelect.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatMoney } from '../lib/format.ts';
import { budgetQuery, metricsQuery, planBudget } from '../lib/queries.ts';
import { useUrlState } from '../lib/urlState.ts';
import { TermList } from '../components/Term.tsx';
import { kpiText } from '../components/budget/shared.ts';

export default function BudgetPage() {
  const [view, setView] = useUrlState({ kpi: '' });
  const metrics = useQuery(metricsQuery());
  // Without a choice, the first definition tagged `budget` (the KPI every channel moves), else revenue.
  const kpi =
    view.kpi ||
    metrics.data?.metrics.find((m) => m.tags.includes('budget'))?.name ||
    metrics.data?.metrics.find((m) => m.name === 'revenue')?.name ||
    '';
  const budget = useQuery(budgetQuery(kpi));
  const plan = useMutation({ mutationFn: (request: PlanRequest) => planBudget(request) });
  const total = budget.data?.channels.reduce((a, c) => a + c.spend, 0) ?? 0;
  const summary = budget.data
    ? `${formatMoney(total)} spent across ${budget.data.channels.length} channels from ${budget.data.period.from} ` +
      `to ${budget.data.period.to}; ${budget.data.label.toLowerCase()} over the same dates ` +
      `${kpiText(budget.data.unit, budget.data.kpi_total)}.`
    : '';
  return (
    <section aria-labelledby="budget-title" className="budget-page">
      <div className="page-head">
        <h1 id="budget-title">Budget</h1>
        <p className="muted">
          Every channel in money on one KPI, and what moving money between them would do. The evidence behind each
          number is on the <Link href="/channels">Channels</Link> and <Link href="/mix">Mix</Link> pages.
        </p>
      </div>
      <form className="filters no-print" aria-label="Budget settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          KPI{' '}
          <MetricSelect
            value={kpi}
            onChange={(name) => {
              plan.reset();
              setView({ kpi: name });
            }}
            placeholder="Choose a metric…"
          />
        </label>
      </form>
      {!kpi && <Empty>Choose the KPI the channels are read on (revenue, orders, signups…).</Empty>}
      {kpi && budget.isPending && <Loading what="every channel’s return (a few seconds the first time)" />}
      {budget.isError && <ErrorState error={budget.error} retry={() => budget.refetch()} />}
      {budget.data && (
        <>
          {!budget.data.channels.length && (
            <Empty>
              No channel has spend yet. Import <code>spend</code> (channels that reach customers one by one, by month)
              or <code>media</code> (channels bought in aggregate, by day or week) to read every channel in money.
            </Empty>
          )}
          <p className="lead" data-testid="budget-summary">
            {summary}
          </p>
          {budget.data.warnings.map((w) => (
            <p key={w} className="state warn" role="status">
              {w}
            </p>
          ))}
          <ul className="sentences" data-testid="budget-sentences">
            {budget.data.channels.map((c) => {
              // The next dollar's clause is in the table too: on paper it is left out, so the page stays one page.
              const [said, next] = c.sentence.split(/(?= The next )/);
              return (
                <li key={c.channel}>
                  {said}
                  {next && <span className="sentence-next">{next}</span>}
                </li>
              );
            })}
          </ul>
          <ReturnsTable budget={budget.data} />
          <ReturnsChart budget={budget.data} />
          <TermList ids={['roi', 'interval', 'pooled', 'saturation']} />
          <details className="no-print">
            <summary>How these returns are measured</summary>
            <p className="small">{budget.data.method}</p>
          </details>
          <section className="panel" aria-labelledby="plan-title">
            <h2 id="plan-title">Plan a period</h2>
            <div className="no-print">
              <PlanForm budget={budget.data} pending={plan.isPending} onPlan={(r) => plan.mutate(r)} />
            </div>
            {plan.isError && (
              <ErrorState error={plan.error} retry={() => plan.variables && plan.mutate(plan.variables)} />
            )}
            {plan.data && <PlanResult plan={plan.data} />}
          </section>
        </>
      )}
    </section>
  );
}
