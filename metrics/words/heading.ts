// A goal's reading in words: the card's sentence, the reading, the plan, and the notes on a shift,
// stale data, thin months and the due date. assess.ts computes the numbers; every sentence a goal
// shows (API, CLI, web app, alerts) is written here, with unit formats from ./units.ts.
import type { Unit } from '../definition.ts';
import type { PlanReading } from '../heading/plan.ts';
import type { Trend } from '../heading/trend.ts';
import type { Assessment, GoalInput, ShiftKind, Status } from '../heading/types.ts';
import { monthName } from '../heading/months.ts';
import { formatRate, formatValue } from './current.ts';
import { unitWords } from './units.ts';

const pct = (p: number) => `${Math.round(p * 100)}%`;
/** A month as a reader says it: "Sep 2018", not "2018-09". */
const month = monthName;
/** A phrase as a sentence: capital first letter, full stop. */
export const sentence = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}.`;

/** Why a goal has the status it has, from its chance of being met in the due period. */
export function statusReason(status: Status, probability: number): string {
  const chance = `${pct(probability)} likely to meet the target in the due period`;
  if (status === 'arrived') return `the latest period meets the target, and it is ${chance}`;
  if (status === 'on_course') return `${chance} (on course at 70% or more)`;
  if (status === 'off_course') return `only ${chance} (off course at 30% or less)`;
  return `${chance} (drifting: between 30% and 70%)`;
}

/** The notes on the newest periods leaving the trend (σ: the trend's own scatter). */
export const shiftWords = {
  levelShift: (periods: number, z: number) =>
    `the last ${periods} periods sit ${Math.abs(z).toFixed(1)}σ ${z > 0 ? 'above' : 'below'} the earlier trend: ` +
    'a durable change, not a one-off',
  unconfirmed: (period: string, z: number, next: string) =>
    `${month(period)} sits ${Math.abs(z).toFixed(1)}σ ${z > 0 ? 'above' : 'below'} the trend, unconfirmed until ` +
    `${month(next)} is in: one period cannot tell a burst from a new course`,
  spike: (period: string, z: number) =>
    `${month(period)} spiked ${Math.abs(z).toFixed(1)}σ ${z > 0 ? 'above' : 'below'} the trend and the periods ` +
    'around it did not follow: a one-period burst (a campaign?), not a new course',
  none: 'the last periods follow the trend',
  tooFew: 'not enough periods to look for a shift',
  stepped: (up: boolean, period: string) =>
    `the level stepped ${up ? 'up' : 'down'} in ${month(period)} and stayed: the heading is measured after it, ` +
    'and the forecast’s band is wider for it',
  shortHistory: (message: string) => `${message} (under 24 months of history a yearly cycle could look the same)`,
};

/** Why the arrival date is what it is (or absent). */
export const arrivalWords = {
  noHeading: 'no heading yet',
  duePassed: 'the due date has passed',
  metByDue: 'met by the due date',
  there: 'already at the target',
  first: 'the first month its forecast meets the target',
  flat: 'its forecast stays flat: no arrival in sight',
  away: 'its forecast heads away from the target: no arrival in sight',
  beyond: (years: number) => `its forecast does not reach the target within ${years} years`,
};

/**
 * The latest month meets the target while the forecast's level now does not (a month above the
 * line on a noisy series): why the progress reads past 100% beside a pace still needed.
 */
export const pastTheLineWords = (unit: Unit, period: string, value: number, level: number) =>
  `${month(period)} (${formatValue(unit, value)}) is at or past the target, but the forecast puts the level now ` +
  `at ${formatValue(unit, level)}: one month past the line is not yet arrival.`;

/**
 * The mirror case: the forecast's level meets the target and the latest month does not (a spike in the
 * months before it, a low month). Without the level's value, "needs −27 a month" beside a latest month
 * below the target read as a contradiction.
 */
export const shortOfTheLineWords = (unit: Unit, period: string, value: number, level: number) =>
  `${month(period)} (${formatValue(unit, value)}) is short of the target, but the forecast, weighing the months ` +
  `before it too, puts the level now at ${formatValue(unit, level)}: the pace needed is measured from there.`;

/** A goal's filter that matches no row of its metric, with the values that do (a typo, most often). */
export const unmatchedWords = (dimension: string, value: string, known: string[], more: number) =>
  `no data where ${dimension} is "${value}": ${dimension} holds ` +
  (known.length
    ? `${known.map((k) => `"${k}"`).join(', ')}${more > 0 ? ` and ${more} more` : ''}`
    : 'no values in this data') +
  ' (check the goal’s filter)';

/** A goal's name for people: its metric's label and its filter, "Net Promoter Score (segment enterprise)". */
export function goalName(label: string, where: Record<string, string>): string {
  const filter = Object.entries(where)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return filter ? `${label} (${filter})` : label;
}

/** The latest value is older than the data's own date says it should be. */
export const staleWords = (latest: string, asOf: string, expected: string) =>
  `Stale data: the latest value is for ${month(latest)}, though the metric's data runs to ${asOf} (a value for ` +
  `${month(expected)} was expected); this reading describes ${month(latest)}.`;

