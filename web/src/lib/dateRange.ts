// The date range shared by the metric and goal pages, and its comparison period, as pure functions:
// a preset ("last 6 months") is read against the data's own latest date, not the browser's clock,
// so a workspace imported last month still shows six months of data rather than five and a gap.

export const PRESETS = {
  all: 'All time',
  '3m': 'Last 3 months',
  '6m': 'Last 6 months',
  '12m': 'Last 12 months',
  ytd: 'Year to date',
  custom: 'Custom dates',
} as const;
export type Preset = keyof typeof PRESETS;

export const COMPARISONS = {
  '': 'Nothing',
  previous: 'The period before',
  year: 'The same period a year before',
} as const;
export type Comparison = keyof typeof COMPARISONS;

/** The compared period as a sentence names it. */
export const COMPARED_AS = { previous: 'the period before', year: 'a year before' } as const;

/** The first day of the month holding a date: where a monthly chart or list starts for a range. */
export const monthStartOf = (iso: string) => `${iso.slice(0, 7)}-01`;

/** The range as the link holds it: `range` (a preset), `from`/`to` (custom), `compare`. */
export type RangeView = {
  range: string;
  from: string;
  to: string;
  compare: string;
};

export interface Span {
  from: string;
  to: string;
}

/** A link's range read whatever its age: dates alone (older links) mean custom; unknown words mean all. */
export function presetOf(view: RangeView): Preset {
  if (view.range in PRESETS) return view.range as Preset;
  return view.from || view.to ? 'custom' : 'all';
}

export const comparisonOf = (view: RangeView): Comparison =>
  view.compare in COMPARISONS ? (view.compare as Comparison) : '';

const day = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (d: Date, back: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));

/**
 * The dates a view covers, `from`/`to` each optional (open ends: the series' own first or latest
 * period). Presets need the data's latest date; without it yet, `null` (wait rather than guess).
 */
export function resolveRange(view: RangeView, asOf: string | null | undefined): Partial<Span> | null {
  const preset = presetOf(view);
  if (preset === 'all') return {};
  if (preset === 'custom')
    return rangeProblem(view) ? null : { from: view.from || undefined, to: view.to || undefined };
  if (!asOf) return null;
  const end = day(asOf);
  const from =
    preset === 'ytd'
      ? new Date(Date.UTC(end.getUTCFullYear(), 0, 1))
      : monthStart(end, Number.parseInt(preset, 10) - 1);
  return { from: isoDay(from), to: isoDay(end) };
}

/** What is wrong with custom dates, in words; null when nothing is. */
export function rangeProblem(view: RangeView): string | null {
  if (presetOf(view) !== 'custom') return null;
  if (view.from && view.to && view.from > view.to)
    return `From (${view.from}) is after To (${view.to}): nothing is shown until it is not.`;
  return null;
}

export type Grain = 'day' | 'week' | 'month' | 'quarter';
const byMonths = (grain: Grain) => grain === 'month' || grain === 'quarter';

/** How far back the compared period lies: whole months, or days. */
export type Shift = { months: number } | { days: number };

const roundUp = (n: number, step: number) => Math.ceil(n / step) * step;

/**
 * `previous`: as long as the range, just before it; `year`: a year before. At month and quarter
 * grain in calendar months (whole quarters at quarter grain), at day and week grain in days (whole
 * weeks at week grain, 364 days for a year, so weekdays and week starts line up period by period).
 */
export function comparisonShift(span: Span, grain: Grain, compare: Exclude<Comparison, ''>): Shift {
  const a = day(span.from);
  const b = day(span.to);
  if (byMonths(grain)) {
    const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
    return { months: compare === 'year' ? 12 : roundUp(months, grain === 'quarter' ? 3 : 1) };
  }
  const days = Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1;
  return { days: compare === 'year' ? 364 : roundUp(days, grain === 'week' ? 7 : 1) };
}

