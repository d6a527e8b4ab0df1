// One queryOptions factory per resource; every query key comes from `keys`.
import { queryOptions } from '@tanstack/react-query';
import { api, bodyOf } from './api.ts';

export type Grain = 'day' | 'week' | 'month' | 'quarter';
export type Outcome = 'retention' | 'nps' | 'csat' | 'revenue';

export const keys = {
  health: ['health'] as const,
  whoami: ['auth', 'whoami'] as const,
  check: (file: string, yaml: string) => ['metrics', 'check', file, yaml] as const,
  metrics: ['metrics'] as const,
  series: (name: string, params: object) => ['metrics', 'series', name, params] as const,
  goals: ['goals'] as const,
  goal: (id: string) => ['goals', 'detail', id] as const,
  // Under 'goals': a goal edited invalidates its drivers too.
  goalDrivers: (id: string, window: number) => ['goals', 'drivers', id, window] as const,
  checkins: ['checkins'] as const,
  // Under 'goals': a goal edited invalidates its route too.
  goalRoute: (id: string) => ['goals', 'route', id] as const,
  goalCheckins: (id: string) => ['checkins', id] as const,
  channels: (params: object) => ['channels', params] as const,
  mix: (params: object) => ['mix', params] as const,
  // Under 'mix': a lift test saved or deleted invalidates both.
  evidence: (params: object) => ['mix', 'evidence', params] as const,
  observations: ['mix', 'observations'] as const,
  // Under 'mix': a lift test saved or deleted moves the budget too.
  budget: (kpi: string) => ['mix', 'budget', kpi] as const,
  sources: ['sources'] as const,
  digest: (since: string) => ['digest', since] as const,
  alerts: ['alerts'] as const,
  imports: ['imports'] as const,
};

export const healthQuery = () =>
  queryOptions({
    queryKey: keys.health,
    queryFn: async () => {
      return bodyOf(api.health.$get());
    },
  });

export const metricsQuery = () =>
  queryOptions({
    queryKey: keys.metrics,
    queryFn: async () => {
      return bodyOf(api.metrics.$get());
    },
  });

export interface SeriesParams {
  grain?: Grain;
  from?: string;
  to?: string;
  by?: string;
  where?: string[];
  /** With by: the largest groups, the rest as "(other)" (a city column has thousands). */
  top?: string;
}

/** Groups a breakdown chart draws: more lines than this tangle. */
export const BREAKDOWN_TOP = '8';

export const seriesQuery = (name: string, params: SeriesParams) =>
  queryOptions({
    queryKey: keys.series(name, params),
    queryFn: async () => {
      return bodyOf(api.metrics[':name'].series.$get({ param: { name }, query: params }));
    },
  });

export const goalsQuery = () =>
  queryOptions({
    queryKey: keys.goals,
    queryFn: async () => {
      return bodyOf(api.goals.$get({ query: {} }));
    },
  });

/** How to get back on course: the goal's measured levers and the cheapest plans. */
export const goalRouteQuery = (id: string) =>
  queryOptions({
    queryKey: keys.goalRoute(id),
    queryFn: async () => {
      return bodyOf(api.goals[':id'].route.$get({ param: { id }, query: {} }));
    },
  });

/** A goal's check-ins, newest first. */
export const checkinsQuery = (id: string) =>
  queryOptions({
    queryKey: keys.goalCheckins(id),
    queryFn: async () => {
      return bodyOf(api.goals[':id'].checkins.$get({ param: { id } }));
    },
  });

/** Every goal's latest check-in, for the cards. */
export const latestCheckinsQuery = () =>
  queryOptions({
    queryKey: keys.checkins,
    queryFn: async () => {
      return bodyOf(api.checkins.$get());
    },
  });

/** What drove a goal's metric over the last `window` months against the `window` before. */
export const goalDriversQuery = (id: string, window: number) =>
  queryOptions({
    queryKey: keys.goalDrivers(id, window),
    queryFn: async () => {
      return bodyOf(api.goals[':id'].drivers.$get({ param: { id }, query: { window: String(window) } }));
    },
  });

