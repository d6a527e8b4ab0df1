// What the model saw and says: actual against fitted with the held-out weeks shaded, the KPI
// split into baseline and channels week by week, and each channel's response curve with today's
// spend marked.
import {
  Area,
  AreaChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMoney, formatTick } from '../../lib/format.ts';
import type { Mix } from './shared.ts';
import { EDGE_GREY, SERIES_COLOURS, READABLE_TOOLTIP } from '../../lib/chartAxes.ts';

// Compact numbers, as every chart's axes show them (lib/format.ts).
const compact = (v: number) => formatTick('count', v);

export function FitChart({ mix }: { mix: Mix }) {
  const held = mix.series.filter((s) => s.holdout);
  return (
    <figure className="chart">
      <figcaption>Actual and fitted {mix.kpi}; the shaded weeks were held out and forecast</figcaption>
      <div role="img" aria-label={`Actual and fitted ${mix.kpi} per ${mix.grain}; R² ${mix.fit.r2.toFixed(2)}`}>
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={mix.series} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis dataKey="period" minTickGap={40} />
            <YAxis tickFormatter={compact} width={56} domain={['auto', 'auto']} />
            <Tooltip {...READABLE_TOOLTIP} formatter={(v) => compact(Number(v))} />
            <Legend />
            {held.length > 0 && (
              <ReferenceArea
                x1={held[0]!.period}
                x2={held.at(-1)!.period}
                fill="#5b6b78"
                fillOpacity={0.12}
                stroke={EDGE_GREY}
                strokeDasharray="3 3"
              />
            )}
            <Line dataKey="actual" name="Actual" stroke="#1f2d3a" dot={false} isAnimationActive={false} />
            <Line
              dataKey="fitted"
              name="Fitted"
              stroke="#2f7ebc"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function ContributionChart({ mix }: { mix: Mix }) {
  const names = mix.channels.map((c) => c.channel);
  const data = mix.series.map((s) => ({ period: s.period, baseline: s.baseline, ...s.channels }));
  return (
    <figure className="chart">
      <figcaption>{mix.kpi} by source: baseline (trend, season, controls) and each channel</figcaption>
      <div role="img" aria-label={`Contributions to ${mix.kpi} over time: baseline and ${names.join(', ')}`}>
        <ResponsiveContainer width="100%" height={260}>
          <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis dataKey="period" minTickGap={40} />
            <YAxis tickFormatter={compact} width={56} />
            <Tooltip {...READABLE_TOOLTIP} formatter={(v) => compact(Number(v))} />
            <Legend />
            <Area
              dataKey="baseline"
              name="Baseline"
              stackId="1"
              stroke="#7f8c8d"
              fill="#cfd8dc"
              isAnimationActive={false}
            />
            {names.map((n, i) => (
              <Area
                key={n}
                dataKey={n}
                stackId="1"
                stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                fillOpacity={0.6}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function CurveCharts({ mix }: { mix: Mix }) {
  // One scale for every channel: alone, a channel estimated at 0 had its interval band fill its own
  // chart and read as a steep curve (OOH beside TV).
  const yMax = Math.max(0, ...mix.channels.flatMap((c) => c.curve.map((p) => Math.max(p.high, p.response))));
  return (
    <div className="curves" data-testid="mix-curves">
      {mix.channels.map((c, i) => {
        const today = c.curve[4]?.spend ?? 0;
        return (
          <figure className="chart small" key={c.channel}>
            <figcaption>
              {c.channel}: weekly {mix.kpi} for weekly spend (today {formatMoney(today)})
              {c.curve.every((p) => p.response === 0) &&
                ': estimated at no effect; the band is what the data cannot rule out'}
            </figcaption>
            <div role="img" aria-label={`Response curve of ${c.channel}`}>
              <ResponsiveContainer width="100%" height={180}>
                <ComposedChart data={c.curve} margin={{ top: 8, right: 12, bottom: 8, left: 4 }}>
                  <CartesianGrid stroke="#e3e9ee" vertical={false} />
                  <XAxis dataKey="spend" type="number" tickFormatter={compact} domain={[0, 'dataMax']} />
                  <YAxis tickFormatter={compact} width={48} domain={[0, yMax > 0 ? yMax : 'auto']} />
                  <Tooltip
                    {...READABLE_TOOLTIP}
                    formatter={(v) => compact(Number(v))}
                    labelFormatter={(v) => formatMoney(Number(v))}
                  />
                  <Area
                    dataKey={(d: { low: number; high: number }) => [d.low, d.high]}
                    name="95% interval"
                    stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                    strokeWidth={1}
                    strokeDasharray="2 2"
                    fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                    fillOpacity={0.2}
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="response"
                    stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                    dot={false}
                    isAnimationActive={false}
                  />
                  <ReferenceLine x={today} stroke="#1f2d3a" strokeDasharray="3 3" label="today" />
                </ComposedChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
