// What a goal's reading is made of: the numbers assess.ts computes and the words (metrics/words/heading.ts)
// put into sentences. Kept apart from both so neither has to import the other.
import type { Unit } from '../definition.ts';
import type { Milestone, PlanReading } from './plan.ts';

/** Whether the month of the year matters for a metric (metrics/heading/seasonality.ts). */
export interface Seasonality {
  tested: boolean;
  /** Share of permutations at least as seasonal as the data (small = real seasonality). */
  p_value: number | null;
  adjusted: boolean;
  /** Month-of-year effect (1–12 → value), present when adjusted. */
  effects: Record<number, number> | null;
  note: string;
}

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
  /** The newest month, left out as unfinished though it looks whole (heading.ts unfinishedOf): named. */
  unfinished?: { period: string; n: number; through: string };
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
  /** The newest month, as full as a usual one but after the data's date: drawn, not read (see unfinishedWords). */
  unfinished?: { period: string; n: number; through: string };
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
