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
