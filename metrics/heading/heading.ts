// Goal + metric series → the heading of that goal; all goals → the overview with its balance.
import { listAnnotations, type Annotation } from '../../data/annotations.ts';
import type { Database } from '../../data/db.ts';
import type { Catalog } from '../catalog.ts';
import type { CheckedMetric } from '../check.ts';
import { goalProblems, type Goal } from '../goals.ts';
import { BearingError } from '../../data/errors.ts';
import { currentFacts } from '../../data/schema.ts';
import { runSeries, type SeriesRow } from '../series.ts';
import { assessGoal, type Assessment, type Status, usualRows } from './assess.ts';
import type { BacktestRow } from './backtest.ts';
import { observedDomain } from './forecast.ts';
import { offload, offloadWhenFree } from '../offload/pool.ts';
import { monthIndex } from './months.ts';
import { sentence, unmatchedWords } from '../words/heading.ts';

/** Monthly values as the forecast takes them: months counted back from the last (0). */
function monthlyPoints(history: Array<{ period: string; value: number }>) {
  const last = history.length ? monthIndex(history.at(-1)!.period) : 0;
  return history.map((h) => ({ t: monthIndex(h.period) - last, v: h.value, month: Number(h.period.slice(5, 7)) }));
}

export interface GoalHeading extends Assessment {
  id: string;
  metric: string;
  dimensions: string[];
  label: string;
  unit: string;
  direction: 'up' | 'down';
  target: number;
  due: string;
  start: string | null;
  where: Record<string, string>;
  owner: string | null;
  objective: 'business' | 'community';
  note: string | null;
  /** The goal's milestones and min_n as written (the plan reads them; an edit in the app keeps them). */
  milestones: Array<{ date: string; target: number }>;
  min_n: number | null;
  as_of: string;
  problems: string[];
  series: SeriesRow[];
  annotations: Annotation[];
  /** The forecast's own record on this goal's history (goal detail only; null in the overview). */
  backtest: BacktestRow[] | null;
}

export type Balance = Record<'business' | 'community', { goals: number } & Record<Status, number>>;

const EMPTY_COUNTS = (): { goals: number } & Record<Status, number> => ({
  goals: 0,
  on_course: 0,
  drifting: 0,
  off_course: 0,
  arrived: 0,
  no_signal: 0,
  met: 0,
  missed: 0,
});

/** The as-of date, or null while the database holds no data (goals then read no_signal). */
async function asOfOrNull(db: Database, asOf?: string): Promise<string | null> {
  return asOf ?? (await currentFacts(db)).as_of;
}

/** What every reading of a goal says about the goal itself. */
function baseOf(goal: Goal, dimensions: readonly string[], asOf: string) {
  return {
    id: goal.id,
    metric: goal.metric,
    target: goal.target,
    due: goal.due,
    start: goal.start ?? null,
    where: goal.where ?? {},
    owner: goal.owner ?? null,
    objective: goal.objective,
    note: goal.note ?? null,
    milestones: goal.milestones ?? [],
    min_n: goal.min_n ?? null,
    as_of: asOf,
    // What the goal can be broken down by: its metric's dimensions not already fixed by `where`.
    dimensions: dimensions.filter((d) => !(d in (goal.where ?? {}))),
  };
}

/** A goal read up to its assessment: either finished (it cannot be read) or waiting for assessGoal's answer. */
type Prepared =
  | { done: GoalHeading }
  | {
      args: Parameters<typeof assessGoal>;
      finish: (assessment: Assessment, backtest: BacktestRow[] | null) => GoalHeading;
      points: ReturnType<typeof monthlyPoints>;
    };

