import { noteMarker } from './notes/marker.tsx';
import { leftOutNote } from './BreakdownChart.tsx';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatTick, formatValue, toEpoch } from '../lib/format.ts';
import { TIME_AXIS, yAxisLabel, READABLE_TOOLTIP } from '../lib/chartAxes.ts';
import { monthStartOf } from '../lib/dateRange.ts';

export interface ChartPoint {
  t: number;
  value?: number | null;
  trend?: number;
  projection?: number;
  band?: [number, number];
  plan?: number;
  /** A month too thin to count (the heading's `left_out`): drawn apart, off the line. */
  thin?: number;
}

interface Props {
  unit: string;
  label: string;
  target: number;
  due: string;
  series: Array<{ period: string; value: number | null; complete: boolean }>;
  trend: Array<{ period: string; value: number }>;
  band: Array<{ period: string; value: number; low: number; high: number }>;
  /** The planned path (pace line): baseline → milestones → target. */
  plan?: Array<{ period: string; value: number }>;
  annotations: Array<{ id: number; date: string; text: string }>;
  /** Months with too few rows to count (the reading names them): a hollow mark off the line. */
  leftOut?: Array<{ period: string }>;
  summary: string;
  /** The shared range's start: months before it are left off the chart (the forecast still reads them). */
  from?: string;
  /** The summary already names the unfinished month (the heading's `unfinished`): not said twice. */
  unfinishedNamed?: boolean;
}

/** Shapes the goal's data for the chart: one row per month, keyed by epoch milliseconds. */
export function chartPoints(
  props: Pick<Props, 'series' | 'trend' | 'band' | 'plan' | 'from' | 'leftOut'>,
): ChartPoint[] {
  const rows = new Map<number, ChartPoint>();
  const at = (period: string) => {
    const t = toEpoch(period);
    if (!rows.has(t)) rows.set(t, { t });
    return rows.get(t)!;
  };
  // A thin month is not on the line (16 orders read 37.5% once, a spike the reading ignores): its own mark.
  const thin = new Set((props.leftOut ?? []).map((l) => l.period));
  for (const s of props.series) {
    if (!s.complete) continue;
    if (thin.has(s.period) && s.value !== null) at(s.period).thin = s.value;
    else at(s.period).value = s.value;
  }
  for (const p of props.trend) at(p.period).trend = p.value;
  for (const p of props.plan ?? []) at(p.period).plan = p.value;
  for (const b of props.band) {
    const row = at(b.period);
    row.projection = b.value;
    row.band = [b.low, b.high];
  }
  const start = props.from ? toEpoch(monthStartOf(props.from)) : Number.NEGATIVE_INFINITY;
  const sorted = [...rows.values()].filter((r) => r.t >= start).sort((a, b) => a.t - b.t);
  // Months before the goal's own series begins are blank (a goal filtered to one product listed from
  // the metric's first month drew years of empty axis): the chart starts where something is drawn.
  const first = sorted.findIndex(
    (r) =>
      typeof r.value === 'number' ||
      r.thin !== undefined ||
      r.trend !== undefined ||
      r.plan !== undefined ||
      r.band !== undefined,
  );
  return first < 0 ? sorted : sorted.slice(first);
}

// One chart's JSX (series, trend, band, goal line, notes); its data is prepared by chartPoints.
/**
 * Where the due label goes: at the bottom unless the goal line sits in the lower half of the chart,
 * where its label would meet it ("Goal 95%" over "Due Jun 2019"); then at the top.
 */
