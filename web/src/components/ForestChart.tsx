// A forest plot: each row's 95% interval as a floating bar and its estimate as a diamond, on one
// axis with zero marked, so which is larger, and how sure that is, is seen at once. Extra point
// series (the naive difference beside an adjusted lift) are drawn as hollow circles.
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
import { READABLE_TOOLTIP } from '../lib/chartAxes.ts';

export interface ForestRow {
  label: string;
  value: number;
  interval: [number, number];
  /** Extra points by series name (null: none for this row). */
  extra?: Record<string, number | null>;
}

export interface ForestChartProps {
  rows: ForestRow[];
  /** The value axis's title, above the plot (rotated inside the axis it sat on the tick labels). */
  axisTitle: string;
  /** The estimate's name in the legend and tooltip. */
  valueName: string;
  format: (v: number) => string;
  /** The chart in one sentence, for screen readers. */
  description: string;
  caption: React.ReactNode;
  testId?: string;
}

export function ForestChart({ rows, axisTitle, valueName, format, description, caption, testId }: ForestChartProps) {
  if (!rows.length) return null;
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const data = rows.map((r) => ({ label: r.label, value: r.value, interval: r.interval, ...r.extra }));
  return (
    <figure className="chart" data-testid={testId}>
      <p className="axis-title">{axisTitle}</p>
      <div role="img" aria-label={description}>
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis dataKey="label" type="category" allowDuplicatedCategory={false} />
            <YAxis tickFormatter={format} width={80} domain={['auto', 'auto']} />
            <Tooltip
              {...READABLE_TOOLTIP}
              formatter={(v, name) =>
                Array.isArray(v)
                  ? [`${format(Number(v[0]))} to ${format(Number(v[1]))}`, name]
                  : [format(Number(v)), name]
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
              dataKey="value"
              name={valueName}
              fill="#0b3d5c"
              shape="diamond"
              legendType="diamond"
              isAnimationActive={false}
            />
            {extras.map((name) => (
              <Scatter
                key={name}
                dataKey={name}
                name={name}
                // A pale inside with a red edge; the legend draws the fill's colour, so it is the red.
                fill="#a3201a"
                fillOpacity={0.12}
                stroke="#a3201a"
                strokeWidth={2}
                legendType="circle"
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">{caption}</figcaption>
    </figure>
  );
}
