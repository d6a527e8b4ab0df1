// A forest plot: each channel's 95% interval as a floating bar, the adjusted lift and the naive
// difference as points, so adjustment's effect and overlap with zero are seen at once.
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
import { liftText, type Row } from './shared.ts';

export function LiftChart({ rows, outcome }: { rows: Row[]; outcome: string }) {
  const chartData = rows
    .filter((r) => r.lift !== null && r.ci)
    .map((r) => ({ channel: r.channel, lift: r.lift!, naive: r.naive_lift, interval: r.ci! }));
  if (!chartData.length) return null;
  return (
    <figure className="chart">
      {/* The axis title above the plot: rotated inside the axis it sat on the tick labels. */}
      <p className="axis-title">Effect on the reached ({outcome === 'revenue' ? 'money' : 'points'})</p>
      <div
        role="img"
        aria-label={
          `Adjusted lift by channel with 95% intervals: ` +
          `${chartData.map((d) => `${d.channel} ${liftText(outcome, d.lift)}`).join(', ')}`
        }
      >
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={chartData} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis dataKey="channel" type="category" allowDuplicatedCategory={false} />
            <YAxis tickFormatter={(v: number) => liftText(outcome, v)} width={80} domain={['auto', 'auto']} />
            <Tooltip
              {...READABLE_TOOLTIP}
              formatter={(v, name) =>
                Array.isArray(v)
                  ? [`${liftText(outcome, Number(v[0]))} to ${liftText(outcome, Number(v[1]))}`, name]
                  : [liftText(outcome, Number(v)), name]
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
              className="ci-bar"
            />
            <Scatter
              dataKey="lift"
              name="Adjusted lift"
              fill="#0b3d5c"
              shape="diamond"
              legendType="diamond"
              isAnimationActive={false}
            />
            <Scatter
              dataKey="naive"
              name="Naive difference"
              // A pale inside with a red edge; the legend draws the fill's colour, so it is the red.
              fill="#a3201a"
              fillOpacity={0.12}
              stroke="#a3201a"
              strokeWidth={2}
              legendType="circle"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">
        Adjusted lift (◆) with its 95% interval (bar) and the naive difference (○). An interval crossing zero is not
        distinguishable from no effect.
      </figcaption>
    </figure>
  );
}