/** A date moved back by a shift (to the same day of month, clamped to the month's end). */
export function shiftBack(iso: string, shift: Shift): string {
  const d = day(iso);
  if ('days' in shift) return isoDay(new Date(d.getTime() - shift.days * 86_400_000));
  const first = monthStart(d, shift.months);
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d.getUTCDate(), last))));
}

/** The compared period's dates; at month grains whole months, so its last month is never cut short. */
export function comparisonRange(span: Span, grain: Grain, compare: Exclude<Comparison, ''>): Span {
  const shift = comparisonShift(span, grain, compare);
  const from = shiftBack(span.from, shift);
  const to = shiftBack(span.to, shift);
  if (!byMonths(grain)) return { from, to };
  const end = day(to);
  return {
    from: isoDay(monthStart(day(from), 0)),
    to: isoDay(new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0))),
  };
}

type Row = { period: string; value: number | null; complete: boolean };

export interface PairedFigures {
  /** This range's figure and the compared one's, over the same positions. */
  now: number | null;
  before: number | null;
  /** How many periods were compared, of how many in this range. */
  compared: number;
  of: number;
  how: 'total' | 'average';
  /** The compared series' first and last periods that entered the figures (their starts). */
  comparedPeriods: { first: string; last: string } | null;
}

/**
 * The compared period's rows lined up with this range's: for each period here, the period the
 * shift lands on there (or nothing), so a gap on either side never slides the pairs out of step.
 */
export function alignCompared<T extends { period: string }>(
  rows: Array<{ period: string }>,
  compared: T[],
  shift: Shift,
) {
  const byPeriod = new Map(compared.map((c) => [c.period.slice(0, 10), c]));
  return rows.map((r) => byPeriod.get(shiftBack(r.period, shift)) ?? null);
}

/**
 * The range against the compared one in one figure each, period by period (`compared` lined up by
 * alignCompared), and only where both periods are finished and have a value: an unfinished last
 * month (or a gap) drops from both sides, so a total never sets two months against three. Money
 * and counts add up; ratios and scores average.
 */
export function pairedFigures(unit: string, rows: Row[], compared: Array<Row | null>): PairedFigures {
  const how = unit === 'currency' || unit === 'count' ? 'total' : 'average';
  const usable = (r: Row | null | undefined): r is Row & { value: number } => Boolean(r?.complete && r.value !== null);
  const pairs = rows.flatMap((r, i) => {
    const c = compared[i];
    return usable(r) && usable(c) ? [[r.value, c.value, c.period] as const] : [];
  });
  const figure = (xs: number[]) => {
    if (!xs.length) return null;
    const sum = xs.reduce((x, y) => x + y, 0);
    return how === 'total' ? sum : sum / xs.length;
  };
  return {
    now: figure(pairs.map((p) => p[0])),
    before: figure(pairs.map((p) => p[1])),
    compared: pairs.length,
    of: rows.length,
    how,
    comparedPeriods: pairs.length ? { first: pairs[0]![2], last: pairs.at(-1)![2] } : null,
  };
}

/** The last day of the period starting on `period` at a grain (YYYY-MM-DD). */
export function periodEnd(period: string, grain: Grain): string {
  const d = new Date(`${period.slice(0, 10)}T00:00:00Z`);
  if (grain === 'day') return period.slice(0, 10);
  if (grain === 'week') return new Date(d.getTime() + 6 * 86_400_000).toISOString().slice(0, 10);
  const months = grain === 'quarter' ? 3 : 1;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 0)).toISOString().slice(0, 10);
}

/** A monthly series' months that overlap [from, to] (either end open). */
export const monthsWithin = <T extends { period: string }>(rows: T[], span: Partial<Span>): T[] =>
  rows.filter(
    (r) =>
      (!span.from || r.period.slice(0, 7) >= span.from.slice(0, 7)) &&
      (!span.to || r.period.slice(0, 7) <= span.to.slice(0, 7)),
  );
