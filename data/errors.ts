/**
 * A failure that the user can act on. `code` is stable (kebab-case) so scripts and tests can
 * match it; `status` is the HTTP status the API answers with; `details` carries structured
 * problems (import rows, definition problems) for the caller to show.
 */
export class BearingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BearingError';
  }
}
