// The drivers' answer, shared by the code that computes it and the code that words it.
import type { Unit } from '../definition.ts';
import type { Contribution } from './decompose.ts';

export interface Driver {
  dimension: string;
  value: string;
  kind: Contribution['kind'];
  contribution: number;
  contribution_ci: [number, number] | null;
  share_of_change: number | null;
  driver: boolean;
  before: number | null;
  after: number | null;
  share_before: number | null;
  share_after: number | null;
}

export interface DriversAnswer {
  metric: string;
  label: string;
  unit: Unit;
  direction: 'up' | 'down';
  as_of: string;
  where: Record<string, string>;
  period: { from: string; to: string };
  compare: { from: string; to: string };
  before: number | null;
  after: number | null;
  change: number | null;
  change_ci: [number, number] | null;
  /** Contributions beyond noise, largest first. */
  drivers: Driver[];
  /** The largest contributions of every dimension, drivers or not (at most 20). */
  contributions: Driver[];
  /** The part of the change the leading dimension's drivers leave unexplained. */
  unexplained: number | null;
  method: string;
  dimensions: string[];
  sentence: string;
  /** The leading drivers in words, without the change before them (null: no driver). */
  lead: string | null;
  warnings: string[];
}

/** What a drivers answer is asked for: the windows compared, the filters, the as-of date, the currency. */
export interface DriversRequest {
  /** The window examined (first and last day); default: the latest complete `window` months. */
  from?: string;
  to?: string;
  /** The window it is compared with; default: the `window` months before. */
  compareFrom?: string;
  compareTo?: string;
  /** Months per window when the windows are not given (default 1). */
  window?: number;
  where?: Record<string, string>;
  asOf?: string;
  /** The workspace's currency: money in the sentence carries its symbol (R$, not a bare number). */
  currency?: string;
}