export const goalQuery = (id: string) =>
  queryOptions({
    queryKey: keys.goal(id),
    queryFn: async () => {
      return bodyOf(api.goals[':id'].$get({ param: { id }, query: {} }));
    },
  });

export interface ChannelParams {
  outcome: Outcome;
  window: number;
  horizon: number;
  /** Signup dates of the compared cohorts (YYYY-MM-DD); empty for all. */
  from?: string;
  to?: string;
}

export const channelsQuery = (params: ChannelParams) =>
  queryOptions({
    queryKey: keys.channels(params),
    queryFn: async () => {
      const range = { ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}) };
      return bodyOf(
        api.channels.$get({
          query: { outcome: params.outcome, window: String(params.window), horizon: String(params.horizon), ...range },
        }),
      );
    },
  });

export const whoamiQuery = () =>
  queryOptions({
    queryKey: keys.whoami,
    queryFn: async () => {
      return bodyOf(api.auth.whoami.$get());
    },
    retry: false,
  });

/** Problems of a draft definition (POST /api/metrics/check writes nothing, so it is a query). */
export const checkQuery = (yaml: string, file?: string) =>
  queryOptions({
    queryKey: keys.check(file ?? 'new', yaml),
    queryFn: async () => {
      return bodyOf(api.metrics.check.$post({ json: { yaml, file } }));
    },
  });

export const sourcesQuery = () =>
  queryOptions({
    queryKey: keys.sources,
    queryFn: async () => {
      return bodyOf(api.sources.$get());
    },
  });

export const importsQuery = () =>
  queryOptions({
    queryKey: keys.imports,
    queryFn: async () => {
      return bodyOf(api.imports.$get({ query: { limit: '20' } }));
    },
  });

export const digestQuery = (since: string) =>
  queryOptions({
    queryKey: keys.digest(since),
    queryFn: async () => {
      return bodyOf(api.digest.$get({ query: since ? { since } : {} }));
    },
  });

export const alertsQuery = () =>
  queryOptions({
    queryKey: keys.alerts,
    queryFn: async () => {
      return bodyOf(api.alerts.$get());
    },
  });

export interface MixParams {
  kpi: string;
  controls: string;
}

/** The media-mix model: a fit takes seconds, then the server keeps it until the data change. */
export const mixQuery = (params: MixParams) =>
  queryOptions({
    queryKey: keys.mix(params),
    queryFn: async () => {
      return bodyOf(
        api.mix.$get({ query: { kpi: params.kpi, ...(params.controls ? { controls: params.controls } : {}) } }),
      );
    },
    enabled: Boolean(params.kpi),
    staleTime: 5 * 60_000,
  });

/** Every method side by side per channel; fits the mix model when none is cached (seconds). */
export const evidenceQuery = (params: Partial<MixParams>) =>
  queryOptions({
    queryKey: keys.evidence(params),
    queryFn: async () => {
      const query = {
        ...(params.kpi ? { kpi: params.kpi } : {}),
        ...(params.controls ? { controls: params.controls } : {}),
      };
      return bodyOf(api.channels.evidence.$get({ query }));
    },
    staleTime: 5 * 60_000,
  });

export const observationsQuery = () =>
  queryOptions({
    queryKey: keys.observations,
    queryFn: async () => {
      return bodyOf(api.mix.observations.$get());
    },
  });

/** Every channel on one KPI in money: the mix model and the customer-level comparison behind it (seconds, once). */
export const budgetQuery = (kpi: string) =>
  queryOptions({
    queryKey: keys.budget(kpi),
    queryFn: async () => {
      return bodyOf(api.budget.$get({ query: { kpi } }));
    },
    enabled: Boolean(kpi),
    staleTime: 5 * 60_000,
  });

/** A budget plan (POST /api/budget/plan): computed on demand, never cached on the page. */
export const planBudget = async (json: Parameters<typeof api.budget.plan.$post>[0]['json']) =>
  bodyOf(api.budget.plan.$post({ json }));
export type PlanAnswer = Awaited<ReturnType<typeof planBudget>>;
