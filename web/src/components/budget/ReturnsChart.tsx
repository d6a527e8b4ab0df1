// Each channel's return per unit of spend as a point inside its 95% interval, on one axis in the
// KPI's unit, so which channel returns more, and how sure that is, is seen at once.
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { READABLE_TOOLTIP } from '../../lib/chartAxes.ts';
import { type Budget, perSpendLabel, returnText } from './shared.ts';

export function ReturnsChart({ budget }: { budget: Budget }) {
  const data = budget.channels
    .filter((c) => c.kpi_per_unit !== null && c.kpi_per_unit_ci)
    .map((c) => ({ channel: c.channel, value: c.kpi_per_unit!, interval: c.kpi_per_unit_ci! }));
  if (!data.length) return null;
  const text = (v: number) => returnText(budget.unit, v);
  return (
    <figure className="chart" data-testid="budget-chart">
      <p className="axis-title">
        {budget.label} {perSpendLabel(budget.unit)} of spend
      </p>
      <div
        role="img"
        aria-label={`Return ${perSpendLabel(budget.unit)} by channel with 95% intervals: ${data
          .map((d) => `${d.channel} ${text(d.value)}`)
          .join(', ')}`}
      >
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis dataKey="channel" type="category" allowDuplicatedCategory={false} />
            <YAxis tickFormatter={text} width={80} domain={['auto', 'auto']} />
            <Tooltip
              {...READABLE_TOOLTIP}
              formatter={(v, name) =>
                Array.isArray(v) ? [`${text(Number(v[0]))} to ${text(Number(v[1]))}`, name] : [text(Number(v)), name]
              }
            />
            <Legend />
            <ReferenceLine y={0} stroke="#5b6b78" />
            <Bar
              dataKey="interval"
              name="95% interval"
              fill="#2f7ebc"
              fillOpacity={0.35}
              stroke="#2f7ebc"
              barSize={22}
              legendType="rect"
              isAnimationActive={false}
            />
            <Scatter
              dataKey="value"
              name="Return"
              fill="#0b3d5c"
              shape="diamond"
              legendType="diamond"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">
        Return (◆) with its 95% interval (bar). An interval reaching zero means the data cannot tell the channel apart
        from no return at all.
      </figcaption>
    </figure>
  );
}
