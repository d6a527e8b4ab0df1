import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import { listAnnotations } from '../../data/annotations.ts';
import { BearingError } from '../../data/errors.ts';
import { cacheKey } from '../../metrics/cacheKeys.ts';
import { deleteGoal, goalProblems, upsertGoal, type Goal } from '../../metrics/goals.ts';
import { goalHeading, headingEach, headingOverview } from '../../metrics/heading/heading.ts';
import { callerContext, currentCaller } from '../../metrics/offload/caller.ts';
import { failures } from '../../metrics/rollups.ts';
import type { AppDeps } from '../context.ts';
import { ErrorBody, GoalHeadingSchema, GoalInput, IsoDate, json, OverviewSchema } from '../schemas.ts';
import { router } from '../router.ts';
import { settingsOf } from '../settings.ts';
import { SpillCache } from '../spillCache.ts';
import { listHead, textStream } from '../textStream.ts';
import { serverGoals } from '../goalsFile.ts';

const IdParam = z.object({ id: z.string().max(80) });
const AsOf = z.object({ as_of: IsoDate.optional() });

const overview = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every goal read like a GPS, with the business/community balance',
  request: { query: AsOf },
  responses: { 200: json(OverviewSchema, 'Overview') },
});
const detail = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'One goal with its series, trend line, projection band and annotations',
  request: { params: IdParam, query: AsOf },
  responses: { 200: json(GoalHeadingSchema, 'Goal'), 404: json(ErrorBody, 'Unknown goal') },
});
const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Add a goal (written to the goals file)',
  request: { body: { content: { 'application/json': { schema: GoalInput } } } },
  responses: {
    201: json(GoalHeadingSchema, 'Created'),
    409: json(ErrorBody, 'Exists'),
    422: json(ErrorBody, 'Invalid goal'),
  },
});
const replace = createRoute({
  method: 'put',
  path: '/{id}',
  summary: 'Replace a goal',
  request: { params: IdParam, body: { content: { 'application/json': { schema: GoalInput } } } },
  responses: {
    200: json(GoalHeadingSchema, 'Replaced'),
    404: json(ErrorBody, 'Unknown goal'),
    422: json(ErrorBody, 'Invalid goal'),
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Delete a goal',
  request: { params: IdParam },
  responses: { 200: json(z.object({ deleted: z.string() }), 'Deleted'), 404: json(ErrorBody, 'Unknown goal') },
});

/** A JSON answer already encoded, typed as the route's own (so the typed client still knows it). */
function jsonText<T>(c: Context, text: string) {
  return c.body(text, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<T, 200, 'json'>;
}

/**
 * Goals answered as one cached text; beyond this the answer (about 14 KB a goal) is more than the
 * result cache keeps, and is written goal by goal as it is read (`streamedOverview`).
 */
const WHOLE_UP_TO = 1000;

/**
 * Every goal's reading written as it is made, never held whole: 21,060 goals (296 MB of JSON) held
 * the event loop 10 s at a time and 3.4 GB of heap when built as one answer. `goals` comes first,
 * then `as_of`, `balance` and `problems`. The text is also written to a file (api/spillCache.ts) and
 * the next request with the same key is read from it (1,044 goals: 6.8 s computed, 0.3–0.6 s read).
 */
async function streamedOverview(
  c: Context,
  deps: AppDeps,
  spill: SpillCache,
  goals: Goal[],
  problems: unknown[],
  options: { asOf?: string; currency: string; key: string },
) {
  const version = deps.db.dataVersion;
  const { key } = options;
  const kept = version === undefined ? undefined : spill.read(key, version);
  // The same answer being written for another request now: followed, not computed twice (two
  // dashboards, or the CLI beside one, asking at once).
  const followed = kept || version === undefined ? undefined : spill.follow(key, version);
  const headers = {
    'content-type': 'application/json',
    'x-bearing-cache': kept ? 'hit' : followed ? 'shared' : 'miss',
  };
  const body = kept ?? (await followed) ?? (await computedOverview(deps, spill, goals, problems, options, version));
  return c.body(body, 200, headers) as unknown as TypedResponse<z.infer<typeof OverviewSchema>, 200, 'json'>;
}

/** The overview written as its readings are made, and to the spill file others may follow. */
function computedOverview(
  deps: AppDeps,
  spill: SpillCache,
  goals: Goal[],
  problems: unknown[],
  options: { asOf?: string; currency: string; key: string },
  version: number | undefined,
) {
  // The work stops when this client has left and nobody follows it: its queued forecasts are
  // dropped then, not when this client alone goes.
  let left = false;
  const stop = new AbortController();
  const idle = () => {
    if (left && !file?.followers) stop.abort();
  };
  const file = version === undefined ? undefined : spill.writer(options.key, version, idle);
  const { caller } = currentCaller();
  return textStream(
    (write) =>
      callerContext.run({ caller, signal: stop.signal }, async () => {
        const push = (text: string) => {
          file?.write(text);
          return write(text);
        };
        try {
          let n = 0;
          // One goal a line (JSON allows the line breaks): the CLI beside the server reads them one at a
          // time (api/cli/remote.ts), never the whole answer as one string.
          const rest = await headingEach(deps.db, deps.catalog, goals, options, (g) =>
            push(`${n++ ? ',\n' : `${listHead('goals')}\n`}${JSON.stringify(g)}`),
          );
          const tail = JSON.stringify({ ...rest, problems }).slice(1);
          await push(n ? `\n],${tail}` : `${listHead('goals')}],${tail}`);
          // Kept only if the data did not move on while the answer was made.
          if (deps.db.dataVersion === version) file?.keep();
          else file?.discard();
        } catch (error) {
          file?.drop(error);
          throw error;
        }
      }),
    {
      wanted: () => Boolean(file?.followers),
      onCancel: () => {
        left = true;
        idle();
      },
    },
  );
}

async function loadGoals(deps: AppDeps) {
  const file = await serverGoals(deps);
  return { ...file, problems: file.problems.map((p) => ({ ...p, file: p.file.split('/').pop()! })) };
}

function checked(deps: AppDeps, goal: Goal): Goal {
  const problems = goalProblems(goal, deps.catalog);
  if (problems.length) throw new BearingError('goal-invalid', problems.join('; '), { problems });
  return goal;
}

/**
 * What a reading depends on besides the data, its goals and definitions: stored series that failed
 * (a reading names them) and today's date (the reading's date when the data hold none).
 */
export async function readingContext(db: AppDeps['db']): Promise<{ failedSeries: number; today: string }> {
  const failedSeries = db.useRollups ? (await failures(db)).size : 0;
  return { failedSeries, today: new Date().toISOString().slice(0, 10) };
}

/** Everything one goal's page reading depends on besides the data and its notes (see cacheKey.goal). */
export async function goalKey(
  deps: Pick<AppDeps, 'db' | 'catalog'>,
  goal: Goal,
  asOf: string | undefined,
  currency: string,
): Promise<string> {
  return cacheKey.goal(
    { currency, goal, asOf: asOf ?? null, ...(await readingContext(deps.db)) },
    deps.catalog.resolve,
  );
}

/**
 * One goal's reading with its backtest (about 30 forecasts) under its key: cached, and kept in the
 * database like the overview. Its notes are not part of it: a note is a write that leaves the data
 * version where it is, so a kept reading that carried them would show them stale.
 */
export const keptGoalReading = (
  deps: Pick<AppDeps, 'db' | 'catalog'>,
  goal: Goal,
  key: string,
  options: { asOf?: string; currency: string },
) =>
  deps.db.cached(
    key,
    () =>
      goalHeading(deps.db, deps.catalog, goal, { asOf: options.asOf, withBacktest: true, currency: options.currency }),
    { stored: true },
  );

/** Everything the overview's reading depends on besides the data (see cacheKey.overview). */
export async function overviewKey(
  deps: Pick<AppDeps, 'db' | 'catalog'>,
  goals: Goal[],
  asOf: string | undefined,
  currency: string,
): Promise<string> {
  return cacheKey.overview(
    { currency, goals, asOf: asOf ?? null, ...(await readingContext(deps.db)) },
    deps.catalog.resolve,
  );
}

/**
 * The overview's reading under its key: cached, and kept in the database too, so a restarted server
 * (or a test server on a copy of the sample) shows the heading without forecasting every goal again.
 */
export const keptOverview = (
  deps: Pick<AppDeps, 'db' | 'catalog'>,
  goals: Goal[],
  key: string,
  options: { asOf?: string; currency: string },
) => deps.db.cached(key, () => headingOverview(deps.db, deps.catalog, goals, options), { stored: true });

export function goalRoutes(deps: AppDeps) {
  // Overviews past WHOLE_UP_TO goals, kept on disk (this app's own: its data versions are its own).
  const spill = new SpillCache();
  return router()
    .openapi(overview, async (c) => {
      const { goals, problems } = await loadGoals(deps);
      const asOf = c.req.valid('query').as_of;
      const currency = settingsOf(deps).currency;
      // The first screen of every dashboard: computed once for everything `overviewKey` names, and kept
      // across restarts (the goals file is still read on every request, so edits show at once).
      const key = await overviewKey(deps, goals, asOf, currency);
      // The answer as text also depends on the goals file's problems (the reading does not).
      const textKey = `${key}\u0000json\u0000${JSON.stringify(problems)}`;
      if (goals.length > WHOLE_UP_TO)
        return streamedOverview(c, deps, spill, goals, problems, { asOf, currency, key: textKey });
      // The answer is kept as its JSON text: encoding ~50 KB was most of a warm request's time.
      const text = await deps.db.cached(textKey, async () => {
        const result = await keptOverview(deps, goals, key, { asOf, currency });
        return JSON.stringify({ ...result, problems });
      });
      return jsonText<z.infer<typeof OverviewSchema>>(c, text);
    })
    .openapi(detail, async (c) => {
      const { id } = c.req.valid('param');
      const goal = (await loadGoals(deps)).goals.find((g) => g.id === id);
      if (!goal) throw new BearingError('unknown-goal', `no goal with id "${id}"`);
      const asOf = c.req.valid('query').as_of;
      const currency = settingsOf(deps).currency;
      const key = await goalKey(deps, goal, asOf, currency);
      // The page as text, computed again after a note (data/db.ts writeNotes); its reading is kept.
      const text = await deps.db.cached(`${key}\u0000json`, async () => {
        const reading = await keptGoalReading(deps, goal, key, { asOf, currency });
        const annotations = await listAnnotations(deps.db, { metric: goal.metric, goal: goal.id });
        return JSON.stringify({ ...reading, annotations });
      });
      return jsonText<z.infer<typeof GoalHeadingSchema>>(c, text);
    })
    .openapi(create, async (c) => {
      const goal = checked(deps, c.req.valid('json'));
      upsertGoal(deps.goalsFile, goal, 'create');
      const currency = settingsOf(deps).currency;
      return c.json(
        await goalHeading(deps.db, deps.catalog, goal, { withAnnotations: true, withBacktest: true, currency }),
        201,
      );
    })
    .openapi(replace, async (c) => {
      const { id } = c.req.valid('param');
      const goal = checked(deps, c.req.valid('json'));
      if (goal.id !== id)
        throw new BearingError('goal-invalid', `the body's id "${goal.id}" differs from the URL's "${id}"`);
      upsertGoal(deps.goalsFile, goal, 'replace');
      const currency = settingsOf(deps).currency;
      return c.json(
        await goalHeading(deps.db, deps.catalog, goal, { withAnnotations: true, withBacktest: true, currency }),
        200,
      );
    })
    .openapi(remove, (c) => {
      const { id } = c.req.valid('param');
      deleteGoal(deps.goalsFile, id);
      return c.json({ deleted: id }, 200);
    });
}
