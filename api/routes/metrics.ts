import { createRoute, z } from '@hono/zod-openapi';
import { listAnnotations } from '../../data/annotations.ts';
import { BearingError } from '../../data/errors.ts';
import { checkDefinitions, type CheckedMetric } from '../../metrics/check.ts';
import { readDefinitionFiles } from '../../metrics/catalog.ts';
import { writeFileAtomic } from '../../data/atomicFile.ts';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSeriesQuery,
  prepareSeries,
  resolveAsOf,
  runBounded,
  runSeries,
  shapeSeries,
} from '../../metrics/series.ts';
import { referencedMetrics } from '../../metrics/compile.ts';
import { type Definition, isDerived } from '../../metrics/definition.ts';
import { callerOf } from '../caller.ts';
import { failureOf } from '../../metrics/rollups.ts';
import type { AppDeps } from '../context.ts';
import { AnnotationSchema, ErrorBody, json, ProblemSchema, SeriesQuery, SeriesSchema } from '../schemas.ts';
import { router } from '../router.ts';
import { serverGoals } from '../goalsFile.ts';

const MetricSummary = z
  .object({
    name: z.string(),
    label: z.string(),
    description: z.string(),
    unit: z.string(),
    direction: z.enum(['up', 'down']),
    kind: z.enum(['aggregate', 'derived', 'ratio']),
    owner: z.string().nullable(),
    tags: z.array(z.string()),
    dimensions: z.array(z.string()),
    file: z.string(),
    yaml: z.string(),
    sql: z.string(),
    status: z.enum(['ok', 'failed']).openapi({
      description:
        'failed: it checks, but could not be computed in the background (time limit or run-time error); see failure',
    }),
    failure: z.string().nullable(),
    used_by_goals: z.array(z.string()),
  })
  .openapi('Metric');

const Catalog = z.object({ metrics: z.array(MetricSummary), problems: z.array(ProblemSchema) }).openapi('Catalog');
const DraftBody = z.strictObject({ yaml: z.string().max(1_000_000), file: z.string().max(200).optional() });
const CheckAnswer = z.object({ ok: z.boolean(), problems: z.array(ProblemSchema) });

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The metric catalog: definitions, compiled SQL, check status',
  responses: { 200: json(Catalog, 'Catalog') },
});
const series = createRoute({
  method: 'get',
  path: '/{name}/series',
  summary: 'A metric over time',
  request: { params: z.object({ name: z.string() }), query: SeriesQuery },
  responses: {
    200: json(
      SeriesSchema.extend({ annotations: z.array(AnnotationSchema) }),
      'Series with the annotations that touch it',
    ),
    400: json(ErrorBody, 'Bad request'),
    404: json(ErrorBody, 'Unknown metric'),
    422: json(ErrorBody, 'Definition has problems'),
  },
});
const check = createRoute({
  method: 'post',
  path: '/check',
  summary: 'Check a definition (YAML text); writes nothing',
  request: { body: { content: { 'application/json': { schema: DraftBody } } } },
  responses: { 200: json(CheckAnswer, 'Problems (empty when valid)') },
});
const preview = createRoute({
  method: 'post',
  path: '/preview',
  summary: 'Check a definition and compute its series; writes nothing',
  request: { body: { content: { 'application/json': { schema: DraftBody } } }, query: SeriesQuery },
  responses: { 200: json(SeriesSchema, 'Series of the draft'), 422: json(ErrorBody, 'The draft has problems') },
});

function summary(
  deps: AppDeps,
  m: CheckedMetric,
  asOf: string | null,
  goals: Array<{ id: string; metric: string }>,
  failure: string | null,
) {
  const d = m.definition;
  let sql = '';
  try {
    sql = buildSeriesQuery(m, { asOf: asOf ?? '2000-01-01' }, deps.catalog.resolve).sql;
  } catch {
    sql = '';
  }
  return {
    name: d.name,
    label: d.label,
    description: d.description,
    unit: d.unit,
    direction: d.direction,
    kind: kindOf(deps, d),
    owner: d.owner ?? null,
    tags: d.tags ?? [],
    dimensions: m.dimensions,
    file: m.file,
    yaml: m.text,
    sql,
    status: failure ? ('failed' as const) : ('ok' as const),
    failure,
    used_by_goals: goals.filter((g) => g.metric === d.name).map((g) => g.id),
  };
}

/** A ratio is read as a derived metric over its hidden parts; the reader is told it is a ratio. */
function kindOf(deps: AppDeps, d: Definition): 'aggregate' | 'derived' | 'ratio' {
  if (!('expression' in d)) return 'aggregate';
  return deps.catalog.get(`${d.name}__numerator`)?.part_of === d.name ? 'ratio' : 'derived';
}

/**
 * Check a draft beside only the definitions it names (the metrics a derived draft references, and
 * one that already has its name), in the analyst lane: the editor checks on every keystroke, so a
 * check must never re-check the whole catalog or take a dashboard connection.
 */
async function checkDraft(deps: AppDeps, body: { yaml: string; file?: string }, caller: string, signal?: AbortSignal) {
  const draftFile = body.file ?? 'draft.yaml';
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const metric = deps.catalog.get(name);
    if (!metric || wanted.has(name)) return;
    wanted.add(name);
    if (isDerived(metric.definition))
      for (const part of referencedMetrics(metric.definition.expression, deps.catalog.resolve)) visit(part);
  };
  for (const token of new Set(body.yaml.match(/[a-z][a-z0-9_]*/g) ?? [])) visit(token);
  const files = new Set(deps.catalog.metrics.filter((m) => wanted.has(m.definition.name)).map((m) => m.file));
  const others = readDefinitionFiles(deps.catalog.dir).filter((s) => s.file !== draftFile && files.has(s.file));
  const result = await deps.db.analyst(
    caller,
    (s) => checkDefinitions(s, [...others, { file: draftFile, text: body.yaml }]),
    signal,
  );
  return {
    draft: result.metrics.find((m) => m.file === draftFile),
    problems: result.problems.filter((p) => p.file === draftFile),
  };
}

