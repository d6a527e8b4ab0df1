// Reads one goal like a GPS: where it is, its heading with an interval, the pace it needs, where
// the trend puts it at the due date, when it arrives, and whether it is on course. Pure.
import { Z95 } from '../normal.ts';
import { type ForecastModel, observedDomain, sharedForecastModel } from './forecast.ts';
import { monthIndex, monthStart } from './months.ts';
import { planOf } from './plan.ts';
import { median, theilSen, type Trend } from './trend.ts';
import { withCurrency } from '../words/current.ts';
import {
  arrivalWords,
  dueWords,
  noSignalWords,
  planWords,
  rateWords,
  pastTheLineWords,
  shortOfTheLineWords,
  readingOf,
  sentence,
  shiftWords,
  staleWords,
  statusReason,
  summaryOf,
  thinWords,
  unfinishedWords,
} from '../words/heading.ts';

export const WINDOW_PERIODS = 12;
export const MIN_PERIODS = 6;
export const ARRIVAL_HORIZON_MONTHS = 60;
const SHIFT_PERIODS = 3;
const SPIKE_Z = 3.5;
const SHIFT_Z = 2;
const DAYS_PER_MONTH = 30.436875;
const MS_PER_MONTH = DAYS_PER_MONTH * 86_400_000;

import {
  ARRIVED_NEEDS,
  type Assessment,
  type GoalInput,
  type HistoryPoint,
  OFF_COURSE_AT,
  ON_COURSE_AT,
  type Seasonality,
  STALE_AFTER_PERIODS,
  type Status,
} from './types.ts';

export { ARRIVED_NEEDS, OFF_COURSE_AT, ON_COURSE_AT, STALE_AFTER_PERIODS, STATUSES } from './types.ts';
export type { Assessment, GoalInput, HistoryPoint, ShiftKind, Status } from './types.ts';

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
    arrival: { date: null, reason: arrivalWords.noHeading },
    shift: { kind: 'none', period: null, magnitude: null, message: shiftWords.tooFew },
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
      message: `${shiftWords.tooFew} (needs ${MIN_PERIODS + SHIFT_PERIODS})`,
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
      message: shiftWords.levelShift(SHIFT_PERIODS, medianZ),
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
        message: shiftWords.unconfirmed(p.period, big[0]!.x, nextMonth(p.period)),
      };
    return {
      kind: 'spike',
      period: p.period,
      magnitude: big[0]!.x * sigma,
      message: shiftWords.spike(p.period, big[0]!.x),
    };
  }
  return { kind: 'none', period: null, magnitude: null, message: shiftWords.none };
}

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
    message: staleWords(last.period, asOf, expectedPeriod),
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
    const reason = dueWords.unknown(goal.due, duePeriod, Boolean(goal.matureAfterDays));
    return {
      ...closed,
      status: 'no_signal',
      status_reason: reason,
      summary: sentence(reason),
      arrival: { date: null, reason: arrivalWords.duePassed },
      reading: sentence(reason),
    };
  }
  const met = meetsTarget(goal, due.value);
  const words = dueWords.closed(goal.unit, duePeriod, due.value, goal.target);
  return {
    ...closed,
    status: met ? 'met' : 'missed',
    status_reason: words,
    summary: dueWords.verdict(met, words),
    position: due,
    // The due period is known now: what it closed at, not a forecast made from today's level.
    forecast: { period: duePeriod, value: due.value, interval: [due.value, due.value] },
    projection: { date: goal.due, value: due.value, interval: [due.value, due.value] },
    arrival: met ? { date: due.period, reason: arrivalWords.metByDue } : { date: null, reason: arrivalWords.duePassed },
    reading: dueWords.verdict(met, words, goal.due),
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
  let assessed = assessPoints(goal, points, asOf);
  if (thin.length) {
    const note = thinWords(thin, threshold, goal.minN !== undefined);
    assessed = {
      ...assessed,
      left_out: thin.map((h) => ({ period: h.period, n: h.n })),
      reading: `${assessed.reading} ${sentence(note)}`,
      forecast_method: assessed.forecast_method && {
        ...assessed.forecast_method,
        notes: [...assessed.forecast_method.notes, note],
      },
    };
  }
  const open = goal.unfinished;
  if (!open) return assessed;
  return {
    ...assessed,
    unfinished: open,
    reading: `${assessed.reading} ${sentence(unfinishedWords(open.period, open.through))}`,
  };
}

