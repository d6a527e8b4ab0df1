import type { ErrorCode } from './codes.ts';

/**
 * A failure that the user can act on. `code` is one of the registry's (data/codes.ts), stable so
 * scripts and tests can match it; api/errorStatus.ts turns it into an HTTP status; `details`
 * carries structured problems (import rows, definition problems) for the caller to show.
 */
export class BearingError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BearingError';
  }
}
