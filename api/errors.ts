// The one place where failures become HTTP responses: `{ error: { code, message, details? } }`.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BearingError } from '../data/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof BearingError) {
    const body: ErrorBody = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    };
    return c.json(body, error.status as ContentfulStatusCode);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return c.json(
      {
        error: { code: status === 413 ? 'too-large' : `http-${status}`, message: error.message || 'request failed' },
      } satisfies ErrorBody,
      status,
    );
  }
  // Resource exhaustion is named, with what to do; the details stay in the log.
  const message = error?.message ?? '';
  if (/out of memory|could not allocate|heap out of memory/i.test(message)) {
    console.error(`[bearing] ${c.req.method} ${c.req.path}: out of memory:`, message.split('\n')[0]);
    return c.json(
      {
        error: {
          code: 'out-of-memory',
          message:
            'The server ran out of memory for this request. Narrow the date range or grain, or raise BEARING_MEMORY_LIMIT.',
        },
      } satisfies ErrorBody,
      503,
    );
  }
  if (/no space left on device|disk full|ENOSPC|could not write/i.test(message)) {
    console.error(`[bearing] ${c.req.method} ${c.req.path}: disk full:`, message.split('\n')[0]);
    return c.json(
      {
        error: {
          code: 'disk-full',
          message:
            'The server’s disk is full: nothing was changed. Free space beside the database (and its temporary folder), then try again.',
        },
      } satisfies ErrorBody,
      507,
    );
  }
  // Unexpected: log for the operator, never show a stack trace or SQL to the caller.
  console.error(`[bearing] ${c.req.method} ${c.req.path}:`, error);
  return c.json(
    {
      error: {
        code: 'internal',
        message: 'Something went wrong on the server; the operator can find details in its log.',
      },
    } satisfies ErrorBody,
    500,
  );
}

export function notFound(c: Context): Response {
  return c.json(
    { error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ErrorBody,
    404,
  );
}
