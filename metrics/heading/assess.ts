// Reads one goal like a GPS: where it is, its heading with an interval, the pace it needs, where
// the trend puts it at the due date, when it arrives, and whether it is on course. Pure.
import { Z95 } from '../normal.ts';
import type { Unit } from '../definition.ts';
import { domainOf, forecastModel, type ForecastModel } from './forecast.ts';
import { monthIndex, monthStart } from './months.ts';
import { type Milestone, type PlanReading, planOf } from './plan.ts';
import type { Seasonality } from './seasonality.ts';
import { median, theilSen, type Trend } from './trend.ts';
import { formatRate, formatValue, monthWords, withCurrency } from '../words/current.ts';

export const WINDOW_PERIODS = 12;
export const MIN_PERIODS = 6;
export const ARRIVAL_HORIZON_MONTHS = 60;
const SHIFT_PERIODS = 3;
const SPIKE_Z = 3.5;
const SHIFT_Z = 2;
const DAYS_PER_MONTH = 30.436875;
const MS_PER_MONTH = DAYS_PER_MONTH * 86_400_000;

export const STATUSES = ['on_course', 'drifting', 'off_course', 'arrived', 'no_signal', 'met', 'missed'] as const;
export type Status = (typeof STATUSES)[number];
/** A goal's data is stale when its latest value is more than this many periods older than expected. */
export const STALE_AFTER_PERIODS = 2;
/** `unconfirmed`: the newest period left the trend, and nothing after it can tell a burst from a new course yet. */
export type ShiftKind = 'none' | 'level_shift' | 'spike' | 'unconfirmed';

export interface HistoryPoint {
  period: string; // first day of the month
  value: number;
  n: number;
}

export interface GoalInput {
  target: number;
  due: string;
  start?: string;
  direction: 'up' | 'down';
  unit: Unit;
  /** Cohort metrics report a period only this many days after it ends (0 or absent: at once). */
  matureAfterDays?: number;
  /** Phased targets on the way to the target. */
  milestones?: Milestone[];
  /** Rows a period needs to count (the goal's or the metric's min_n); default: see thinThreshold. */
  minN?: number;
  /** The workspace's currency (ISO 4217): money in the sentences carries its symbol. */
  currency?: string;
}

/** Status cut-offs on the probability of meeting the target in the due month. */
export const ON_COURSE_AT = 0.7;
export const OFF_COURSE_AT = 0.3;
export const ARRIVED_NEEDS = 0.5;

export interface Assessment {
  status: Status;
  status_reason: string;
  /** P(the due period's value meets the target), from the forecast; null without a forecast. */
  arrival_probability: number | null;
  /** The due period's forecast with its 95% interval. */
  forecast: { period: string; value: number; interval: [number, number] } | null;
  /** One plain sentence for a card: the chance, the target, the due month, where it could land. */
  summary: string;
  /** How the forecast was made: its models and weights, any level step, notes. */
  forecast_method: { method: string; models: Array<{ name: string; weight: number }>; notes: string[] } | null;
  /** The planned path (baseline → milestones → target), ahead or behind it now, the next milestone's chance. */
  plan: PlanReading | null;
  position: HistoryPoint | null;
  baseline: { period: string; value: number } | null;
  progress: number | null;
  heading: {
    slope_per_month: number;
    ci: [number, number];
    window: { from: string; to: string; periods: number };
    method: string;
    seasonality: Seasonality;
  } | null;
  pace_needed_per_month: number | null;
  /**
   * The forecast's own course to the due date, per month, from the same level the pace needed is
   * measured from: (forecast − level) / months left, with its 95% range. It is at least the pace
   * needed exactly when the forecast meets the target, so it never contradicts the chance of arriving
   * (the heading, the last 12 months' slope, may: a recent surge the forecast does not carry forward).
   */
  course: { per_month: number; range: [number, number] } | null;
  months_left: number;
  projection: { date: string; value: number; interval: [number, number] } | null;
  arrival: { date: string | null; reason: string };
  shift: { kind: ShiftKind; period: string | null; magnitude: number | null; message: string };
  /** Periods too thin to count (fewer rows than a fifth of a usual one, at most 30): drawn, not read. */
  left_out?: Array<{ period: string; n: number }>;
  /** Set when the latest value is older than the metric's tables' as-of date leads to expect. */
  stale: { latest_period: string; expected_period: string; message: string } | null;
  periods_needed: number;
  /** The rates in words, per month ("+0.4 pts"), from the one rate formatter: the web shows these. */
  rates: {
    heading: string;
    heading_ci: [string, string];
    pace: string | null;
    course?: string | null;
    course_range?: [string, string] | null;
  } | null;
  trend: Array<{ period: string; value: number }>;
  band: Array<{ period: string; value: number; low: number; high: number }>;
  reading: string;
}

