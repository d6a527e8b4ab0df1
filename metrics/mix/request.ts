// What a media-mix fit is asked for, and what both fits (national, across geos) read alike:
// the minimum history, periods in a year, the ROI priors, an experiment's row.

export interface MixRequest {
  kpi: string;
  grain?: 'week' | 'day';
  from?: string;
  to?: string;
  controls?: string[];
  seed?: number;
  draws?: number;
  /** ROI priors per channel (bearing.yaml mix.priors): KPI per unit of spend, and its sd. */
  priors?: Record<string, { roi: number; sd: number }>;
  /** Fit the national model even when media carry geos (summing them). */
  national?: boolean;
}

/** At least a year of periods: seasonality and carry-over cannot be told apart from less. */
export const MIN_PERIODS = { week: 52, day: 365 } as const;
export const PER_YEAR = { week: 52.18, day: 365.25 } as const;
/**
 * Periods of spend before the first modelled one that are read for their carry-over (θ ≤ 0.8:
 * 0.8¹³ ≈ 5% is left after 13; a delayed shape's tail is 8 past its peak of at most 3).
 */
export const WARM_UP = 13;

export type Experiment = {
  experiment_id: string;
  channel: string;
  start: string;
  end: string;
  lift: number;
  lift_se: number;
};

export const priorsOf = (request: MixRequest) =>
  Object.fromEntries(Object.entries(request.priors ?? {}).map(([c, p]) => [c, { mean: p.roi, sd: p.sd }]));

/** The index of the period a date falls in (the last period starting on or before it). */
const periodOf = (periods: string[], date: string) => periods.filter((p) => p <= date).length - 1;

/** The experiments the fit can use (inside the modelled periods and channels), each named when left out. */
export function calibrationOf(
  experiments: Experiment[],
  periods: string[],
  media: ReadonlyArray<{ channel: string }>,
  warnings: string[],
) {
  return experiments.flatMap((e) => {
    const from = periodOf(periods, e.start);
    const to = periodOf(periods, e.end);
    if (!media.some((m) => m.channel === e.channel) || from < 0 || to < from || !(e.lift_se > 0)) {
      warnings.push(
        `experiment ${e.experiment_id}: outside the modelled periods or channels, or without a standard error`,
      );
      return [];
    }
    if (e.lift_se < 0.02 * Math.abs(e.lift))
      warnings.push(
        `experiment ${e.experiment_id}: a standard error under 2% of the lift is weighed as at least 2% (and at ` +
          'least a tenth of the weekly noise over its weeks), so one test cannot take the fit over',
      );
    return [{ channel: e.channel, from, to, lift: e.lift, se: e.lift_se, id: e.experiment_id }];
  });
}