/** Rows a usual period holds: the median of the last 12 periods' rows (0 with none). */
export function usualRows(history: ReadonlyArray<{ n: number }>): number {
  return history.length ? median(history.slice(-12).map((h) => h.n)) : 0;
}

/**
 * Rows a period needs to count: 30, or a fifth of the median rows of the last 12 periods, whichever
 * is smaller (a metric whose periods hold a handful of rows each keeps them all).
 */
export function thinThreshold(history: HistoryPoint[]): number {
  return history.length ? Math.min(30, usualRows(history) / 5) : 0;
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

/** Whether a value meets the goal's target: at or above it for `up`, at or below for `down`. */
function meetsTarget(goal: Pick<GoalInput, 'target' | 'direction'>, v: number): boolean {
  return (goal.direction === 'up' ? 1 : -1) * (v - goal.target) >= 0;
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
  if (meetsTarget(goal, forecast.level)) return { date: position.period, reason: arrivalWords.there };
  for (let h = 1; h <= ARRIVAL_HORIZON_MONTHS; h++)
    if (meetsTarget(goal, forecast.median(h))) return { date: monthStart(lastIndex + h), reason: arrivalWords.first };
  const far = forecast.median(ARRIVAL_HORIZON_MONTHS);
  if (Math.abs(far - forecast.level) <= 1e-12 * Math.max(1, Math.abs(forecast.level)))
    return { date: null, reason: arrivalWords.flat };
  if (sign * (far - forecast.level) < 0) return { date: null, reason: arrivalWords.away };
  return { date: null, reason: arrivalWords.beyond(ARRIVAL_HORIZON_MONTHS / 12) };
}

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
  const status: Status =
    meetsTarget(goal, position.value) && probability >= ARRIVED_NEEDS
      ? 'arrived'
      : probability >= ON_COURSE_AT
        ? 'on_course'
        : probability <= OFF_COURSE_AT
          ? 'off_course'
          : 'drifting';
  return { status, reason: statusReason(status, probability) };
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
      message: shiftWords.stepped(fm.shift.magnitude > 0, period),
    };
  }
  // No step in the whole window: the last periods may still have moved together (too recent for the
  // forecast's search, which needs a few periods after a step).
  const recent = detectShift(window);
  if (recent.kind !== 'level_shift' || fm.seasonality.tested) return recent;
  return {
    ...recent,
    message: shiftWords.shortHistory(recent.message),
  };
}

/** Where the latest month and the forecast's level fall on opposite sides of the target, which one the reading uses. */
function lineWords(goal: GoalInput, status: Status, position: HistoryPoint, level: number): string {
  if (status === 'arrived' || meetsTarget(goal, position.value) === meetsTarget(goal, level)) return '';
  const words = meetsTarget(goal, position.value) ? pastTheLineWords : shortOfTheLineWords;
  return ` ${words(goal.unit, position.period, position.value, level)}`;
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
    return noSignal(goal, points, monthsLeft, noSignalWords(points.length, MIN_PERIODS));
  }
  const all = points.map((p) => ({
    t: monthIndex(p.period) - lastIndex,
    v: p.value,
    month: (monthIndex(p.period) % 12) + 1,
    period: p.period,
  }));
  const fm = sharedForecastModel(all, observedDomain(goal.unit, all));
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
  const plan = { ...planned, words: planWords(goal.unit, planned, status) };
  const lineNote = lineWords(goal, status, position, fm.level);
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
    rates: rateWords(goal.unit, trend, pace, forecastCourse),
    trend: trendLine,
    band,
    reading:
      `${summaryOf(goal, status, probability, forecast)}. ` +
      `${readingOf(goal.unit, status, trend, pace, arrival, shift, window.length, forecastCourse)}${lineNote} ` +
      plan.words,
  };
}
