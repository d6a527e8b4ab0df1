// Sources through the API: list them with their status and last sync, check a candidate file,
// write one (checked first, atomic), sync, the import history, and removing the sample world.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { writeFileAtomic } from '../../data/atomicFile.ts';
import type { Problem } from '../../data/problems.ts';
import { BearingError } from '../../data/errors.ts';
import { readHistory } from '../../data/history.ts';
import { readLifecycle } from '../../data/lifecycle.ts';
import { readFacts, removeSampleData } from '../../data/schema.ts';
import { isSourcesFileName } from '../../data/sources/definition.ts';
import { checkSources, planSources, syncSources } from '../../data/sources/index.ts';
import { whoOf } from '../caller.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { settingsOf } from '../settings.ts';
import { ErrorBody, IsoDate, json, ProblemSchema } from '../schemas.ts';
import { Report } from './import.ts';

const SourceInfo = z.object({
  name: z.string(),
  file: z.string(),
  table: z.string(),
  files: z.array(z.string()),
  status: z.enum(['ok', 'problems', 'failing']).openapi({
    description: 'problems: its definition has problems; failing: its last sync left it out, for first_problem',
  }),
  problems: z.array(ProblemSchema),
  last_sync: z
    .object({ at: z.string(), ok: z.boolean(), who: z.string(), first_problem: z.string().nullable() })
    .nullable(),
});

const CheckBody = z.strictObject({
  file: z.string().max(120).optional(),
  text: z.string().max(200_000).optional(),
  sources: z.array(z.string().max(63)).max(100).optional(),
  preview: z.number().int().min(0).max(100).optional(),
});

function workspaceOf(deps: AppDeps) {
  if (!deps.workspace)
    throw new BearingError('not-found', 'this server has no workspace folder, so no sources (see bearing init)');
  return deps.workspace;
}

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every source with its status, last sync and the freshness of each table',
  responses: {
    200: json(
      z.object({
        sources: z.array(SourceInfo),
        problems: z.array(ProblemSchema),
        tables: z.record(z.string(), z.object({ rows: z.number(), complete_through: z.string().nullable() })),
      }),
      'Sources',
    ),
  },
});

const checkRoute = createRoute({
  method: 'post',
  path: '/check',
  summary: 'Check the sources (optionally with one file replaced by `text`) against their files; writes nothing',
  request: { body: { content: { 'application/json': { schema: CheckBody } }, required: false } },
  responses: { 200: json(z.record(z.string(), z.unknown()), 'The check: problems, data problems, previews') },
});

const putRoute = createRoute({
  method: 'put',
  path: '/{file}',
  summary: 'Write a sources file, checked first (422 with its problems, nothing written); atomic',
  request: {
    params: z.object({ file: z.string() }),
    body: { content: { 'application/json': { schema: z.strictObject({ text: z.string().max(200_000) }) } } },
  },
  responses: { 200: json(z.record(z.string(), z.unknown()), 'Written'), 422: json(ErrorBody, 'Problems') },
});

const problemKey = (p: Problem) => `${p.file}:${p.line}:${p.col}:${p.field}:${p.message}`;

/**
 * The planned sources for a listing, shared by every listing asked for while one is planned and
 * for a few seconds after, as long as no sources file changed: planning reads a header per file
 * (300 sources took about half a second), and eight listings at once once held the server.
 */
const LISTING_TTL_MS = 5000;
let listing: { key: string; at: number; planned: ReturnType<typeof planSources> } | null = null;

function sourcesFingerprint(dir: string, version: number): string {
  const files = existsSync(dir) ? readdirSync(dir).filter(isSourcesFileName).sort() : [];
  const stamps = files.map((f) => {
    const st = statSync(join(dir, f), { bigint: true });
    return `${f}:${st.size}:${st.mtimeNs}`;
  });
  return `${dir}\u0000${version}\u0000${stamps.join('\u0000')}`;
}

async function plannedForListing(deps: AppDeps) {
  const workspace = workspaceOf(deps);
  const facts = await deps.db.read(readFacts);
  const key = sourcesFingerprint(workspace.sourcesDir, facts.data_version);
  if (!listing || listing.key !== key || Date.now() - listing.at > LISTING_TTL_MS) {
    const planned = deps.db.aside((s) => planSources(s, workspace, settingsOf(deps)));
    listing = { key, at: Date.now(), planned };
    planned.catch(() => {
      if (listing?.planned === planned) listing = null;
    });
  }
  return listing.planned;
}

async function listSources(deps: AppDeps) {
  const planned = await plannedForListing(deps);
  const history = await deps.db.read((s) => readHistory(s, 200));
  const facts = await deps.db.read(readFacts);
  const sources = planned.plans.map((p) => {
    const problems = planned.problems.filter(
      (x) => x.file === p.source.file && x.field.startsWith(`sources.${p.source.index}`),
    );
    const last = history.find((h) => h.sources.includes(p.source.name));
    return {
      name: p.source.name,
      file: p.source.file,
      table: p.source.table,
      files: p.files.map((f) => f.label),
      status: problems.length ? ('problems' as const) : last && !last.ok ? ('failing' as const) : ('ok' as const),
      problems,
      last_sync: last ? { at: last.at, ok: last.ok, who: last.who, first_problem: last.problems[0] ?? null } : null,
    };
  });
  const tables = Object.fromEntries(
    Object.entries(facts.tables).map(([t, rows]) => [
      t,
      { rows, complete_through: facts.complete_through[t as 'customers'] },
    ]),
  );
  return { sources, problems: planned.problems, tables };
}