function noSignal(goal: GoalInput, history: HistoryPoint[], monthsLeft: number, reason: string): Assessment {
  const last = history.at(-1) ?? null;
  return {
    status: 'no_signal',
    status_reason: reason,
    arrival_probability: null,
    forecast: null,
    summary: reason[0]!.toUpperCase() + reason.slice(1),
    forecast_method: null,
    plan: null,
    position: last,
    baseline: null,
    progress: null,
    heading: null,
    pace_needed_per_month: null,
    course: null,
    months_left: monthsLeft,
    projection: null,
    arrival: { date: null, reason: 'no heading yet' },
    shift: { kind: 'none', period: null, magnitude: null, message: 'not enough periods to look for a shift' },
    stale: null,
    periods_needed: Math.max(0, MIN_PERIODS - history.length),
    rates: null,
    trend: [],
    band: [],
    reading: reason,
  };
}

function detectShift(points: Array<{ t: number; v: number; period: string }>): Assessment['shift'] {
  if (points.length < MIN_PERIODS + SHIFT_PERIODS) {
    return {
      kind: 'none',
      period: null,
      magnitude: null,
      message: `not enough periods to look for a shift (needs ${MIN_PERIODS + SHIFT_PERIODS})`,
    };
  }
  const before = points.slice(0, -SHIFT_PERIODS).map((p, i) => ({ ...p, t: i }));
  const recent = points.slice(-SHIFT_PERIODS);
  const fit = theilSen(before);
  // Prediction σ for a new period: residual noise (never below what month-to-month differences
  // show, since 9 residuals understate it) widened by the fit's own uncertainty. Thresholds below
  // were calibrated on simulated noise: 1.8% false spikes, 3.5% false shifts; a 10σ burst is
  // caught 93% of the time and a 6σ step 98% (3,000 series of 12 months).
  const n = before.length;
  const tbar = (n - 1) / 2;
  const stt = before.reduce((a, p) => a + (p.t - tbar) ** 2, 0);
  const diffs = before.slice(1).map((p, i) => p.v - before[i]!.v);
  const sdDiff = (1.4826 * median(diffs.map((d) => Math.abs(d - median(diffs))))) / Math.SQRT2;
  const sigma = Math.max(fit.sigma, sdDiff, 1e-12);
  const z = recent.map((p, i) => {
    const t = n + i;
    return (p.v - (fit.intercept + fit.slope * t)) / (sigma * Math.sqrt(1 + 1 / n + (t - tbar) ** 2 / stt));
  });
  // The median, not the mean, so that one burst cannot pass for a durable change.
  const medianZ = median(z);
  const sameSign = z.every((x) => Math.sign(x) === Math.sign(z[0]!) && Math.abs(x) >= 1);
  if (sameSign && Math.abs(medianZ) >= SHIFT_Z) {
    const magnitude = medianZ * sigma;
    return {
      kind: 'level_shift',
      period: recent[0]!.period,
      magnitude,
      message:
        `the last ${SHIFT_PERIODS} periods sit ${Math.abs(medianZ).toFixed(1)}σ ` +
        `${medianZ > 0 ? 'above' : 'below'} the earlier trend: a durable change, not a one-off`,
    };
  }
  const big = z.map((x, i) => ({ x, i })).filter(({ x }) => Math.abs(x) >= SPIKE_Z);
  if (big.length === 1) {
    const p = recent[big[0]!.i]!;
    // The newest period has nothing after it yet: a burst and the start of a new course look alike.
    if (big[0]!.i === recent.length - 1)
      return {
        kind: 'unconfirmed',
        period: p.period,
        magnitude: big[0]!.x * sigma,
        message:
          `${p.period.slice(0, 7)} sits ${Math.abs(big[0]!.x).toFixed(1)}σ ${big[0]!.x > 0 ? 'above' : 'below'} the ` +
          `trend, unconfirmed until ${nextMonth(p.period)} is in: one period cannot tell a burst from a new course`,
      };
    return {
      kind: 'spike',
      period: p.period,
      magnitude: big[0]!.x * sigma,
      message:
        `${p.period.slice(0, 7)} spiked ${Math.abs(big[0]!.x).toFixed(1)}σ ` +
        `${big[0]!.x > 0 ? 'above' : 'below'} the trend and the periods around it did not follow: a one-period ` +
        `burst (a campaign?), not a new course`,
    };
  }
  return { kind: 'none', period: null, magnitude: null, message: 'the last periods follow the trend' };
}

