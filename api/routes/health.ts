import { createRoute, z } from '@hono/zod-openapi';
import { readLifecycle } from '../../data/lifecycle.ts';
import { readExtras, readFacts, readTableRanges } from '../../data/schema.ts';
import { settingsOf } from '../settings.ts';
import { failures } from '../../metrics/rollups.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';

const TableFacts = z.object({
  rows: z.number().int(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  complete_through: z
    .string()
    .nullable()
    .openapi({
      description:
        'The latest date this table is complete through: its latest date, or one declared at import. Metrics reading ' +
        'it are computed as of this date.',
    }),
  declared: z.boolean(),
});

const Health = z
  .object({
    ok: z.boolean(),
    as_of: z.string().nullable().openapi({ description: 'Latest event date in the data (YYYY-MM-DD)' }),
    data_version: z.number().int(),
    tables: z
      .record(z.string(), TableFacts)
      .openapi({ description: 'Per contract table: rows, date range and the date it is complete through' }),
    ranges: z
      .array(TableFacts.extend({ name: z.string() }))
      .openapi({ description: 'The same per table, as a list in load order' }),
    rollups: z
      .object({
        refreshing: z.boolean(),
        sets: z.number().int(),
        computed: z.number().int(),
        ms: z.number(),
        finished_at: z.string().nullable(),
        not_stored: z.array(z.object({ metric: z.string(), dimension: z.string().nullable() })).openapi({
          description:
            'Month series larger than one answer may hold (BEARING_MAX_ROWS): not stored; their breakdowns are ' +
            'computed on request',
        }),
        failed: z
          .array(z.object({ metric: z.string(), dimension: z.string().nullable(), message: z.string() }))
          .openapi({
            description:
              'Stored series that could not be computed (time limit, run-time error): skipped until their ' +
              'definition changes',
          }),
      })
      .nullable()
      .openapi({
        description:
          'Stored month series: whether a refresh runs now, and the last refresh (sets needed, sets computed, ' +
          'time). null when rollups are off.',
      }),
    sample: z.boolean().openapi({ description: 'Whether the database holds the generated sample world' }),
    settings: z
      .object({ timezone: z.string(), currency: z.string(), inactive_after_days: z.number().nullable() })
      .openapi({ description: "The workspace's bearing.yaml: time zone, currency, churn from inactivity" }),
    lifecycle: z
      .object({
        inactive_after_days: z.number().nullable(),
        signup_inferred: z.number(),
        churn_inferred: z.number(),
        without_signup: z.number(),
      })
      .openapi({ description: 'Customers whose signup (first activity) or churn (inactivity) Bearing inferred' }),
    extras: z
      .record(z.string(), z.array(z.string()))
      .openapi({ description: 'Extra columns kept by sources, per table (usable as dimensions)' }),
  })
  .openapi('Health');

const getHealth = createRoute({
  method: 'get',
  path: '/',
  summary: 'Server health, the as-of date and row counts',
  responses: { 200: { description: 'Healthy', content: { 'application/json': { schema: Health } } } },
});

export const healthRoutes = (deps: AppDeps) =>
  router().openapi(getHealth, async (c) => {
    // Once per data version, in memory only: storing an answer waits for the writer, and a health
    // check must never wait behind a sync.
    const [facts, ranges, lifecycle, extras] = await deps.db.cached('health', () =>
      deps.db.read(
        async (s) =>
          [await readFacts(s), await readTableRanges(s), await readLifecycle(s), await readExtras(s)] as const,
      ),
    );
    const settings = settingsOf(deps);
    const r = deps.rollups;
    const failed = deps.db.useRollups
      ? [...(await failures(deps.db)).values()].filter((f) => deps.catalog.get(f.metric))
      : [];
    const rollups =
      r && deps.db.useRollups
        ? {
            refreshing: r.busy,
            sets: r.last?.sets ?? 0,
            computed: r.last?.computed ?? 0,
            ms: Math.round(r.last?.ms ?? 0),
            finished_at: r.last?.finished_at ?? null,
            failed,
            not_stored: r.last?.not_stored ?? [],
          }
        : null;
    const tables = ranges.map((r) => ({
      ...r,
      complete_through: facts.complete_through[r.name],
      declared: facts.declared.includes(r.name),
    }));
    return c.json(
      {
        ok: true,
        as_of: facts.as_of,
        data_version: facts.data_version,
        tables: Object.fromEntries(tables.map(({ name, ...t }) => [name, t])),
        ranges: tables,
        rollups,
        sample: facts.sample,
        settings: {
          timezone: settings.timezone,
          currency: settings.currency,
          inactive_after_days: settings.churn?.inactive_after_days ?? null,
        },
        lifecycle,
        extras: extras as Record<string, string[]>,
      },
      200,
    );
  });
