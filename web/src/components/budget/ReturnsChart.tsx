// Each channel's return per unit of spend inside its 95% interval, on one axis in the KPI's unit.
import { ForestChart } from '../ForestChart.tsx';
import { type Budget, perSpendLabel, returnText } from './shared.ts';

export function ReturnsChart({ budget }: { budget: Budget }) {
  const rows = budget.channels
    .filter((c) => c.kpi_per_unit !== null && c.kpi_per_unit_ci)
    .map((c) => ({ label: c.channel, value: c.kpi_per_unit!, interval: c.kpi_per_unit_ci! }));
  const text = (v: number) => returnText(budget.unit, v);
  return (
    <ForestChart
      rows={rows}
      testId="budget-chart"
      axisTitle={`${budget.label} ${perSpendLabel(budget.unit)} of spend`}
      valueName="Return"
      format={text}
      description={`Return ${perSpendLabel(budget.unit)} by channel with 95% intervals: ${rows
        .map((d) => `${d.label} ${text(d.value)}`)
        .join(', ')}`}
      caption={
        <>
          Return (◆) with its 95% interval (bar). An interval reaching zero means the data cannot tell the channel apart
          from no return at all.
        </>
      }
    />
  );
}
