import { createRoute, z } from '@hono/zod-openapi';
import type { Role } from '../auth/tokens.ts';
import type { AppDeps } from '../context.ts';
import { router } from '../router.ts';

const whoami = createRoute({
  method: 'get',
  path: '/whoami',
  summary: 'The role of the presented token, and whether reads need one',
  responses: {
    200: {
      description: 'Identity',
      content: {
        'application/json': {
          schema: z.object({ role: z.enum(['viewer', 'analyst', 'admin']).nullable(), reads_need_token: z.boolean() }),
        },
      },
    },
  },
});

export const authRoutes = (deps: AppDeps) =>
  router<{ Variables: { role: Role | null } }>().openapi(whoami, (c) =>
    c.json({ role: c.get('role') ?? null, reads_need_token: deps.auth.readsNeedToken }, 200),
  );
