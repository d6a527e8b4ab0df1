// The series beside the period it is compared with (the one just before, or a year before): one
// figure each in a sentence, over the periods both have finished, and the compared period drawn
// faintly on the chart, lined up period by period.
import { useQuery } from '@tanstack/react-query';
import {
  alignCompared,
  type Comparison,
  COMPARED_AS,
  comparisonRange,
  comparisonShift,
  type Grain,
  pairedFigures,
  periodEnd,
  type Span,
} from '../lib/dateRange.ts';
import { formatChange, formatDate, formatValue } from '../lib/format.ts';
import { seriesQuery } from '../lib/queries.ts';

type Row = { period: string; value: number | null; complete: boolean };

/** The compared series for a metric's range: fetched only while a comparison is chosen. */
export function useComparedSeries(
  name: string,
  params: { grain: Grain; span: Partial<Span> | null; compare: Comparison; enabled: boolean },
  rows: Row[] | undefined,
) {
  // An open end is the series' own first or latest period.
  const from = params.span?.from ?? rows?.[0]?.period.slice(0, 10);
  const to = params.span?.to ?? rows?.at(-1)?.period.slice(0, 10);
  const compare = params.compare || 'previous';
  const span = from && to ? { from, to } : null;
  const range = span ? comparisonRange(span, params.grain, compare) : null;
  const shift = span ? comparisonShift(span, params.grain, compare) : null;
  const compared = useQuery({
    ...seriesQuery(name, { grain: params.grain, from: range?.from, to: range?.to }),
    enabled: params.enabled && params.compare !== '' && range !== null,
  });
  const aligned = rows && shift && compared.data ? alignCompared(rows, compared.data.rows, shift) : undefined;
  return { range, compared, aligned };
}

export function ComparisonText({
  unit,
  compare,
  rows,
  aligned,
  range,
  grain,
}: {
  unit: string;
  compare: Exclude<Comparison, ''>;
  rows: Row[];
  aligned: Array<Row | null>;
  range: Span;
  grain: Grain;
}) {
  const f = pairedFigures(unit, rows, aligned);
  // Named by the periods the figures were taken over: at quarter grain the compared range's own
  // dates (Dec–Nov) once labelled sums of whole quarters (Oct–Sep).
  const p = f.comparedPeriods;
  const when = p
    ? `${formatDate(p.first)} to ${formatDate(periodEnd(p.last, grain))}`
    : `${formatDate(range.from)} to ${formatDate(range.to)}`;
  const which = COMPARED_AS[compare];
  const rest =
    `${which} (${when}): ${formatValue(unit, f.before)} — ${formatChange(unit, f.before!, f.now!)}. ` +
    `Over the ${f.compared} of ${f.of} periods finished on both sides.`;
  if (f.compared === 0)
    return (
      <p className="muted" data-testid="previous-period">
        Nothing to compare: {which} ({when}) has no finished period with a value that lines up with this range’s.
      </p>
    );
  return (
    <p className="muted" data-testid="previous-period">
      This range’s {f.how}: <strong>{formatValue(unit, f.now)}</strong>; {rest}
    </p>
  );
}
