import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatTick, formatValue, toEpoch } from '../lib/format.ts';
import { SERIES_COLOURS, TIME_AXIS, READABLE_TOOLTIP } from '../lib/chartAxes.ts';

interface Props {
  series: {
    unit: string;
    label: string;
    by: string | null;
    rows: Array<{ period: string; group?: string; value: number | null; complete: boolean }>;
  };
  target?: number;
}

/** Unfinished periods are left out of the chart; the caption says which, so a gap is not misread. */
export function leftOutNote(rows: Array<{ period: string; complete: boolean; value: number | null }>): string {
  const open = [...new Set(rows.filter((r) => !r.complete && r.value !== null).map((r) => r.period))];
  if (!open.length) return '';
  const months = open.map((p) => formatDate(p, 'month')).join(', ');
  return ` ${months} ${open.length === 1 ? 'is' : 'are'} not finished yet and left out until complete.`;
}

export function BreakdownChart({ series, target }: Props) {
  const groups = [...new Set(series.rows.map((r) => r.group ?? ''))];
  type Row = { t: number; [group: string]: number | null };
  const byT = new Map<number, Row>();
  for (const r of series.rows) {
    if (!r.complete) continue;
    const t = toEpoch(r.period);
    const row: Row = byT.get(t) ?? { t };
    row[r.group ?? ''] = r.value;
    byT.set(t, row);
  }
  const data = [...byT.values()].sort((a, b) => a.t - b.t);
  const latest = groups
    .map((g) => {
      const last = [...data].reverse().find((d) => d[g] !== undefined && d[g] !== null)?.[g] ?? null;
      return `${g} ${formatValue(series.unit, last)}`;
    })
    .join(', ');
  return (
    <figure className="chart">
      <div role="img" aria-label={`${series.label} by ${series.by}: latest ${latest}`}>
        <ResponsiveContainer width="100%" height={300}>
          <LineChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke="#e3e9ee" vertical={false} />
            <XAxis {...TIME_AXIS} />
            {/* Fitted to the data, not from 0: lines between 88% and 95% must not read flat. */}
            <YAxis tickFormatter={(v: number) => formatTick(series.unit, v)} width={64} domain={['auto', 'auto']} />
            <Tooltip
              {...READABLE_TOOLTIP}
              labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString(), 'month')}
              formatter={(v) => formatValue(series.unit, Number(v))}
            />
            <Legend />
            {target !== undefined && (
              <ReferenceLine y={target} stroke="#b42318" strokeWidth={2} ifOverflow="extendDomain" />
            )}
            {groups.map((g, i) => (
              <Line
                key={g}
                dataKey={g}
                name={g}
                stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted" data-testid="breakdown-caption">
        {series.label} by {series.by}; latest: {latest}.{leftOutNote(series.rows)}
      </figcaption>
    </figure>
  );
}