export const sourceRoutes = (deps: AppDeps) =>
  router()
    .openapi(listRoute, async (c) => c.json(await listSources(deps), 200))
    .openapi(checkRoute, async (c) => {
      const body = CheckBody.parse((await c.req.json().catch(() => ({}))) ?? {});
      if (body.file !== undefined && !isSourcesFileName(body.file))
        throw new BearingError('invalid-request', 'file must be a name such as shop.yaml');
      const overrides = body.file && body.text !== undefined ? { [body.file]: body.text } : {};
      const check = await checkSources(deps.db, workspaceOf(deps), settingsOf(deps), {
        only: body.sources,
        preview: body.preview,
        overrides,
      });
      return c.json(check as unknown as Record<string, unknown>, 200);
    })
    .openapi(putRoute, async (c) => {
      const { file } = c.req.valid('param');
      const { text } = c.req.valid('json');
      if (!isSourcesFileName(file)) throw new BearingError('invalid-request', 'file must be a name such as shop.yaml');
      const workspace = workspaceOf(deps);
      // The whole folder as it would be after the write: a duplicate name is reported in the other
      // file, and a write that breaks another file would make every sync fail.
      const now = await deps.db.aside((s) => planSources(s, workspace, settingsOf(deps)));
      const planned = await deps.db.aside((s) => planSources(s, workspace, settingsOf(deps), [], { [file]: text }));
      const known = new Set(now.problems.map(problemKey));
      const problems = planned.problems.filter((p) => p.file === file || !known.has(problemKey(p)));
      if (problems.length)
        throw new BearingError('sources-invalid', `${file} has ${problems.length} problem(s); nothing was written`, {
          problems,
        });
      writeFileAtomic(join(workspace.sourcesDir, file), text);
      return c.json(
        { file, sources: planned.plans.filter((p) => p.source.file === file).map((p) => p.source.name) },
        200,
      );
    });

const SyncBody = z.strictObject({
  sources: z.array(z.string().max(63)).max(100).optional(),
  full_refresh: z.boolean().optional(),
  complete_through: IsoDate.optional().openapi({
    description: 'Declare the synced tables complete through this date (a source’s own complete_through wins)',
  }),
});

const syncRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Import every source (or the named ones) in one transaction; all or nothing',
  request: { body: { content: { 'application/json': { schema: SyncBody } }, required: false } },
  responses: { 200: json(Report, 'Synced'), 422: json(ErrorBody, 'Rejected: nothing changed') },
});

export const syncRoutes = (deps: AppDeps) =>
  router().openapi(syncRoute, async (c) => {
    const body = SyncBody.parse((await c.req.json().catch(() => ({}))) ?? {});
    const report = await syncSources(deps.db, workspaceOf(deps), settingsOf(deps), {
      only: body.sources,
      fullRefresh: body.full_refresh,
      completeThrough: body.complete_through,
      who: whoOf(c, deps.auth.tokens),
    });
    if (report.data_version_changed) {
      await deps.catalog.reload(deps.db); // kept columns are new dimensions
      void deps.rollups?.schedule();
    }
    return c.json(report, 200);
  });

const historyRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every import and sync, newest first: who, when, files (SHA-256), rows per table, or the problems',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }) },
  responses: { 200: json(z.object({ imports: z.array(z.record(z.string(), z.unknown())) }), 'History') },
});

export const historyRoutes = (deps: AppDeps) =>
  router().openapi(historyRoute, async (c) => {
    const { limit } = c.req.valid('query');
    const imports = await deps.db.read((s) => readHistory(s, limit ?? 50));
    return c.json({ imports: imports as unknown as Record<string, unknown>[] }, 200);
  });

const sampleRoute = createRoute({
  method: 'delete',
  path: '/',
  summary: 'Remove the sample world (its rows and the stored series; your own rows and notes stay); admin only',
  responses: { 200: json(z.object({ removed: z.boolean() }), 'Removed') },
});

const lifecycleRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Dates Bearing inferred: signups from first activity, churn from inactivity (the rule in force)',
  responses: { 200: json(z.record(z.string(), z.unknown()), 'Lifecycle') },
});

export const sampleRoutes = (deps: AppDeps) =>
  router().openapi(sampleRoute, async (c) => {
    const facts = await deps.db.read(readFacts);
    if (!facts.sample) return c.json({ removed: false }, 200);
    await deps.db.write(removeSampleData);
    await deps.catalog.reload(deps.db);
    return c.json({ removed: true }, 200);
  });

export const lifecycleRoutes = (deps: AppDeps) =>
  router().openapi(lifecycleRoute, async (c) => {
    const facts = await deps.db.read(readLifecycle);
    return c.json(facts as unknown as Record<string, unknown>, 200);
  });
