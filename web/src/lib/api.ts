// The web app's only door to the server: a client typed by the API's own routes.
import { hc } from 'hono/client';
import type { AppType } from '../../../api/app.ts';

export const api = hc<AppType>('/api');

/** Throw the API's own error message when a response is not ok, so pages can show it as written. */
export async function json<T>(response: Promise<Response & { json(): Promise<T> }>): Promise<T> {
  const res = await response;
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as unknown as { error?: { message?: string } };
      if (body?.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(message);
  }
  return res.json();
}
