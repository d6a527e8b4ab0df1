import { noteMarker, valueOn } from './notes/marker.tsx';
import { useSmallScreen } from '../lib/useSmallScreen.ts';
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
import { formatDate, formatTick, formatValue, toEpoch } from '../lib/format.ts';
import { EDGE_GREY, TIME_AXIS, yAxisLabel, READABLE_TOOLTIP } from '../lib/chartAxes.ts';

interface Props {
  series: {
    label: string;
    unit: string;
    grain: string;
    rows: Array<{ period: string; value: number | null; n: number; complete: boolean }>;
    annotations?: Array<{ id: number; date: string; text: string }>;
  };
  /** The compared period's values, lined up period by period, drawn faintly under this range's. */
  previous?: Array<number | null>;
  /** What the compared period is called in the tooltip ("The period before", "A year before"). */
  previousName?: string;
}

/**
 * Finished periods as a solid line; an unfinished one (the API's `complete: false`, such as a
 * quarter holding one month so far) dashed from the last finished value, with a hollow point, so
 * it never reads as a collapse.
 */
function splitUnfinished(rows: Props['series']['rows']) {
  const lastDone = rows.findLastIndex((r) => r.complete && r.value !== null);
  // With nothing unfinished there is no dashed segment, so the last finished point stays solid.
  const anyOpen = rows.some((r) => !r.complete && r.value !== null);
  return rows.map((r, i) => ({
    t: toEpoch(r.period),
    value: r.complete ? r.value : null,
    unfinished: anyOpen && (!r.complete || i === lastDone) ? r.value : null,
    open: !r.complete,
    n: r.n,
  }));
}

function SeriesCaption({ summary, unfinished }: { summary: string; unfinished: string[] }) {
  const months = unfinished.map((p) => formatDate(p, 'month')).join(', ');
  return (
    <figcaption className="muted" data-testid="series-caption">
      {summary} Periods with no rows show as gaps, never as zero.
      {unfinished.length > 0 && ` ${months} is not finished yet: drawn dashed with a hollow point, its value so far.`}
    </figcaption>
  );
}

/** The chart in one sentence, for screen readers and the caption. */
function summaryOf(series: Props['series']): string {
  const values = series.rows.filter((r) => r.value !== null);
  const last = values.at(-1);
  return values.length
    ? `${series.label} by ${series.grain}: ${values.length} periods, latest ` +
        `${formatValue(series.unit, last!.value)} (${formatDate(last!.period, 'month')}, n = ` +
        `${last!.n.toLocaleString()}).`
    : `${series.label}: no data in this range.`;
}

/**
 * The time axis padded by half a period at each end: a row-count bar is centred on its period, so
 * on a domain from the first period to the last the outer two bars spilled half outside the plot.
 */
function domainOf(points: Array<{ t: number }>): [number, number] | ['dataMin', 'dataMax'] {
  if (points.length < 2) return ['dataMin', 'dataMax'];
  const ts = points.map((p) => p.t).sort((a, b) => a - b);
  const steps = ts.slice(1).map((t, i) => t - ts[i]!);
  const half = Math.min(...steps) / 2;
  return [ts[0]! - half, ts.at(-1)! + half];
}

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: declarative chart markup
export function SeriesChart({ series, previous, previousName }: Props) {
  const small = useSmallScreen();
  const data = splitUnfinished(series.rows).map((d, i) => ({ ...d, previous: previous?.[i] ?? null }));
  const points = series.rows.map((r) => ({ t: toEpoch(r.period), value: r.value }));
  const unfinished = series.rows.filter((r) => !r.complete && r.value !== null);
  const last = series.rows.filter((r) => r.value !== null).at(-1);
  const summary = summaryOf(series);
  return (
    <figure className="chart">
      {/* A group, not an image: the notes' markers inside are links. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a chart is not a form's fieldset */}
      <div role="group" aria-label={summary}>
        <ResponsiveContainer width="100%" height={320}>
          <ComposedChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis {...TIME_AXIS} domain={domainOf(points)} />
            <YAxis
              yAxisId="v"
              tickFormatter={(v: number) => formatTick(series.unit, v)}
              width={80}
              label={yAxisLabel(series.label)}
            />
            <YAxis
              yAxisId="n"
              // On a phone one axis: two would squeeze the chart to ~150 px; the caption and tooltip keep n.
              hide={small}
              orientation="right"
              width={66}
              tickFormatter={(v: number) => formatTick('count', v)}
              label={{
                value: 'n (rows)',
                angle: 90,
                position: 'insideRight',
                style: { textAnchor: 'middle', fill: '#5b6b78' },
              }}
            />
            <Tooltip
              {...READABLE_TOOLTIP}
              labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString())}
              formatter={(v, name) => (name === 'n' ? Number(v).toLocaleString() : formatValue(series.unit, Number(v)))}
              filterNull
            />
            {/* Without their axis (a phone) the row-count bars would read as the metric: not drawn there. */}
            {!small && (
              <Bar yAxisId="n" dataKey="n" name="n" fill="#d9e1e7" stroke={EDGE_GREY} isAnimationActive={false} />
            )}
            <Line
              yAxisId="v"
              dataKey="value"
              name={series.label}
              stroke="#0b3d5c"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            {previous && (
              <Line
                yAxisId="v"
                dataKey="previous"
                name={previousName ?? 'The period before'}
                className="previous"
                stroke="#5b6b78"
                strokeWidth={1.5}
                strokeDasharray="2 3"
                dot={false}
                isAnimationActive={false}
              />
            )}
            <Line
              yAxisId="v"
              dataKey="unfinished"
              name={`${series.label} (unfinished)`}
              className="unfinished"
              stroke="#0b3d5c"
              strokeWidth={2}
              strokeDasharray="5 4"
              // Hollow only where the period is unfinished; the segment's first point is a finished one.
              dot={(p: { cx?: number; cy?: number; index?: number; payload?: { open?: boolean } }) =>
                p.payload?.open ? (
                  <circle key={p.index} cx={p.cx} cy={p.cy} r={4} fill="#ffffff" stroke="#0b3d5c" strokeWidth={2} />
                ) : (
                  <g key={p.index} />
                )
              }
              isAnimationActive={false}
            />
            {(series.annotations ?? []).map((a) => (
              <ReferenceDot
                key={a.id}
                yAxisId="v"
                x={toEpoch(a.date)}
                y={valueOn(points, a.date) ?? last?.value ?? 0}
                ifOverflow="extendDomain"
                shape={noteMarker(a)}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <SeriesCaption summary={summary} unfinished={unfinished.map((r) => r.period)} />
    </figure>
  );
}
