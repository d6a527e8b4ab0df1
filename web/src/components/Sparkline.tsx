import { Line, LineChart, ReferenceLine, ResponsiveContainer, YAxis } from 'recharts';

interface Props {
  points: Array<{ period: string; value: number | null }>;
  target: number;
  label: string;
}

/** A small line with the goal line; the card carries the numbers in text. */
export function Sparkline({ points, target, label }: Props) {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const lo = Math.min(target, ...values);
  const hi = Math.max(target, ...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.05 || 1;
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={56}>
        <LineChart data={points} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
          <YAxis hide domain={[lo - pad, hi + pad]} />
          <ReferenceLine y={target} stroke="#f5b700" strokeDasharray="4 3" ifOverflow="extendDomain" />
          <Line
            type="monotone"
            dataKey="value"
            stroke="#0b3d5c"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
