// A goal's last months beside the same number of months before them: averages, the change, and
// whether it moved toward the target, in one sentence; the span is chosen (3, 6 or 12 months) and
// kept in the link.
import { formatChange, formatDate, formatValue } from '../lib/format.ts';

type Point = { period: string; value: number | null; complete: boolean };

export const SPANS = ['3', '6', '12'] as const;

export function compareRanges(points: Point[], months: number) {
  const done = points.filter((p) => p.complete && p.value !== null);
  if (done.length < 2 * months) return null;
  const recent = done.slice(-months);
  const before = done.slice(-2 * months, -months);
  const mean = (xs: Point[]) => xs.reduce((a, p) => a + p.value!, 0) / xs.length;
  return {
    recent: { from: recent[0]!.period, mean: mean(recent) },
    before: { from: before[0]!.period, mean: mean(before) },
  };
}

export function RangeComparison(props: {
  points: Point[];
  unit: string;
  direction: 'up' | 'down';
  span: string;
  onSpan: (span: string) => void;
}) {
  const months = Number(props.span) || 6;
  const c = compareRanges(props.points, months);
  const toward =
    c && c.recent.mean !== c.before.mean
      ? c.recent.mean > c.before.mean === (props.direction === 'up')
        ? 'toward the target'
        : 'away from the target'
      : 'no change';
  return (
    <section aria-labelledby="range-title" className="panel">
      <h2 id="range-title">Against the months before</h2>
      <label>
        Compare the last{' '}
        <select value={String(months)} onChange={(e) => props.onSpan(e.target.value)}>
          {SPANS.map((s) => (
            <option key={s} value={s}>
              {s} months
            </option>
          ))}
        </select>{' '}
        with the {months} before them
      </label>
      <p data-testid="goal-previous">
        {c
          ? `Average since ${formatDate(c.recent.from, 'month')}: ${formatValue(props.unit, c.recent.mean)}; ` +
            `the ${months} months from ${formatDate(c.before.from, 'month')}: ` +
            `${formatValue(props.unit, c.before.mean)} — ` +
            `${formatChange(props.unit, c.before.mean, c.recent.mean)}, ${toward}.`
          : `Fewer than ${2 * months} finished months so far: nothing to compare yet.`}
      </p>
    </section>
  );
}