async function prepareHeading(
  db: Database,
  catalog: Catalog,
  goal: Goal,
  options: { asOf?: string; currency?: string },
): Promise<Prepared> {
  const known = await asOfOrNull(db, options.asOf);
  const asOf = known ?? new Date().toISOString().slice(0, 10);
  const metric = catalog.get(goal.metric);
  const base = baseOf(goal, metric?.dimensions ?? [], asOf);
  const problems = goalProblems(goal, catalog);
  // A goal that cannot be read says why, in the same shape as every other reading (cheap: no forecast).
  const unread = (reading: string, reason: string, problems: string[]): Prepared => {
    const d = metric?.definition;
    const look = { direction: d?.direction ?? 'up', unit: d?.unit ?? 'count' } as const;
    const empty = assessGoal({ target: goal.target, due: goal.due, ...look }, [], asOf);
    const label = d?.label ?? goal.metric;
    const rest = { problems, series: [], annotations: [], backtest: null };
    // The card's sentence says the same as the reading ("no signal yet: 0 periods" hid the reason).
    return { done: { ...base, ...empty, ...look, label, status_reason: reason, summary: reading, reading, ...rest } };
  };
  if (problems.length || !metric)
    return unread(`This goal cannot be read: ${problems.join('; ')}`, problems.join('; '), problems);
  if (!known) {
    const reason = 'no data yet: import CSV files (Data page or bearing import) or run bearing generate';
    return unread(reason, reason, []);
  }
  const d = metric.definition;
  // The metric's own as-of date: its tables may end earlier than the newest table (metrics/asOf.ts).
  let series: Awaited<ReturnType<typeof runSeries>>;
  try {
    series = await runSeries(db, metric, { grain: 'month', asOf: options.asOf, where: goal.where }, catalog.resolve);
  } catch (error) {
    // A metric that cannot be computed fails alone: this goal says why, the page and the others go on.
    if (!(error instanceof BearingError)) throw error;
    return unread(`This goal cannot be computed: ${error.message}`, `cannot compute: ${error.message}`, [
      `cannot compute: ${error.message}`,
    ]);
  }
  const history = series.rows
    .filter((r) => r.complete && r.value !== null)
    .map((r) => ({ period: r.period, value: r.value!, n: r.n }));
  if (goal.where && !series.rows.some((r) => r.n > 0)) {
    const unmatched = await unmatchedFilter(db, metric, goal.where, options.asOf, catalog);
    if (unmatched) return unread(sentence(unmatched), unmatched, []);
  }
  const unfinished = unfinishedOf(series.rows, series.as_of);
  const matureAfterDays = 'mature_after_days' in d ? (d.mature_after_days ?? 0) : 0;
  const input = {
    target: goal.target,
    due: goal.due,
    start: goal.start,
    direction: d.direction,
    unit: d.unit,
    matureAfterDays,
    milestones: goal.milestones,
    ...((goal.min_n ?? d.min_n) !== undefined ? { minN: goal.min_n ?? d.min_n } : {}),
    ...(options.currency ? { currency: options.currency } : {}),
    ...(unfinished ? { unfinished } : {}),
  };
  const look = { label: d.label, unit: d.unit, direction: d.direction };
  return {
    args: [input, history, series.as_of],
    points: monthlyPoints(history),
    finish: (assessment, backtested) => ({
      ...base,
      as_of: series.as_of,
      ...assessment,
      ...look,
      problems: [],
      series: series.rows,
      annotations: [],
      backtest: backtested,
    }),
  };
}

/**
 * The first of a goal's filters whose value no row of the metric holds (the other filters kept), in
 * words with the values it does hold; null when each value is there (the data are simply thin).
 * Asked only when the goal's series is empty, so a reading that has data never pays for it.
 */
async function unmatchedFilter(
  db: Database,
  metric: CheckedMetric,
  where: Record<string, string>,
  asOf: string | undefined,
  catalog: Catalog,
): Promise<string | null> {
  for (const [dimension, value] of Object.entries(where)) {
    const others = Object.fromEntries(Object.entries(where).filter(([k]) => k !== dimension));
    const request = { grain: 'month' as const, asOf, where: others, by: dimension };
    let rows: SeriesRow[];
    try {
      rows = (await runSeries(db, metric, request, catalog.resolve)).rows;
    } catch (error) {
      // Too many values to list in one answer: the reading stays "no signal", without the hint.
      if (error instanceof BearingError) return null;
      throw error;
    }
    const counts = new Map<string, number>();
    for (const r of rows) if (r.group !== undefined) counts.set(r.group, (counts.get(r.group) ?? 0) + r.n);
    const held = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    if (held.some(([g]) => g === value)) continue;
    const shown = held.slice(0, 8).map(([g]) => g);
    return unmatchedWords(dimension, value, shown, held.length - shown.length);
  }
  return null;
}

/**
 * The newest month when it ends after the data's date yet holds as many rows as a usual finished
 * one (usualRows): whole, most likely (monthly totals dated the 1st), but read as unfinished
 * until the data say otherwise. A month still filling up (fewer rows) is the normal state and not named.
 */
