// A small line with the goal line, drawn as plain SVG: the heading page is the first screen, and
// a chart library there would triple what it loads (Recharts is ~95 KB compressed). The card
// carries the numbers in text; this only shows the shape.
interface Props {
  points: Array<{ period: string; value: number | null }>;
  target: number;
  label: string;
}

const W = 100;
const H = 56;
const PAD = 4;

/**
 * A card's points: the last `count` complete months, a month too thin to count (the heading's
 * `left_out`) as a gap, as the reading treats it (a 16-order month drew the card's last spike).
 */
export function sparkPoints<P extends { period: string; value: number | null; complete: boolean }>(
  series: P[],
  leftOut: ReadonlyArray<{ period: string }> = [],
  count = 18,
): P[] {
  const thin = new Set(leftOut.map((l) => l.period));
  return series
    .filter((s) => s.complete)
    .slice(-count)
    .map((s) => (thin.has(s.period) ? { ...s, value: null } : s));
}

/** The path through the points (a gap where a value is missing), in a W × H box. */
export function sparkPath(values: Array<number | null>, lo: number, hi: number): string {
  const x = (i: number) => (values.length > 1 ? (i / (values.length - 1)) * W : W / 2);
  const y = (v: number) => PAD + (1 - (v - lo) / (hi - lo)) * (H - 2 * PAD);
  let path = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(2)} ${y(v).toFixed(2)} `;
    pen = true;
  });
  return path.trim();
}

export function Sparkline({ points, target, label }: Props) {
  const values = points.map((p) => p.value);
  const known = values.filter((v): v is number => v !== null);
  const lo0 = Math.min(target, ...known);
  const hi0 = Math.max(target, ...known);
  const pad = (hi0 - lo0) * 0.1 || Math.abs(hi0) * 0.05 || 1;
  const [lo, hi] = [lo0 - pad, hi0 + pad];
  const goalY = PAD + (1 - (target - lo) / (hi - lo)) * (H - 2 * PAD);
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" width="100%" height={H} aria-hidden="true">
        <line
          x1={0}
          x2={W}
          y1={goalY}
          y2={goalY}
          stroke="#8a5a00"
          strokeDasharray="4 3"
          strokeWidth={1.5}
          vectorEffect="non-scaling-stroke"
          className="spark-goal"
        />
        <path
          d={sparkPath(values, lo, hi)}
          fill="none"
          stroke="#0b3d5c"
          strokeWidth={2}
          vectorEffect="non-scaling-stroke"
          className="spark-line"
        />
      </svg>
    </div>
  );
}