export function dueLabelPosition(
  props: Pick<Props, 'series' | 'band' | 'target'>,
): 'insideBottomRight' | 'insideTopRight' {
  const values = [
    props.target,
    ...props.series.flatMap((s) => (s.value === null ? [] : [s.value])),
    ...props.band.flatMap((b) => [b.low, b.high]),
  ];
  const low = Math.min(...values);
  const high = Math.max(...values);
  return high > low && props.target < (low + high) / 2 ? 'insideTopRight' : 'insideBottomRight';
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: declarative chart markup
export function GoalChart(props: Props) {
  const data = chartPoints(props);
  const fmt = (v: number) => formatValue(props.unit, v);
  const valueAt = (date: string) => {
    const t = toEpoch(date);
    const nearest = data
      .filter((d) => typeof d.value === 'number')
      .reduce<ChartPoint | undefined>(
        (best, d) => (!best || Math.abs(d.t - t) < Math.abs(best.t - t) ? d : best),
        undefined,
      );
    return nearest?.value ?? props.target;
  };
  const dueAt = dueLabelPosition(props);
  return (
    <figure className="chart">
      {/* A group, not an image: the notes' markers inside are links. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a chart is not a form's fieldset */}
      <div role="group" aria-label={props.summary}>
        <ResponsiveContainer width="100%" height={340}>
          <ComposedChart data={data} margin={{ top: 16, right: 64, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis {...TIME_AXIS} />
            <YAxis
              tickFormatter={(v: number) => formatTick(props.unit, v)}
              width={80}
              domain={['auto', 'auto']}
              label={yAxisLabel(props.label)}
            />
            <Tooltip
              {...READABLE_TOOLTIP}
              labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString(), 'month')}
              formatter={(v, name) =>
                Array.isArray(v) ? [`${fmt(Number(v[0]))} – ${fmt(Number(v[1]))}`, name] : [fmt(Number(v)), name]
              }
            />
            <Legend />
            <Area
              dataKey="band"
              name="Projection (95% band)"
              fill="#f5b700"
              fillOpacity={0.18}
              // The band's edges carry it (the pale fill alone is 1.3:1 on white); its legend square too.
              stroke="#9a6700"
              strokeWidth={1}
              strokeOpacity={0.8}
              isAnimationActive={false}
              legendType="square"
            />
            <Line
              dataKey="value"
              name={props.label}
              stroke="#0b3d5c"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
              connectNulls
            />
            {data.some((d) => d.thin !== undefined) && (
              <Line
                dataKey="thin"
                name="Left out: too few rows"
                stroke="#5f6b76"
                strokeWidth={0}
                dot={{ r: 4, fill: '#ffffff', stroke: '#5f6b76', strokeWidth: 2 }}
                legendType="circle"
                isAnimationActive={false}
                className="thin-months"
              />
            )}
            <Line
              dataKey="trend"
              name="Heading (trend)"
              stroke="#2f7ebc"
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="plan"
              name="Planned path"
              stroke="#6b4fa0"
              strokeDasharray="8 4"
              dot={false}
              isAnimationActive={false}
              connectNulls
              className="plan-line"
            />
            <Line
              dataKey="projection"
              name="Projection"
              stroke="#9a6700"
              strokeDasharray="3 3"
              dot={false}
              isAnimationActive={false}
            />
            <ReferenceLine
              y={props.target}
              stroke="#b42318"
              strokeWidth={2}
              ifOverflow="extendDomain"
              label={{ value: `Goal ${fmt(props.target)}`, position: 'insideTopRight', fill: '#b42318' }}
              className="goal-line"
            />
            <ReferenceLine
              x={toEpoch(props.due)}
              stroke="#b42318"
              strokeDasharray="2 4"
              ifOverflow="extendDomain"
              // The due date is the chart's right edge: the label sits left of its line, at the
              // end of the chart away from the goal's own label (top right, just above the goal line).
              label={{
                value: `Due ${formatDate(props.due, 'month')}`,
                position: dueAt,
                fill: '#b42318',
                className: 'due-label',
              }}
            />
            {/* Notes before the range stay in the list under the chart; drawn, they would widen it back. */}
            {props.annotations
              .filter((a) => !props.from || a.date >= monthStartOf(props.from))
              .map((a) => (
                <ReferenceDot
                  key={a.id}
                  x={toEpoch(a.date)}
                  y={valueAt(a.date)}
                  ifOverflow="extendDomain"
                  shape={noteMarker(a)}
                />
              ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted" data-testid="goal-caption">
        {props.summary}
        {props.unfinishedNamed ? '' : leftOutNote(props.series)}
        {props.from &&
          ` Drawn from ${formatDate(props.from, 'month')} (the range chosen); the forecast reads every month.`}
      </figcaption>
    </figure>
  );
}