/** Months too thin to count, named in the reading (more than three as a span: `left_out` lists each). */
export function thinWords(thin: Array<{ period: string; n: number }>, threshold: number, byMinN: boolean): string {
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  const ns = thin.map((h) => h.n);
  const named =
    thin.length <= 3
      ? thin.map((h) => `${month(h.period)} holds ${rows(h.n)}`).join(', ')
      : `${thin.length} months between ${month(thin[0]!.period)} and ${month(thin.at(-1)!.period)} hold ` +
        `${Math.min(...ns)} to ${rows(Math.max(...ns))} each`;
  const why = byMinN ? 'its min_n' : 'a fifth of a usual month';
  return `${named}: left out of the reading (fewer than ${Math.ceil(threshold)}, ${why})`;
}

/**
 * The newest month holds as many rows as a usual one but ends after the data's date, so it is read
 * as unfinished: monthly totals dated the 1st (the data then "reach" Dec 1) look exactly like this.
 */
export const unfinishedWords = (period: string, through: string) =>
  `${month(period)} holds as many rows as a usual month, but the data reach only ${unitWords().date(through)}, ` +
  'so it is read as unfinished and left out; if it is complete, say so with complete_through on its source ' +
  'or --complete-through on sync or import';

/** After the due date: met or missed on the due period's own value, or not yet known. */
export const dueWords = {
  unknown: (due: string, duePeriod: string, mature: boolean) =>
    `the due date (${due}) has passed, but ${month(duePeriod)} has no ${mature ? 'mature ' : ''}value yet to ` +
    'judge it by',
  closed: (unit: Unit, duePeriod: string, value: number, target: number) =>
    `${month(duePeriod)}, the due period, closed at ${formatValue(unit, value)} against a target of ` +
    formatValue(unit, target),
  verdict: (met: boolean, words: string, due?: string) =>
    `${met ? 'Met' : 'Missed'}: ${words}${due ? ` (due ${due})` : ''}.`,
};

/** The reading's rates in the unit's words: the heading with its interval, the pace needed, the forecast's course. */
export function rateWords(unit: Unit, trend: Trend, pace: number | null, course: Assessment['course']) {
  return {
    heading: formatRate(unit, trend.slope),
    heading_ci: [formatRate(unit, trend.slope_ci[0]), formatRate(unit, trend.slope_ci[1])] as [string, string],
    pace: pace === null ? null : formatRate(unit, pace),
    course: course && formatRate(unit, course.per_month),
    course_range:
      course && ([formatRate(unit, course.range[0]), formatRate(unit, course.range[1])] as [string, string]),
  };
}

/** How the forecast was made, in words (`forecast_method.method` and its notes). */
export const forecastWords = {
  method:
    'a combination of simple forecasters (the recent level, Theta, a damped trend, a two-year trend and, from ' +
    'two years of history, the same month a year before), each weighted by its own errors forecasting 1–24 ' +
    'months ahead from up to 60 past months, Theta’s counted at 60% (the M3 competition’s winner); ' +
    'the band is sized from the combination’s own errors at each horizon, a Student t narrowed in the middle ' +
    'with its 95% range kept',
  logScale: 'modelled on the log scale: changes are read as proportions of the level',
  mixedScale: (range: number, share: number) =>
    `modelled on the log scale, with ${Math.round(share * 100)}% of the chance from its own scale: it spans ` +
    `${Math.round(range).toLocaleString('en-US')} times from its lowest month to its highest, and on the log ` +
    'scale alone its smallest months would size the band',
  onOwnScale: (name: string) => `${name}, on its own scale`,
  seasonal: (years: number) => `month-of-year indices from the last ${years} years of history, in the forecast`,
  tooShortForSteps: (months: number) =>
    `${months} months of history: under 24, neither a level step nor a yearly cycle can be told apart from a ` +
    'trend, so neither is looked for and the band carries both',
  tooShortForCycle: (months: number) =>
    `${months} months of history: under 36, no yearly cycle is estimated and the band carries it`,
  step: (magnitude: number, monthsAgo: number) =>
    `a level step of ${magnitude >= 0 ? '+' : ''}${magnitude.toPrecision(2)} ${monthsAgo} months ago: the months ` +
    'before it widen the band',
};

