// The series beside the same stretch of time just before it: the range's total (money, counts) or
// average (ratios, scores) against the previous range's, in one sentence, and the previous range
// drawn faintly on the chart, aligned period by period.
import { useQuery } from '@tanstack/react-query';
import { formatChange, formatDate, formatValue } from '../lib/format.ts';
import { type Grain, seriesQuery } from '../lib/queries.ts';

type Row = { period: string; value: number | null; complete: boolean };

const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The range just before [from, to], as long: whole months for month and quarter grains, days otherwise. */
export function previousRange(from: string, to: string, grain: Grain): { from: string; to: string } {
  const a = day(from);
  const b = day(to);
  if (grain === 'month' || grain === 'quarter') {
    const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
    const start = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() - months, 1));
    const end = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 0));
    return { from: iso(start), to: iso(end) };
  }
  const days = Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1;
  return { from: iso(new Date(a.getTime() - days * 86_400_000)), to: iso(new Date(a.getTime() - 86_400_000)) };
}

/** A range in one figure: money and counts add up, ratios and scores average. */
export function rangeFigure(unit: string, rows: Row[]): number | null {
  const values = rows.filter((r) => r.complete && r.value !== null).map((r) => r.value!);
  if (!values.length) return null;
  const sum = values.reduce((x, y) => x + y, 0);
  return unit === 'currency' || unit === 'count' ? sum : sum / values.length;
}

export function usePreviousPeriod(
  name: string,
  params: { grain: Grain; from?: string; to?: string; enabled: boolean },
  rows: Row[] | undefined,
) {
  // Without a chosen range, the range shown is the series' own first to last period.
  const from = params.from ?? rows?.[0]?.period;
  const to = params.to ?? rows?.at(-1)?.period;
  const range = from && to ? previousRange(from, to, params.grain) : null;
  const previous = useQuery({
    ...seriesQuery(name, { grain: params.grain, from: range?.from, to: range?.to }),
    enabled: params.enabled && range !== null,
  });
  return { range, previous };
}

export function PreviousPeriodText({
  unit,
  rows,
  previous,
  range,
}: {
  unit: string;
  rows: Row[];
  previous: Row[];
  range: { from: string; to: string };
}) {
  const now = rangeFigure(unit, rows);
  const before = rangeFigure(unit, previous);
  const how = unit === 'currency' || unit === 'count' ? 'total' : 'average';
  const when = `${formatDate(range.from)} to ${formatDate(range.to)}`;
  return (
    <p className="muted" data-testid="previous-period">
      This range’s {how}: <strong>{formatValue(unit, now)}</strong>; the previous range ({when}):{' '}
      {formatValue(unit, before)}
      {now !== null && before !== null ? ` — ${formatChange(unit, before, now)}.` : '.'} Finished periods only.
    </p>
  );
}
