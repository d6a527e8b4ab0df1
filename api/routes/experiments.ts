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
// As the importer reads the same table: names without control characters, amounts finite and in a
// range where sums stay exact (|x| ≤ 1e12).
const Name = z
  .string()
  .min(1)
  .max(200)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'expected a name without control characters');
const Amount = z.number().finite().min(-1e12).max(1e12);
const Body = z.strictObject({
  channel: Name,
  start: IsoDate,
  end: IsoDate,
  metric: Name,
  lift: Amount,
  lift_se: Amount.min(0),
  spend: Amount.min(0).nullable().optional(),
  notes: z
    .string()
    .max(2000)
    .refine(
      (v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v),
      'expected text without control characters',
    )
    .nullable()
    .optional(),
});
const Id = z.object({ id: Name });

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