/** Each forecaster the combination weighs, by its key (`forecast_method.models[].name`). */
export function forecasterName(key: string, window?: number): string {
  if (key === 'trend') return `straight trend of the last ${window} months`;
  const names: Record<string, string> = {
    level: 'recent level (exponential smoothing)',
    theta: 'Theta (level plus half the drift)',
    damped: 'damped trend',
    'seasonal-naive': 'seasonal naive (the same month a year before)',
  };
  return names[key] ?? key;
}

/** The seasonality test's result, in words (`heading.seasonality.note`). */
export const seasonalityWords = {
  untested: (needs: number, has: number) => `not tested: needs ${needs} months of history, has ${has}`,
  notSeasonal: (p: number) => `month of year does not matter here (permutation test p = ${p.toFixed(2)})`,
  seasonal: (p: number) =>
    `seasonal (permutation test p = ${p.toFixed(3)}): month effects removed before measuring the heading`,
};

/** Too little history to read a course. */
export const noSignalWords = (periods: number, needs: number) =>
  `no signal yet: ${periods} mature period${periods === 1 ? '' : 's'} of data, needs ${needs}`;

/** How a reading names each kind of departure from the trend. */
const SHIFT_WORD: Record<Exclude<ShiftKind, 'none'>, string> = {
  spike: 'Spike',
  level_shift: 'Shift',
  unconfirmed: 'Unconfirmed',
};

/** The card's sentence: "72% likely to reach 93.0% by Jun 2027; could land 91.0–96.0%". */
export function summaryOf(
  goal: Pick<GoalInput, 'target' | 'direction' | 'unit'>,
  status: Status,
  probability: number,
  forecast: { period: string; interval: [number, number] },
): string {
  const by = month(forecast.period);
  const verb = goal.direction === 'up' ? 'reach' : 'get down to';
  const [low, high] = forecast.interval.map((v) => formatValue(goal.unit, v));
  const land = `could land ${low}–${high}`;
  const lead = status === 'arrived' ? 'Already there; ' : '';
  return `${lead}${pct(probability)} likely to ${verb} ${formatValue(goal.unit, goal.target)} by ${by}; ${land}`;
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
      : arrival.reason === arrivalWords.there
        ? // The forecast's level meets the target though the latest month does not (a noisy or seasonal
          // month): "arrives around" this very month read as a contradiction beside it.
          'On its forecast it is already there: its level now meets the target.'
        : arrival.date
          ? `On its forecast it arrives around ${month(arrival.date)}.`
          : `No arrival date: ${arrival.reason}.`,
    shift.kind !== 'none' ? `${SHIFT_WORD[shift.kind]}: ${shift.message}.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** Ahead of or behind the planned path, and the next milestone's chance, in words. */
export function planWords(unit: Unit, plan: PlanReading, status?: Status): string {
  const gap = formatRate(unit, Math.abs(plan.ahead_by)).replace(/^[+−±]/, '');
  // The plan is a straight path; the status is the forecast's. Where they part, the words say which
  // decides ("12,216 behind plan" beside "on course, 85%" read as a contradiction).
  const but =
    plan.ahead_by < 0 && (status === 'on_course' || status === 'arrived')
      ? ', though its forecast still meets the target by the due date'
      : plan.ahead_by > 0 && status === 'off_course'
        ? ', but its forecast falls short of the target by the due date'
        : '';
  const where =
    Math.abs(plan.ahead_by) < 1e-12
      ? 'On the planned path'
      : `${gap} ${plan.ahead_by > 0 ? 'ahead of' : 'behind'} plan${but}`;
  const next = plan.next;
  const chance = next?.probability === null || !next ? '' : `${Math.round(next.probability * 100)}% likely`;
  const milestone = next
    ? ` Next milestone ${formatValue(unit, next.target)} by ${month(next.period)}: ${chance}.`
    : '';
  return `${where}.${milestone}`;
}
