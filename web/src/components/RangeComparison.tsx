// A goal's months in the shared range beside the period it is compared with (the one before, or a
// year before): one figure each over the months finished on both sides, the change, and whether it
// moved toward the target, in one sentence.
import {
  alignCompared,
  COMPARED_AS,
  comparisonRange,
  comparisonShift,
  monthsWithin,
  pairedFigures,
  type Span,
} from '../lib/dateRange.ts';
import { formatChange, formatDate, formatValue } from '../lib/format.ts';
import type { DateRange } from '../lib/useDateRange.ts';

type Point = { period: string; value: number | null; complete: boolean };

/** The sentence, or why there is none; pure, so the page and its test read the same words. */
export function goalComparisonText(
  points: Point[],
  unit: string,
  direction: 'up' | 'down',
  compare: 'previous' | 'year',
  wanted: Partial<Span>,
): string {
  const months = monthsWithin(points, wanted);
  const from = wanted.from ?? months[0]?.period.slice(0, 10);
  const to = wanted.to ?? months.at(-1)?.period.slice(0, 10);
  if (!from || !to) return 'No months in this range yet: nothing to compare.';
  const span = { from, to };
  const shift = comparisonShift(span, 'month', compare);
  const other = comparisonRange(span, 'month', compare);
  const f = pairedFigures(unit, months, alignCompared(months, points, shift));
  const which = COMPARED_AS[compare];
  const when = `${formatDate(other.from, 'month')} to ${formatDate(other.to, 'month')}`;
  if (f.now === null || f.before === null)
    return (
      `Nothing to compare: ${which} (${when}) has no finished month that lines up with this range's; ` +
      'choose a shorter range.'
    );
  const toward =
    f.now === f.before
      ? 'no change'
      : f.now > f.before === (direction === 'up')
        ? 'toward the target'
        : 'away from the target';
  return (
    `This range's ${f.how}: ${formatValue(unit, f.now)}; ${which} (${when}): ${formatValue(unit, f.before)} — ` +
    `${formatChange(unit, f.before, f.now)}, ${toward}. ` +
    `Over the ${f.compared} of ${f.of} months finished on both sides.`
  );
}

export function RangeComparison(props: { points: Point[]; unit: string; direction: 'up' | 'down'; range: DateRange }) {
  const { range } = props;
  return (
    <section aria-labelledby="range-title" className="panel">
      <h2 id="range-title">Against an earlier period</h2>
      {range.compare === '' ? (
        <p>
          <button type="button" onClick={() => range.set({ compare: 'previous' })}>
            Compare with the period before
          </button>{' '}
          <button type="button" onClick={() => range.set({ compare: 'year' })}>
            Compare with a year before
          </button>
        </p>
      ) : (
        <p data-testid="goal-previous">
          {range.span
            ? goalComparisonText(props.points, props.unit, props.direction, range.compare, range.span)
            : 'Waiting for the latest data date…'}
        </p>
      )}
    </section>
  );
}
