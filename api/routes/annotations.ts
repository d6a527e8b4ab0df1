import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createAnnotation,
  deleteAnnotation,
  getAnnotation,
  listAnnotations,
  updateAnnotation,
} from '../../data/annotations.ts';
import { requireRole } from '../auth/middleware.ts';
import { whoOf } from '../caller.ts';
import type { AppDeps } from '../context.ts';
import { AnnotationInput, AnnotationSchema, ErrorBody, IsoDate, json } from '../schemas.ts';
import { router } from '../router.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const Filter = z.object({
  metric: z.string().optional(),
  goal: z.string().optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'Annotations, optionally for a metric or goal and a date range',
  request: { query: Filter },
  responses: { 200: json(z.object({ annotations: z.array(AnnotationSchema) }), 'Annotations') },
});
const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Add an annotation',
  request: { body: { content: { 'application/json': { schema: AnnotationInput } } } },
  responses: { 201: json(AnnotationSchema, 'Created') },
});
const update = createRoute({
  method: 'put',
  path: '/{id}',
  summary: 'Edit an annotation',
  request: { params: IdParam, body: { content: { 'application/json': { schema: AnnotationInput } } } },
  responses: {
    200: json(AnnotationSchema, 'Updated'),
    403: json(ErrorBody, 'Another writer’s note, without the admin role'),
    404: json(ErrorBody, 'Unknown annotation'),
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Delete an annotation',
  request: { params: IdParam },
  responses: { 200: json(z.object({ deleted: z.number() }), 'Deleted'), 404: json(ErrorBody, 'Unknown annotation') },
});

export const annotationRoutes = (deps: AppDeps) =>
  router()
    .openapi(list, async (c) => c.json({ annotations: await listAnnotations(deps.db, c.req.valid('query')) }, 200))
    // A note is always signed by the token that wrote it (its label, role and id): an author in
    // the body is not taken, so nobody signs as someone else.
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      return c.json(await createAnnotation(deps.db, { ...body, author: whoOf(c, deps.auth.tokens) }), 201);
    })
    .openapi(update, async (c) => {
      const { id } = c.req.valid('param');
      await mayChange(deps, c, id);
      const { author: _ignored, ...body } = c.req.valid('json');
      return c.json(await updateAnnotation(deps.db, id, body), 200);
    })
    .openapi(remove, async (c) => {
      const { id } = c.req.valid('param');
      await mayChange(deps, c, id);
      await deleteAnnotation(deps.db, id);
      return c.json({ deleted: id }, 200);
    });

/** A note is edited or deleted by its writer, or by an admin; the author never changes. */
async function mayChange(deps: AppDeps, c: Context, id: number): Promise<void> {
  const note = await getAnnotation(deps.db, id);
  if (note.author === whoOf(c, deps.auth.tokens)) return;
  requireRole(c, 'admin', `changing a note written by ${note.author ?? 'someone else'}`);
}
