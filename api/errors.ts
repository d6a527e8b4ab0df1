// The one place where failures become HTTP responses: `{ error: { code, message, details? } }`,
// with the status the registry gives the code (api/errorStatus.ts).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode } from '../data/codes.ts';
import { BearingError } from '../data/errors.ts';
import { STATUS } from './errorStatus.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** The error answer for a code: its registered status, its body. */
export function errorResponse(c: Context, code: ErrorCode, message: string, details?: unknown): Response {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, STATUS[code]);
}

// Resource exhaustion is named, with what to do; the details stay in the log.
const EXHAUSTION: Array<{ pattern: RegExp; code: ErrorCode; message: string }> = [
  {
    pattern: /out of memory|could not allocate|heap out of memory/i,
    code: 'out-of-memory',
    message:
      'The server ran out of memory for this request. Narrow the date range or grain, or raise BEARING_MEMORY_LIMIT.',
  },
  {
    pattern: /no space left on device|disk full|ENOSPC|could not write/i,
    code: 'disk-full',
    message:
      'The server’s disk is full: nothing was changed. Free space beside the database (and its temporary folder), ' +
      'then try again.',
  },
];

export function onError(error: Error, c: Context): Response {
  if (error instanceof BearingError) return errorResponse(c, error.code, error.message, error.details);
  if (error instanceof HTTPException) {
    if (error.status === 413) return errorResponse(c, 'too-large', error.message || 'the request is too large');
    return errorResponse(c, error.status === 404 ? 'not-found' : 'invalid-request', error.message || 'request failed');
  }
  const message = error?.message ?? '';
  const exhausted = EXHAUSTION.find((e) => e.pattern.test(message));
  if (exhausted) {
    console.error(`[bearing] ${c.req.method} ${c.req.path}: ${exhausted.code}:`, message.split('\n')[0]);
    return errorResponse(c, exhausted.code, exhausted.message);
  }
  // Unexpected: log for the operator, never show a stack trace or SQL to the caller.
  console.error(`[bearing] ${c.req.method} ${c.req.path}:`, error);
  return errorResponse(c, 'internal', 'Something went wrong on the server; the operator can find details in its log.');
}

export function notFound(c: Context): Response {
  return errorResponse(c, 'not-found', `no route for ${c.req.method} ${c.req.path}`);
}
