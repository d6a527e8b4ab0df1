// The web app's only door to the server: a client typed by the API's own routes (type-only import,
// so no server code is bundled).
import { hc } from 'hono/client';
import type { AppType } from '../../../api/app.ts';
import { reportAnswer, reportUnreachable, UNREACHABLE } from './connection.ts';

const TOKEN_KEY = 'bearing-token';

export function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export const api = hc<AppType>('/api', { headers: authHeaders });

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Answer = { ok: boolean; status: number; json: () => Promise<unknown> };

/** The body of a successful answer, typed by the route; an error answer throws its ApiError. */
export async function bodyOf<R extends Answer>(
  answer: Promise<R> | R,
): Promise<Awaited<ReturnType<Extract<R, { ok: true }>['json']>>> {
  let res: R;
  try {
    res = await answer;
  } catch {
    // fetch rejects only when no answer came at all (server down, network gone).
    reportUnreachable();
    throw new ApiError(UNREACHABLE, 0);
  }
  reportAnswer();
  if (!res.ok) throw await apiError(res as unknown as Response);
  return (await res.json()) as Awaited<ReturnType<Extract<R, { ok: true }>['json']>>;
}

/** The API's own error message, as written, for pages to show. */
export async function apiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { message?: string; details?: unknown } };
    return new ApiError(body.error?.message ?? `${res.status} ${res.statusText}`, res.status, body.error?.details);
  } catch {
    return new ApiError(`${res.status} ${res.statusText}`, res.status);
  }
}

/**
 * What a refused write says: how to sign in when the server asked for a token (401) or a larger
 * role (403), with the role the page's action needs; otherwise the server's own words.
 */
export function writeFailure(error: Error, role: 'analyst' | 'admin' = 'analyst'): string {
  if (error instanceof ApiError && error.status === 401)
    return `This needs an ${role} token: sign in (top right) with one and try again.`;
  if (error instanceof ApiError && error.status === 403)
    return `Your token's role cannot do this; it needs ${role}. Sign in (top right) with an ${role} token.`;
  return error.message;
}
