import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatValue, toEpoch } from '../lib/format.ts';
import { TIME_AXIS, yAxisLabel } from '../lib/chartAxes.ts';

interface Props {
  series: {
    label: string;
    unit: string;
    grain: string;
    rows: Array<{ period: string; value: number | null; n: number; complete: boolean }>;
    annotations?: Array<{ id: number; date: string; text: string }>;
  };
}

export function SeriesChart({ series }: Props) {
  const data = series.rows.map((r) => ({ t: toEpoch(r.period), value: r.value, n: r.n }));
  const values = series.rows.filter((r) => r.value !== null);
  const last = values.at(-1);
  const summary = values.length
    ? `${series.label} by ${series.grain}: ${values.length} periods, latest ` +
      `${formatValue(series.unit, last!.value)} (${formatDate(last!.period, 'month')}, n = ` +
      `${last!.n.toLocaleString()}).`
    : `${series.label}: no data in this range.`;
  return (
    <figure className="chart">
      <div role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={320}>
          <ComposedChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis {...TIME_AXIS} />
            <YAxis
              yAxisId="v"
              tickFormatter={(v: number) => formatValue(series.unit, v)}
              width={80}
              label={yAxisLabel(series.label)}
            />
            <YAxis
              yAxisId="n"
              orientation="right"
              width={60}
              tickFormatter={(v: number) => v.toLocaleString()}
              label={{
                value: 'n (rows)',
                angle: 90,
                position: 'insideRight',
                style: { textAnchor: 'middle', fill: '#5b6b78' },
              }}
            />
            <Tooltip
              labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString())}
              formatter={(v, name) => (name === 'n' ? Number(v).toLocaleString() : formatValue(series.unit, Number(v)))}
            />
            <Bar yAxisId="n" dataKey="n" name="n" fill="#d9e1e7" isAnimationActive={false} />
            <Line
              yAxisId="v"
              dataKey="value"
              name={series.label}
              stroke="#0b3d5c"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            {(series.annotations ?? []).map((a) => (
              <ReferenceDot
                key={a.id}
                yAxisId="v"
                x={toEpoch(a.date)}
                y={last?.value ?? 0}
                r={5}
                fill="#6941c6"
                ifOverflow="extendDomain"
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">{summary} Periods with no rows show as gaps, never as zero.</figcaption>
    </figure>
  );
}
