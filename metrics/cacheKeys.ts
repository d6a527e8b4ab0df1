// One typed key per kind of cached answer, naming everything the answer depends on besides the
// data version (which the cache adds itself: data/db.ts). A key built by hand in each module once
// left out the KPI's definition, so an edited definition kept serving the mix fitted on the old one.
import { referencedMetrics } from './compile.ts';
import { type Definition, isDerived } from './definition.ts';
import type { DriversRequest } from './drivers/types.ts';

type Resolve = (name: string) => Definition | undefined;

/**
 * A metric's definition and, for a derived metric, the definitions of every metric it combines:
 * what a computed series of it depends on. Cycles are cut (the checker refuses them anyway).
 */
export function definitionsOf(name: string, resolve: Resolve, seen = new Set<string>()): unknown[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const definition = resolve(name);
  if (!definition) return [name, null];
  const parts = isDerived(definition) ? referencedMetrics(definition.expression, resolve) : [];
  return [definition, ...parts.flatMap((part) => definitionsOf(part, resolve, seen))];
}

const key = (kind: string, parts: unknown[]) => `${kind}\u0000${JSON.stringify(parts)}`;

export const cacheKey = {
  /** A series: its compiled SQL and parameters say everything (a definition edit changes the SQL). */
  series: (sql: string, params: unknown) => `series\u0000${sql}\u0000${JSON.stringify(params)}`,
  /** A channel comparison: its options, spelled once however the caller spelled them. */
  channels: (o: {
    outcome: string;
    window: number;
    horizon: number;
    from: string | null;
    to: string | null;
    asOf: string | null;
  }) => key('channels', [o.outcome, o.window, o.horizon, o.from, o.to, o.asOf]),
  /** A mix fit: the request, and the definitions of its KPI (controls are observations: data). */
  mix: (
    r: {
      kpi: string;
      grain: string;
      from?: string;
      to?: string;
      controls: string[];
      seed: number;
      draws: number;
      national: boolean;
    },
    resolve: Resolve,
    priors: unknown,
  ) =>
    key('mix', [
      r.kpi,
      r.grain,
      r.from,
      r.to,
      r.controls,
      r.seed,
      r.draws,
      r.national,
      priors,
      definitionsOf(r.kpi, resolve),
    ]),
  /**
   * The heading of every goal: the goals, the definitions of their metrics (by content, so the answer
   * can be kept across processes: data/storedResults.ts), failed stored series, the as-of date asked
   * for, and today's date (the reading's date when the data hold none).
   */
  overview: (
    o: {
      currency: string;
      goals: ReadonlyArray<{ metric: string }>;
      failedSeries: number;
      asOf: string | null;
      today: string;
    },
    resolve: Resolve,
  ) =>
    key('overview', [
      o.currency,
      o.failedSeries,
      o.asOf,
      o.today,
      o.goals,
      [...new Set(o.goals.map((g) => g.metric))].sort().map((name) => definitionsOf(name, resolve)),
    ]),
  /**
   * One goal's reading as its page shows it (the backtest included, its notes not: they are read on
   * every request), named by content like the overview, so it is kept across processes.
   */
  goal: (
    o: { currency: string; goal: { metric: string }; failedSeries: number; asOf: string | null; today: string },
    resolve: Resolve,
  ) => key('goal', [o.currency, o.failedSeries, o.asOf, o.today, o.goal, definitionsOf(o.goal.metric, resolve)]),
  /**
   * What drove a metric's change: the request, spelled once (filters in name order), and the
   * definitions of the metric and its parts by content.
   */
  drivers: (name: string, r: DriversRequest, resolve: Resolve) =>
    key('drivers', [
      name,
      r.from ?? null,
      r.to ?? null,
      r.compareFrom ?? null,
      r.compareTo ?? null,
      r.window ?? 1,
      Object.entries(r.where ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      r.asOf ?? null,
      r.currency ?? null,
      definitionsOf(name, resolve),
    ]),
  /** A budget: its KPI's definitions, the period, the currency of its sentences and the mix priors. */
  budget: (r: { kpi: string; from?: string; to?: string; currency: string; priors?: unknown }, resolve: Resolve) =>
    key('budget', [r.kpi, r.from, r.to, r.currency, r.priors ?? {}, definitionsOf(r.kpi, resolve)]),
  /**
   * A goal's route back: the goal, the spend limit asked for, and what its reading depends on (as
   * `goal`), by content, so it is kept across processes. Its levers are channel comparisons and mix
   * fits of these data.
   */
  route: (
    o: { goal: { metric: string }; maxExtra: number | null; failedSeries: number; today: string },
    resolve: Resolve,
  ) => key('route', [o.maxExtra, o.failedSeries, o.today, o.goal, definitionsOf(o.goal.metric, resolve)]),
} as const;
