// The HTTP server: API under /api, the built web app everywhere else, on one port.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { BearingError } from '../data/errors.ts';
import { createApi } from './app.ts';
import type { AppDeps } from './context.ts';
import { errorResponse, notFound, onError } from './errors.ts';
import { WEB_DIST } from './webBuild.ts';

/**
 * Host names a loopback-bound server answers to. A page on another site that rebinds its own name
 * to 127.0.0.1 (DNS rebinding) sends its own name as Host, so it is refused before any route.
 * BEARING_ALLOWED_HOSTS adds names (comma-separated), e.g. a name in /etc/hosts.
 */
export function loopbackHosts(extra = process.env.BEARING_ALLOWED_HOSTS): string[] {
  return [
    'localhost',
    '127.0.0.1',
    '[::1]',
    ...(extra ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  ];
}

export function createServerApp(deps: AppDeps, webDist = WEB_DIST, options: { allowedHosts?: string[] } = {}) {
  const app = new Hono();
  if (options.allowedHosts) {
    const allowed = new Set(options.allowedHosts);
    app.use('*', async (c, next) => {
      const host = (c.req.header('host') ?? '').toLowerCase().replace(/:\d+$/, '');
      if (!allowed.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
        const names = [...allowed].join(', ');
        return errorResponse(
          c,
          'host-not-allowed',
          `this server answers only to ${names} (set BEARING_ALLOWED_HOSTS to add a name)`,
        );
      }
      await next();
    });
  }
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Recharts sets inline style attributes
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xContentTypeOptions: 'nosniff',
    }),
  );
  app.route('/api', createApi(deps));
  // Unknown API paths answer JSON 404 rather than falling through to the web app's page.
  app.all('/api/*', notFound);
  if (existsSync(webDist)) {
    // Hashed assets never change under their name: cached for a year, and sent as compressed at
    // build (brotli or gzip, whichever the browser takes; vite.config.ts writes both), with on-the-fly
    // gzip only for a build without them. API answers are not compressed here: the cached ones are
    // served as stored text, many times a second.
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.ok) c.header('cache-control', 'public, max-age=31536000, immutable');
    });
    app.use('/assets/*', compress());
    app.use('/assets/*', serveStatic({ root: webDist, precompressed: true }));
    app.use('/favicon.svg', serveStatic({ root: webDist }));
    // Every other path is a page of the single-page app.
    app.use('*', async (c, next) => {
      await next();
      // The page names the current assets: always asked again, so a new build shows at once.
      if (!c.req.path.startsWith('/api/') && !c.req.path.startsWith('/assets/')) c.header('cache-control', 'no-cache');
    });
    app.get('*', serveStatic({ root: webDist, rewriteRequestPath: () => '/index.html' }));
  } else {
    app.get('/', (c) => c.text('The web app is not built yet: run "npm run build" (npm start does it for you).', 503));
  }
  app.onError(onError);
  app.notFound(notFound);
  return app;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Why the server could not listen, in words a user can act on (not Node's stack trace). */
function listenError(error: Error & { code?: string }, port: number, hostname: string): Error {
  if (error.code === 'EADDRINUSE')
    return new BearingError(
      'port-in-use',
      `port ${port} on ${hostname} is already in use, most likely by another "bearing serve"; stop it, or choose ` +
        'another port with --port or PORT (0 picks a free one)',
    );
  if (error.code === 'EACCES')
    return new BearingError(
      'port-in-use',
      `not allowed to listen on port ${port} on ${hostname} (ports below 1024 need privileges); choose another ` +
        'with --port or PORT',
    );
  if (error.code === 'EADDRNOTAVAIL')
    return new BearingError('port-in-use', `${hostname} is not an address of this machine; check --host or HOST`);
  return error;
}

export function listen(
  app: ReturnType<typeof createServerApp>,
  port: number,
  hostname: string,
): Promise<RunningServer> {
  return new Promise((resolveServer, reject) => {
    let server: ServerType;
    // Requests being answered: close() lets them finish, then ends every connection. Node's own
    // idle test kept a browser's connections open after their last answer (a tab on the app held
    // close() 6 s, until the keep-alive time-out): measured with no request in flight.
    let answering = 0;
    let closing = false;
    const endConnections = () => (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    try {
      server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolveServer({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise((done) => {
              closing = true;
              server.close(() => done());
              if (answering === 0) endConnections();
            }),
        });
      });
      server.on('request', (_request, response) => {
        answering++;
        response.once('close', () => {
          answering--;
          if (closing && answering === 0) endConnections();
        });
      });
      server.on('error', (error) => reject(listenError(error, port, hostname)));
    } catch (error) {
      reject(error);
    }
  });
}