/** A metric's name in a URL: snake_case, so the file it names cannot leave the definitions folder. */
const NameParam = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'expected snake_case')
    .max(63),
});

const save = createRoute({
  method: 'put',
  path: '/{name}',
  summary: 'Save a definition: checked first, then written atomically to <name>.yaml',
  request: {
    params: NameParam,
    body: { content: { 'application/json': { schema: DraftBody } } },
  },
  responses: {
    200: json(z.object({ saved: z.string(), file: z.string() }), 'Saved'),
    422: json(ErrorBody, 'The definition has problems; nothing was written'),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/{name}',
  summary: 'Delete a definition file (analyst); goals that use it then say so',
  request: {
    params: NameParam,
  },
  responses: {
    200: json(z.object({ deleted: z.string(), file: z.string() }), 'Deleted'),
    404: json(ErrorBody, 'No such definition file'),
  },
});

// One chain per resource, so every route's types flow into AppType and the web client; each handler is short.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a chain of short route handlers
export const metricRoutes = (deps: AppDeps) =>
  router()
    .openapi(list, async (c) => {
      const asOf = await resolveAsOf(deps.db).catch(() => null);
      const problems = deps.catalog.problems;
      const goals = (await serverGoals(deps)).goals;
      const failed = await Promise.all(deps.catalog.metrics.map((m) => failureOf(deps.db, m.definition.name)));
      return c.json(
        { metrics: deps.catalog.metrics.map((m, i) => summary(deps, m, asOf, goals, failed[i]!)), problems },
        200,
      );
    })
    .openapi(series, async (c) => {
      const { name } = c.req.valid('param');
      const q = c.req.valid('query');
      const metric = deps.catalog.get(name);
      if (!metric) {
        const broken = deps.catalog.problems.filter((p) => p.file === `${name}.yaml`);
        if (broken.length)
          throw new BearingError(
            'definition-invalid',
            `metric "${name}" has ${broken.length} problem(s); fix its definition`,
            { problems: broken },
          );
        throw new BearingError('unknown-metric', `no metric named "${name}"`);
      }
      const result = await runSeries(
        deps.db,
        metric,
        { grain: q.grain, from: q.from, to: q.to, asOf: q.as_of, by: q.by, where: q.where, top: q.top },
        deps.catalog.resolve,
      );
      const annotations = await listAnnotations(deps.db, {
        metric: name,
        from: result.rows[0]?.period,
        to: result.as_of,
      });
      return c.json({ ...result, annotations }, 200);
    })
    .openapi(check, async (c) => {
      const { problems } = await checkDraft(deps, c.req.valid('json'), callerOf(c), c.req.raw.signal);
      return c.json({ ok: problems.length === 0, problems }, 200);
    })
    .openapi(preview, async (c) => {
      const body = c.req.valid('json');
      const q = c.req.valid('query');
      const caller = callerOf(c);
      const { draft, problems } = await checkDraft(deps, body, caller, c.req.raw.signal);
      if (!draft || problems.length)
        throw new BearingError('definition-invalid', `the definition has ${problems.length} problem(s)`, {
          problems,
        });
      const resolve = (n: string) => (n === draft.definition.name ? draft.definition : deps.catalog.resolve(n));
      const request = { grain: q.grain, from: q.from, to: q.to, asOf: q.as_of, by: q.by, where: q.where };
      const { asOf, query } = await prepareSeries(deps.db, draft, request, resolve);
      const rows = await deps.db.analyst(
        caller,
        (s) => runBounded((sql, params) => s.all(sql, params), query),
        c.req.raw.signal,
      );
      return c.json(shapeSeries(draft, request, asOf, rows), 200);
    })
    .openapi(save, async (c) => {
      const { name } = c.req.valid('param');
      const body = c.req.valid('json');
      const file = `${name}.yaml`;
      const { draft, problems } = await checkDraft(deps, { yaml: body.yaml, file }, callerOf(c));
      if (!draft || problems.length)
        throw new BearingError(
          'definition-invalid',
          `the definition has ${problems.length} problem(s); nothing was written`,
          { problems },
        );
      if (draft.definition.name !== name)
        throw new BearingError(
          'definition-invalid',
          `the definition's name "${draft.definition.name}" must match the URL's "${name}"`,
          { problems: [] },
        );
      // The name is snake_case (checked above), so the path cannot leave the definitions folder.
      writeFileAtomic(join(deps.catalog.dir, file), body.yaml);
      await deps.catalog.reload(deps.db);
      void deps.rollups?.schedule();
      return c.json({ saved: name, file }, 200);
    })
    .openapi(remove, async (c) => {
      const { name } = c.req.valid('param');
      // The file named after the metric, or the file that defines it under another name.
      const file = deps.catalog.get(name)?.file ?? `${name}.yaml`;
      const path = join(deps.catalog.dir, file);
      if (!existsSync(path)) throw new BearingError('unknown-metric', `no definition file for "${name}"`);
      rmSync(path);
      await deps.catalog.reload(deps.db);
      void deps.rollups?.schedule();
      return c.json({ deleted: name, file }, 200);
    });