export function unfinishedOf(
  rows: ReadonlyArray<{ period: string; value: number | null; n: number; complete: boolean }>,
  through: string,
): { period: string; n: number; through: string } | undefined {
  const last = rows.at(-1);
  if (!last || last.complete || last.value === null || last.n <= 0) return undefined;
  const finished = rows.filter((r) => r.complete && r.value !== null);
  if (!finished.length) return undefined;
  return last.n >= usualRows(finished) ? { period: last.period, n: last.n, through } : undefined;
}

export async function goalHeading(
  db: Database,
  catalog: Catalog,
  goal: Goal,
  options: { asOf?: string; withAnnotations?: boolean; withBacktest?: boolean; currency?: string } = {},
): Promise<GoalHeading> {
  const prepared = await prepareHeading(db, catalog, goal, options);
  const annotations = options.withAnnotations ? await listAnnotations(db, { metric: goal.metric, goal: goal.id }) : [];
  if ('done' in prepared) return { ...prepared.done, annotations };
  // The forecast and its backtest run off the event loop (metrics/offload/).
  const [assessed, backtested] = await Promise.all([
    offload('assess', [prepared.args]),
    options.withBacktest
      ? offload('backtest', [prepared.points, observedDomain(prepared.args[0].unit, prepared.points)])
      : null,
  ]);
  return { ...prepared.finish(assessed[0]!, backtested), annotations };
}

export interface Overview {
  as_of: string;
  balance: Balance;
  goals: GoalHeading[];
}

export async function headingOverview(
  db: Database,
  catalog: Catalog,
  goals: Goal[],
  options: { asOf?: string; currency?: string } = {},
): Promise<Overview> {
  const headings: GoalHeading[] = [];
  const { as_of, balance } = await headingEach(db, catalog, goals, options, (h) => {
    headings.push(h);
  });
  return { as_of, balance, goals: headings };
}

/**
 * Goals read and sent to a worker together. Small, so that neither their answers arriving from
 * DuckDB nor the message carrying their histories holds the event loop for long: at 1,000 goals a
 * batch, each held it about 200 ms at a time (docs/heading.md).
 */
const BATCH = 100;
/** Batches sent ahead of the one being written: the next is read while the worker assesses this one. */
const AHEAD = 2;

/**
 * Every goal's reading, handed to `each` in the goals' order a batch at a time, so a caller that
 * writes them out never holds them all (21,060 goals took 3.4 GB held at once, 1.2 GB this way).
 */
export async function headingEach(
  db: Database,
  catalog: Catalog,
  goals: Goal[],
  options: { asOf?: string; currency?: string },
  each: (heading: GoalHeading) => void | Promise<void>,
): Promise<Omit<Overview, 'goals'>> {
  const known = await asOfOrNull(db, options.asOf);
  const asOf = known ?? new Date().toISOString().slice(0, 10);
  const balance: Balance = { business: EMPTY_COUNTS(), community: EMPTY_COUNTS() };
  const write = async ({ prepared, assessed }: { prepared: Prepared[]; assessed: Promise<Assessment[]> }) => {
    const done = await assessed;
    let next = 0;
    for (const p of prepared) {
      const h = 'done' in p ? p.done : p.finish(done[next++]!, null);
      balance[h.objective].goals++;
      balance[h.objective][h.status]++;
      await each(h);
    }
  };
  const ahead: Array<{ prepared: Prepared[]; assessed: Promise<Assessment[]> }> = [];
  for (let from = 0; from < goals.length; from += BATCH) {
    const prepared = await Promise.all(
      goals
        .slice(from, from + BATCH)
        .map((g) => prepareHeading(db, catalog, g, { asOf: options.asOf, currency: options.currency })),
    );
    const pending = prepared.flatMap((p) => ('args' in p ? [p.args] : []));
    // The first batch may be refused (a busy server says so before any answer); later ones belong
    // to work already under way, and wait for room rather than cut a streamed answer part way.
    const assessed = pending.length ? (from ? offloadWhenFree : offload)('assess', pending) : Promise.resolve([]);
    // Awaited later, in order; a failure meanwhile (or after a writer stopped) is not left unhandled.
    assessed.catch(() => undefined);
    ahead.push({ prepared, assessed });
    if (ahead.length >= AHEAD) await write(ahead.shift()!);
  }
  while (ahead.length) await write(ahead.shift()!);
  return { as_of: asOf, balance };
}
