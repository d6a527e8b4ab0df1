// Read-only commands beside a running server: the database is opened when it is free, and
// otherwise the server holding it is asked the same question over HTTP (see api/serverFile.ts).
// Both paths run the same code in the end, so they print the same answers.
import type { Database } from '../../data/db.ts';
import { isErrorCode } from '../../data/codes.ts';
import { BearingError } from '../../data/errors.ts';
import { readServerFile, localUrl, type ServerFile } from '../serverFile.ts';
import { listHead } from '../textStream.ts';
import { openExisting } from './open.ts';

export interface RemoteServer {
  info: ServerFile;
  get<T>(path: string, query?: Record<string, string | number | string[] | undefined>): Promise<T>;
  /** A POST that computes without writing (what-if, optimise): the read token may make it. */
  post<T>(path: string, body: unknown): Promise<T>;
  /**
   * A GET answering `{ [list]: [...], ...rest }`: each item of the list handed to `each` as it
   * arrives, and the rest returned. A server writing one item a line (a large overview) is read a
   * line at a time, so no answer is too large for one string.
   */
  getEach<T, R>(
    path: string,
    query: Record<string, string | undefined>,
    list: string,
    each: (item: T) => Promise<void>,
  ): Promise<R>;
}

function remote(info: ServerFile): RemoteServer {
  const base = localUrl(info.url);
  const send = async (url: URL, init: RequestInit = {}): Promise<Response> => {
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
    if (res.ok) return res;
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; details?: unknown };
    } | null;
    throw new BearingError(
      isErrorCode(body?.error?.code) ? body.error.code : 'server-error',
      body?.error?.message ?? `the server answered ${res.status}`,
      body?.error?.details,
    );
  };
  const call = async <T>(url: URL, init: RequestInit = {}): Promise<T> => (await send(url, init)).json() as Promise<T>;
  const urlOf = (path: string, query: Record<string, string | number | string[] | undefined>) => {
    const url = new URL(`/api${path}`, base);
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
        url.searchParams.append(key, String(v));
    }
    return url;
  };
  return {
    info,
    get<T>(path: string, query: Record<string, string | number | string[] | undefined> = {}): Promise<T> {
      return call<T>(urlOf(path, query));
    },
    async getEach<T, R>(
      path: string,
      query: Record<string, string | undefined>,
      list: string,
      each: (item: T) => Promise<void>,
    ): Promise<R> {
      const res = await send(urlOf(path, query));
      return eachItem<T, R>(res, list, each);
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

/**
 * The items of `list` in an answer, one at a time. Written one a line (see `listHead`), each line
 * is parsed alone; any other answer is parsed whole.
 */
async function eachItem<T, R>(res: Response, list: string, each: (item: T) => Promise<void>): Promise<R> {
  const head = listHead(list);
  const lines = linesOf(res);
  const first = await lines.next();
  if (first.done) throw new BearingError('server-error', 'the server sent an empty answer');
  if (first.value !== head) {
    let text = first.value;
    for await (const line of lines) text += `\n${line}`;
    const whole = JSON.parse(text) as Record<string, unknown>;
    for (const item of (whole[list] ?? []) as T[]) await each(item);
    const { [list]: _items, ...rest } = whole;
    return rest as R;
  }
  for await (const line of lines) {
    if (line.startsWith(']')) return JSON.parse(`{${line.slice(2)}`) as R;
    await each(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as T);
  }
  throw new BearingError('server-error', 'the server’s answer ended before its last line');
}

/** A response body's lines, decoded as they arrive (a long line is kept in parts until it ends). */
async function* linesOf(res: Response): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let parts: string[] = [];
  for await (const chunk of chunksOf(res)) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', start)) {
      parts.push(text.slice(start, at));
      yield parts.join('');
      parts = [];
      start = at + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  }
  const rest = decoder.decode();
  if (rest) parts.push(rest);
  if (parts.length) yield parts.join('');
}

/** The body's bytes; an answer cut part way (the server failed after it began) is named as such. */
async function* chunksOf(res: Response): AsyncGenerator<Uint8Array> {
  const reader = res.body?.getReader();
  if (!reader) return;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new BearingError('server-error', 'the server stopped part way through its answer (its log says why)');
    }
    if (next.done) return;
    yield next.value;
  }
}
