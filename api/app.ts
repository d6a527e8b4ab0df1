// The API: one sub-app per resource, mounted here. `AppType` is what the web client is typed by.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BearingError } from '../data/errors.ts';
import { callerContext } from '../metrics/offload/caller.ts';
import { authorize } from './auth/middleware.ts';
import { callerOf } from './caller.ts';
import type { Role } from './auth/tokens.ts';
import type { AppDeps } from './context.ts';
import { notFound, onError } from './errors.ts';
import { annotationRoutes } from './routes/annotations.ts';
import { authRoutes } from './routes/auth.ts';
import { channelRoutes } from './routes/channels.ts';
import { mixRoutes } from './routes/mix.ts';
import { budgetRoutes } from './routes/budget.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { goalRoutes } from './routes/goals.ts';
import { driverRoutes } from './routes/drivers.ts';
import { checkinRoutes } from './routes/checkins.ts';
import { routeRoutes } from './routes/route.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/import.ts';
import { metricRoutes } from './routes/metrics.ts';
import { historyRoutes, lifecycleRoutes, sampleRoutes, sourceRoutes, syncRoutes } from './routes/sources.ts';
import { alertRoutes, digestRoutes } from './routes/digest.ts';
import { router } from './router.ts';

export const MAX_JSON_BYTES = 1024 * 1024;

// JSON and YAML bodies are small; CSV uploads have their own, larger limit on their route.
const jsonLimit = bodyLimit({
  maxSize: MAX_JSON_BYTES,
  onError: () => {
    throw new BearingError('too-large', 'request bodies are limited to 1 MB (CSV uploads: 200 MB through /api/import)');
  },
});
const limitBodies: MiddlewareHandler = (c, next) => (c.req.path.endsWith('/import') ? next() : jsonLimit(c, next));

export function createApi(deps: AppDeps) {
  const api = router<{ Variables: { role: Role | null } }>();
  api.use('*', limitBodies);
  api.use('*', authorize(deps.auth));
  // Who asked, through every await of the request: the offload pool's per-caller count, and the
  // signal that drops queued work when the client disconnects.
  api.use('*', (c, next) => callerContext.run({ caller: callerOf(c), signal: c.req.raw.signal }, next));
  const routes = api
    .route('/health', healthRoutes(deps))
    .route('/auth', authRoutes(deps))
    .route('/', driverRoutes(deps))
    .route('/', checkinRoutes(deps))
    .route('/', routeRoutes(deps))
    .route('/metrics', metricRoutes(deps))
    .route('/goals', goalRoutes(deps))
    .route('/annotations', annotationRoutes(deps))
    .route('/channels', channelRoutes(deps))
    .route('/mix', mixRoutes(deps))
    .route('/budget', budgetRoutes(deps))
    .route('/experiments', experimentRoutes(deps))
    .route('/import', importRoutes(deps))
    .route('/sources', sourceRoutes(deps))
    .route('/sync', syncRoutes(deps))
    .route('/imports', historyRoutes(deps))
    .route('/sample', sampleRoutes(deps))
    .route('/lifecycle', lifecycleRoutes(deps))
    .route('/digest', digestRoutes(deps))
    .route('/alerts', alertRoutes(deps));
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Bearing API',
      version: '0.1.0',
      description:
        'Goals read like a GPS; channels compared by one honest method. Writes need a bearer token with the analyst ' +
        'or admin role.',
    },
    security: [{ bearer: [] }],
  });
  api.onError(onError);
  api.notFound(notFound);
  return routes;
}

export type AppType = ReturnType<typeof createApi>;
