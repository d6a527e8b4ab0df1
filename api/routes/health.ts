import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { readFacts } from '../../data/schema.ts';
import type { AppDeps } from '../context.ts';
import { validationHook } from '../validation.ts';

const Health = z
  .object({
    ok: z.boolean(),
    as_of: z.string().nullable().openapi({ description: 'Latest event date in the data (YYYY-MM-DD)' }),
    data_version: z.number().int(),
    tables: z.record(z.string(), z.number().int()).openapi({ description: 'Row count per contract table' }),
  })
  .openapi('Health');

const getHealth = createRoute({
  method: 'get',
  path: '/',
  summary: 'Server health, the as-of date and row counts',
  responses: { 200: { description: 'Healthy', content: { 'application/json': { schema: Health } } } },
});

export const healthRoutes = (deps: AppDeps) =>
  new OpenAPIHono({ defaultHook: validationHook }).openapi(getHealth, async (c) => {
    const facts = await deps.db.read(readFacts);
    return c.json({ ok: true, as_of: facts.as_of, data_version: facts.data_version, tables: facts.tables }, 200);
  });