/** How a reading names each kind of departure from the trend. */
const SHIFT_WORD: Record<Exclude<ShiftKind, 'none'>, string> = {
  spike: 'Spike',
  level_shift: 'Shift',
  unconfirmed: 'Unconfirmed',
};

/** The month after a period's month, as YYYY-MM. */
function nextMonth(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The last month whose value can be known at `asOf` (complete, and mature for cohort metrics). */
function expectedLatestMonth(asOf: string, matureAfterDays: number): number {
  const known = new Date(Date.parse(`${asOf}T00:00:00Z`) - matureAfterDays * 86_400_000);
  const lastDay = new Date(Date.UTC(known.getUTCFullYear(), known.getUTCMonth() + 1, 0)).getUTCDate();
  const index = known.getUTCFullYear() * 12 + known.getUTCMonth();
  return known.getUTCDate() === lastDay ? index : index - 1;
}

function staleness(goal: GoalInput, points: HistoryPoint[], asOf: string): Assessment['stale'] {
  const last = points.at(-1);
  if (!last) return null;
  const expected = expectedLatestMonth(asOf, goal.matureAfterDays ?? 0);
  if (monthIndex(last.period) >= expected - STALE_AFTER_PERIODS) return null;
  const expectedPeriod = monthStart(expected);
  return {
    latest_period: last.period,
    expected_period: expectedPeriod,
    message:
      `Stale data: the latest value is for ${last.period.slice(0, 7)}, though the metric's data runs to ` +
      `${asOf} (a value for ${expectedPeriod.slice(0, 7)} was expected); this reading describes ` +
      `${last.period.slice(0, 7)}.`,
  };
}

/** After the due date the goal is judged on the due period's own value: met or missed. */
function afterDue(goal: GoalInput, points: HistoryPoint[], course: Assessment): Assessment {
  const duePeriod = monthStart(monthIndex(goal.due));
  const due = points.find((p) => p.period === duePeriod);
  const closed = {
    ...course,
    pace_needed_per_month: null,
    course: null,
    stale: null,
    rates: course.rates && { ...course.rates, pace: null },
  };
  if (!due) {
    const reason =
      `the due date (${goal.due}) has passed, but ${duePeriod.slice(0, 7)} has no ` +
      `${goal.matureAfterDays ? 'mature ' : ''}value yet to judge it by`;
    return {
      ...closed,
      status: 'no_signal',
      status_reason: reason,
      summary: `${reason[0]!.toUpperCase()}${reason.slice(1)}.`,
      arrival: { date: null, reason: 'the due date has passed' },
      reading: `${reason[0]!.toUpperCase()}${reason.slice(1)}.`,
    };
  }
  const met = (goal.direction === 'up' ? 1 : -1) * (due.value - goal.target) >= 0;
  const words =
    `${duePeriod.slice(0, 7)}, the due period, closed at ${formatValue(goal.unit, due.value)} against a ` +
    `target of ${formatValue(goal.unit, goal.target)}`;
  return {
    ...closed,
    status: met ? 'met' : 'missed',
    status_reason: words,
    summary: `${met ? 'Met' : 'Missed'}: ${words}.`,
    position: due,
    arrival: met
      ? { date: due.period, reason: 'met by the due date' }
      : { date: null, reason: 'the due date has passed' },
    reading: `${met ? 'Met' : 'Missed'}: ${words} (due ${goal.due}).`,
  };
}

/**
 * @param history complete, mature monthly periods with values, oldest first
 * @param asOf the metric's as-of date (its tables' complete-through date)
 */
export function assessGoal(goal: GoalInput, history: HistoryPoint[], asOf: string): Assessment {
  return withCurrency(goal.currency, () => assessWithin(goal, history, asOf));
}

function assessWithin(goal: GoalInput, history: HistoryPoint[], asOf: string): Assessment {
  const finite = history.filter((h) => Number.isFinite(h.value));
  // A thin period (16 orders where months hold thousands) is drawn, but neither sets the position
  // nor feeds the forecast: one such month once read 37.5% against a 3% target.
  const threshold = goal.minN ?? thinThreshold(finite);
  const thin = finite.filter((h) => h.n < threshold);
  const points = finite.filter((h) => h.n >= threshold);
  const assessed = assessPoints(goal, points, asOf);
  if (!thin.length) return assessed;
  const named = thin.map((h) => `${h.period.slice(0, 7)} holds ${h.n} row${h.n === 1 ? '' : 's'}`).join(', ');
  const why = goal.minN !== undefined ? 'its min_n' : 'a fifth of a usual month';
  const note = `${named}: left out of the reading (fewer than ${Math.ceil(threshold)}, ${why})`;
  return {
    ...assessed,
    left_out: thin.map((h) => ({ period: h.period, n: h.n })),
    reading: `${assessed.reading} ${note[0]!.toUpperCase()}${note.slice(1)}.`,
    forecast_method: assessed.forecast_method && {
      ...assessed.forecast_method,
      notes: [...assessed.forecast_method.notes, note],
    },
  };
}

/**
 * Rows a period needs to count: 30, or a fifth of the median rows of the last 12 periods, whichever
 * is smaller (a metric whose periods hold a handful of rows each keeps them all).
 */
export function thinThreshold(history: HistoryPoint[]): number {
  const recent = history
    .slice(-12)
    .map((h) => h.n)
    .sort((a, b) => a - b);
  if (!recent.length) return 0;
  const mid = recent.length / 2;
  const median = recent.length % 2 ? recent[Math.floor(mid)]! : (recent[mid - 1]! + recent[mid]!) / 2;
  return Math.min(30, median / 5);
}

function assessPoints(goal: GoalInput, points: HistoryPoint[], asOf: string): Assessment {
  const course = readCourse(goal, points, asOf);
  if (asOf > goal.due) return afterDue(goal, points, course);
  const stale = staleness(goal, points, asOf);
  return stale ? { ...course, stale, reading: `${course.reading} ${stale.message}` } : course;
}

/** The fitted course: trend (seasonally adjusted), level now, and where it stands on the calendar. */
export interface Course {
  trend: Trend;
  /** Fitted value of the last period, seasonally adjusted. */
  level: number;
  /** Month index (year × 12 + month) of the last measured period. */
  lastIndex: number;
  seasonality: Seasonality;
}

const seasonalEffect = (course: Course, index: number) =>
  course.seasonality.effects?.[(((index % 12) + 12) % 12) + 1] ?? 0;

/**
 * Where the course puts the metric `t` months after the last period, with the 95% prediction
 * interval: the slope's own interval times t, widened by the residual noise. One formula for the
 * due-date projection and every point of the band.
 */
export function projectAt(course: Course, t: number): { value: number; low: number; high: number } {
  const { trend, level } = course;
  const s = seasonalEffect(course, course.lastIndex + Math.round(t));
  const spread = Z95 * trend.sigma * Math.sqrt(1 + 1 / trend.n);
  const ends = [trend.slope_ci[0] * t, trend.slope_ci[1] * t];
  return {
    value: level + trend.slope * t + s,
    low: level + Math.min(...ends) - spread + s,
    high: level + Math.max(...ends) + spread + s,
  };
}

/**
 * When the forecast first meets the target: the first month its median does (the month its chance
 * passes 50%), within five years; or why there is no date. Read from the same distribution as the
 * chance and the band, so a date before the due date goes with a chance of at least 50%.
 */
export function arrivalOf(
  goal: Pick<GoalInput, 'target' | 'direction'>,
  forecast: { level: number; median(h: number): number },
  lastIndex: number,
  position: HistoryPoint,
): Assessment['arrival'] {
  const sign = goal.direction === 'up' ? 1 : -1;
  const meets = (v: number) => sign * (v - goal.target) >= 0;
  if (meets(forecast.level)) return { date: position.period, reason: 'already at the target' };
  for (let h = 1; h <= ARRIVAL_HORIZON_MONTHS; h++)
    if (meets(forecast.median(h)))
      return { date: monthStart(lastIndex + h), reason: 'the first month its forecast meets the target' };
  const far = forecast.median(ARRIVAL_HORIZON_MONTHS);
  if (Math.abs(far - forecast.level) <= 1e-12 * Math.max(1, Math.abs(forecast.level)))
    return { date: null, reason: 'its forecast stays flat: no arrival in sight' };
  if (sign * (far - forecast.level) < 0)
    return { date: null, reason: 'its forecast heads away from the target: no arrival in sight' };
  return { date: null, reason: `its forecast does not reach the target within ${ARRIVAL_HORIZON_MONTHS / 12} years` };
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The status word and its reason, from the probability that the due period meets the target:
 * on course at 70% or more, off course at 30% or less, drifting between; arrived when the latest
 * period already meets the target and the due period is still at least 50% likely to.
 */
export function statusOf(
  goal: Pick<GoalInput, 'target' | 'direction'>,
  position: HistoryPoint,
  probability: number,
): { status: Status; reason: string } {
  const reaches = (v: number) => (goal.direction === 'up' ? 1 : -1) * (v - goal.target) >= 0;
  const chance = `${pct(probability)} likely to meet the target in the due period`;
  if (reaches(position.value) && probability >= ARRIVED_NEEDS)
    return { status: 'arrived', reason: `the latest period meets the target, and it is ${chance}` };
  if (probability >= ON_COURSE_AT) return { status: 'on_course', reason: `${chance} (on course at 70% or more)` };
  if (probability <= OFF_COURSE_AT)
    return { status: 'off_course', reason: `only ${chance} (off course at 30% or less)` };
  return { status: 'drifting', reason: `${chance} (drifting: between 30% and 70%)` };
}

/** The card's sentence: "72% likely to reach 93.0% by Jun 2027; could land 91.0–96.0%". */
export function summaryOf(
  goal: Pick<GoalInput, 'target' | 'direction' | 'unit'>,
  status: Status,
  probability: number,
  forecast: { period: string; interval: [number, number] },
): string {
  const month = monthWords(forecast.period);
  const verb = goal.direction === 'up' ? 'reach' : 'get down to';
  const [low, high] = forecast.interval.map((v) => formatValue(goal.unit, v));
  const land = `could land ${low}–${high}`;
  const lead = status === 'arrived' ? 'Already there; ' : '';
  return `${lead}${pct(probability)} likely to ${verb} ${formatValue(goal.unit, goal.target)} by ${month}; ${land}`;
}

/** The plain-language reading: pace needed against pace made, arrival, and any shift. */
export function readingOf(
  unit: Unit,
  status: Status,
  trend: Trend,
  pace: number | null,
  arrival: Assessment['arrival'],
  shift: Assessment['shift'],
  windowMonths: number,
  course: Assessment['course'] = null,
): string {
  const needs = pace === null ? 'the due date has passed' : `needs ${formatRate(unit, pace)} a month`;
  const ci = `95% CI ${formatRate(unit, trend.slope_ci[0])} to ${formatRate(unit, trend.slope_ci[1])}`;
  const arrived = status === 'arrived';
  // The forecast's course sits beside the pace needed: the two that decide the chance of arriving.
  const forecast =
    course && pace !== null
      ? `; on its forecast ${formatRate(unit, course.per_month)} a month to the due date ` +
        `(${formatRate(unit, course.range[0])} to ${formatRate(unit, course.range[1])})`
      : '';
  const recent = forecast
    ? `; the last ${windowMonths} months ran ${formatRate(unit, trend.slope)} (${ci}).`
    : `; doing ${formatRate(unit, trend.slope)} (${ci}) over the last ${windowMonths} months.`;
  const parts = [
    arrived ? 'Arrived: at or past the target.' : `${needs[0]!.toUpperCase()}${needs.slice(1)}${forecast}${recent}`,
    arrived
      ? ''
      : arrival.date
        ? `On its forecast it arrives around ${arrival.date.slice(0, 7)}.`
        : `No arrival date: ${arrival.reason}.`,
    shift.kind !== 'none' ? `${SHIFT_WORD[shift.kind]}: ${shift.message}.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** Ahead of or behind the planned path, and the next milestone's chance, in words. */
function planWords(unit: Unit, plan: PlanReading): string {
  const gap = formatRate(unit, Math.abs(plan.ahead_by)).replace(/^[+−±]/, '');
  const where =
    Math.abs(plan.ahead_by) < 1e-12
      ? 'On the planned path'
      : `${gap} ${plan.ahead_by > 0 ? 'ahead of' : 'behind'} plan`;
  const next = plan.next;
  const chance = next?.probability === null || !next ? '' : `${Math.round(next.probability * 100)}% likely`;
  const milestone = next
    ? ` Next milestone ${formatValue(unit, next.target)} by ${next.period.slice(0, 7)}: ${chance}.`
    : '';
  return `${where}.${milestone}`;
}

/**
 * The baseline (the value at `start`, else the window's first) and the share of the way covered
 * since (null when the baseline already met the target).
 */
function progressOf(goal: GoalInput, points: HistoryPoint[], windowLength: number) {
  const baseline = goal.start
    ? (points.find((p) => p.period >= `${goal.start!.slice(0, 7)}-01`) ?? points[0]!)
    : points[points.length - windowLength]!;
  const position = points.at(-1)!;
  // A baseline already at or past the target leaves no way to cover: a share of it would read
  // "−305%" on a goal that was met from the start.
  const pastAtStart = goal.direction === 'down' ? baseline.value <= goal.target : baseline.value >= goal.target;
  const progress = pastAtStart ? null : (position.value - baseline.value) / (goal.target - baseline.value);
  return { baseline, progress };
}

/**
 * The heading's window: the last 12 months, never straddling a level step the forecast found
 * (after it when 6 or more periods follow, else with the step taken out of the earlier periods).
 */
function headingWindow<P extends { t: number; v: number }>(points: P[], fm: ForecastModel): P[] {
  const shift = fm.shift;
  if (!shift) return points.slice(-WINDOW_PERIODS);
  const after = points.filter((p) => p.t >= shift.t);
  if (after.length >= MIN_PERIODS) return after.slice(-WINDOW_PERIODS);
  return points.map((p) => (p.t < shift.t ? { ...p, v: p.v + shift.magnitude } : p)).slice(-WINDOW_PERIODS);
}

/** A level step anywhere in the window (from the forecast), else a one-period spike at the end. */
function shiftOf(fm: ForecastModel, window: Array<{ t: number; v: number; period: string }>, lastIndex: number) {
  if (fm.shift) {
    const period = monthStart(lastIndex + fm.shift.t);
    return {
      kind: 'level_shift' as const,
      period,
      magnitude: fm.shift.magnitude,
      message:
        `the level stepped ${fm.shift.magnitude > 0 ? 'up' : 'down'} in ${period.slice(0, 7)} and stayed: the ` +
        'heading is measured after it, and the forecast’s band is wider for it',
    };
  }
  // No step in the whole window: the last periods may still have moved together (too recent for the
  // forecast's search, which needs a few periods after a step).
  const recent = detectShift(window);
  if (recent.kind !== 'level_shift' || fm.seasonality.tested) return recent;
  return {
    ...recent,
    message: `${recent.message} (under 24 months of history a yearly cycle could look the same)`,
  };
}

// Reads the course of a goal before its due date (or no signal); assessGoal adds what comes after.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one reading assembled from its named parts, in order
function readCourse(goal: GoalInput, points: HistoryPoint[], asOf: string): Assessment {
  const last = points.at(-1);
  const lastIndex = last ? monthIndex(last.period) : monthIndex(asOf);
  // Months from the middle of the last measured period to the due date.
  const monthsLeft =
    (Date.parse(`${goal.due}T00:00:00Z`) - Date.parse(`${monthStart(lastIndex)}T00:00:00Z`)) / MS_PER_MONTH - 0.5;
  if (points.length < MIN_PERIODS) {
    const reason =
      `no signal yet: ${points.length} mature period${points.length === 1 ? '' : 's'} of data, needs ` +
      `${MIN_PERIODS}`;
    return noSignal(goal, points, monthsLeft, reason);
  }
  const all = points.map((p) => ({
    t: monthIndex(p.period) - lastIndex,
    v: p.value,
    month: (monthIndex(p.period) % 12) + 1,
    period: p.period,
  }));
  const fm = forecastModel(all, domainOf(goal.unit));
  const seasonality = fm.seasonality;
  const adjusted = all.map((p) => ({ ...p, v: p.v - (seasonality.effects?.[p.month] ?? 0) }));
  const window = headingWindow(adjusted, fm);
  const trend = theilSen(window);
  const course: Course = { trend, level: trend.intercept, lastIndex, seasonality };
  const position = last!;
  const { baseline, progress } = progressOf(goal, points, Math.min(WINDOW_PERIODS, points.length));
  const dueIndex = monthIndex(goal.due);
  const h = Math.max(0, dueIndex - lastIndex);
  const atDue = fm.at(h);
  const probability = fm.probability(h, goal.target, goal.direction);
  const forecast = {
    period: monthStart(dueIndex),
    value: atDue.value,
    interval: [atDue.low, atDue.high] as [number, number],
  };
  // Pace needed and course are both measured from where the forecast puts the metric now.
  const pace = monthsLeft > 0 ? (goal.target - fm.level) / monthsLeft : null;
  const perMonth = (v: number) => (v - fm.level) / monthsLeft;
  const forecastCourse =
    monthsLeft > 0
      ? {
          per_month: perMonth(forecast.value),
          range: [perMonth(forecast.interval[0]), perMonth(forecast.interval[1])] as [number, number],
        }
      : null;
  const arrival = arrivalOf(goal, fm, lastIndex, position);
  const { status, reason } = statusOf(goal, position, probability);
  const trendLine = window.map((p) => ({ period: p.period, value: projectAt(course, p.t).value }));
  const band = Array.from({ length: Math.max(lastIndex, dueIndex) - lastIndex + 1 }, (_, t) => ({
    period: monthStart(lastIndex + t),
    ...fm.at(t),
  }));
  const shift = shiftOf(fm, all.slice(-WINDOW_PERIODS), lastIndex);
  const planned = planOf({
    ...goal,
    baseline,
    position,
    history: points,
    probability: (months, target) => fm.probability(months, target, goal.direction),
  });
  const plan = { ...planned, words: planWords(goal.unit, planned) };
  return {
    plan,
    status,
    status_reason: reason,
    arrival_probability: probability,
    forecast,
    summary: summaryOf(goal, status, probability, forecast),
    forecast_method: { method: fm.method, models: fm.models, notes: fm.notes },
    position,
    baseline: { period: baseline.period, value: baseline.value },
    progress,
    heading: {
      slope_per_month: trend.slope,
      ci: trend.slope_ci,
      window: { from: window[0]!.period, to: window.at(-1)!.period, periods: window.length },
      method: fm.shift
        ? 'Theil–Sen slope over the window, not across the level step; Sen’s rank-based 95% interval'
        : 'Theil–Sen slope over the window, Sen’s rank-based 95% interval',
      seasonality,
    },
    pace_needed_per_month: pace,
    course: forecastCourse,
    months_left: monthsLeft,
    projection: { date: goal.due, value: forecast.value, interval: forecast.interval },
    arrival,
    shift,
    stale: null,
    periods_needed: 0,
    rates: {
      heading: formatRate(goal.unit, trend.slope),
      heading_ci: [formatRate(goal.unit, trend.slope_ci[0]), formatRate(goal.unit, trend.slope_ci[1])],
      pace: pace === null ? null : formatRate(goal.unit, pace),
      course: forecastCourse && formatRate(goal.unit, forecastCourse.per_month),
      course_range: forecastCourse && [
        formatRate(goal.unit, forecastCourse.range[0]),
        formatRate(goal.unit, forecastCourse.range[1]),
      ],
    },
    trend: trendLine,
    band,
    reading:
      `${summaryOf(goal, status, probability, forecast)}. ` +
      `${readingOf(goal.unit, status, trend, pace, arrival, shift, window.length, forecastCourse)} ${plan.words}`,
  };
}
