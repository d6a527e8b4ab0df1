import { createRoute, z } from '@hono/zod-openapi';
import { deleteExperiment, listExperiments, saveExperiment } from '../../data/experiments.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';
import { ErrorBody, IsoDate, json } from '../schemas.ts';

const Experiment = z
  .object({
    experiment_id: z.string(),
    channel: z.string(),
    start: z.string(),
    end: z.string(),
    metric: z.string(),
    lift: z.number(),
    lift_se: z.number(),
    spend: z.number().nullable(),
    notes: z.string().nullable(),
  })
  .openapi('Experiment');
const Body = z.strictObject({
  channel: z.string().min(1).max(200),
  start: IsoDate,
  end: IsoDate,
  metric: z.string().min(1).max(200),
  lift: z.number(),
  lift_se: z.number().min(0),
  spend: z.number().min(0).nullable().optional(),
  notes: z.string().max(2000).nullable().optional(),
});
const Id = z.object({ id: z.string().min(1).max(200) });

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'Every lift test (experiments table)',
  responses: { 200: json(z.object({ experiments: z.array(Experiment) }), 'The experiments') },
});
const put = createRoute({
  method: 'put',
  path: '/{id}',
  summary: 'Add or replace one experiment (analyst)',
  request: { params: Id, body: { content: { 'application/json': { schema: Body } } } },
  responses: { 200: json(Experiment, 'Saved'), 400: json(ErrorBody, 'Bad request') },
});
const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Delete one experiment (analyst)',
  request: { params: Id },
  responses: { 200: json(z.object({ deleted: z.string() }), 'Deleted'), 404: json(ErrorBody, 'No such experiment') },
});

export const experimentRoutes = (deps: AppDeps) =>
  router()
    .openapi(list, async (c) => c.json({ experiments: await listExperiments(deps.db) }, 200))
    .openapi(put, async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const saved = await saveExperiment(deps.db, {
        ...b,
        experiment_id: id,
        spend: b.spend ?? null,
        notes: b.notes ?? null,
      });
      return c.json(saved, 200);
    })
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await deleteExperiment(deps.db, id);
      return c.json({ deleted: id }, 200);
    });
