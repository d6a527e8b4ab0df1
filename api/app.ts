// The API: one sub-app per resource, mounted here. `AppType` is what the web client is typed by.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from './context.ts';
import { notFound, onError } from './errors.ts';
import { annotationRoutes } from './routes/annotations.ts';
import { channelRoutes } from './routes/channels.ts';
import { goalRoutes } from './routes/goals.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/import.ts';
import { metricRoutes } from './routes/metrics.ts';
import { validationHook } from './validation.ts';

export function createApi(deps: AppDeps) {
  const api = new OpenAPIHono({ defaultHook: validationHook })
    .route('/health', healthRoutes(deps))
    .route('/metrics', metricRoutes(deps))
    .route('/goals', goalRoutes(deps))
    .route('/annotations', annotationRoutes(deps))
    .route('/channels', channelRoutes(deps))
    .route('/import', importRoutes(deps));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Bearing API', version: '0.1.0', description: 'Goals read like a GPS; channels compared by one honest method.' },
  });
  api.onError(onError);
  api.notFound(notFound);
  return api;
}

export type AppType = ReturnType<typeof createApi>;
