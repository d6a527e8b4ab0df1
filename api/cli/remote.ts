// Read-only commands beside a running server: the database is opened when it is free, and
// otherwise the server holding it is asked the same question over HTTP (see api/serverFile.ts).
// Both paths run the same code in the end, so they print the same answers.
import type { Database } from '../../data/db.ts';
import { isErrorCode } from '../../data/codes.ts';
import { BearingError } from '../../data/errors.ts';
import { readServerFile, localUrl, type ServerFile } from '../serverFile.ts';
import { openExisting } from './open.ts';

export interface RemoteServer {
  info: ServerFile;
  get<T>(path: string, query?: Record<string, string | number | string[] | undefined>): Promise<T>;
  /** A POST that computes without writing (what-if, optimise): the read token may make it. */
  post<T>(path: string, body: unknown): Promise<T>;
}

function remote(info: ServerFile): RemoteServer {
  const base = localUrl(info.url);
  const call = async <T>(url: URL, init: RequestInit = {}): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${info.token}` } });
    } catch {
      throw new BearingError(
        'server-unreachable',
        `the database is held by a server (PID ${info.pid}) that does not answer at ${base}; stop it or wait for ` +
          `it to start`,
      );
    }
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; details?: unknown };
    } | null;
    if (!res.ok)
      throw new BearingError(
        isErrorCode(body?.error?.code) ? body.error.code : 'server-error',
        body?.error?.message ?? `the server answered ${res.status}`,
        body?.error?.details,
      );
    return body as T;
  };
  return {
    info,
    get<T>(path: string, query: Record<string, string | number | string[] | undefined> = {}): Promise<T> {
      const url = new URL(`/api${path}`, base);
      for (const [key, value] of Object.entries(query)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
          url.searchParams.append(key, String(v));
      }
      return call<T>(url);
    },
    post<T>(path: string, body: unknown): Promise<T> {
      return call<T>(new URL(`/api${path}`, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
  };
}

export function sameFiles(server: RemoteServer, what: 'metrics_dir' | 'goals_file', wanted: string): void {
  if (server.info[what] === wanted) return;
  const label = what === 'metrics_dir' ? 'definitions from' : 'goals from';
  throw new BearingError(
    'database-busy',
    `the database is held by a running server (PID ${server.info.pid}) that reads ${label} ${server.info[what]}, ` +
      `not ${wanted}; ask it without that option, or stop it first`,
  );
}

export async function readLocallyOrFromServer<T>(
  dbPath: string,
  local: (db: Database) => Promise<T>,
  fromServer: (server: RemoteServer) => Promise<T>,
): Promise<T> {
  let db: Database;
  try {
    db = await openExisting(dbPath);
  } catch (error) {
    const info = error instanceof BearingError && error.code === 'database-busy' ? readServerFile(dbPath) : null;
    if (info) return fromServer(remote(info));
    throw error;
  }
  try {
    return await local(db);
  } finally {
    db.close();
  }
}
