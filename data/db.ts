// The only module that touches @duckdb/node-api. It owns the instance, the connections,
// the sandbox settings and the conversion of results into JSON-safe values.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValue,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api';
import { CommitLock } from './commitLock.ts';
import { BearingError } from './errors.ts';
import { Lane } from './lane.ts';
import { codeVersion } from './codeVersion.ts';
import { ResultCache } from './resultCache.ts';
import { loadStored, saveStored, storedKey } from './storedResults.ts';

export type SqlValue = string | number | boolean | null;
export type Params = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

/** The server's DuckDB memory limit unless BEARING_MEMORY_LIMIT says otherwise: keeps its RSS under 1 GB. */
export const DEFAULT_SERVER_MEMORY_LIMIT = '384MB';

/**
 * DuckDB's threads when a caller sets none: BEARING_THREADS, else DuckDB's own default (every core).
 * Read here so that every command and server honours it, not only `serve`: on a machine shared by
 * several processes, one thread each wastes less than each spreading over every core (the test suite
 * sets 1: its two workers on two cores ran DuckDB-heavy files 10–17% faster).
 */
function threadsFromEnvironment(): number | undefined {
  const text = process.env.BEARING_THREADS;
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new BearingError('bad-config', `BEARING_THREADS "${text}" is not a whole number of threads (1 or more)`);
  return n;
}

export interface DatabaseOptions {
  /** Directories from which `read_csv` may read (the staging dir). Everything else on disk is unreachable. */
  allowedDirectories?: string[];
  threads?: number;
  memoryLimit?: string;
  /** Interrupt any single query that runs longer than this (ms). */
  queryTimeoutMs?: number;
  /** Time limit of background work (stored series), per query (ms; default: queryTimeoutMs). */
  backgroundTimeoutMs?: number;
  /** Analyst lane (previews, checks): queries at once in all, and per caller. */
  analystSlots?: number;
  analystPerCaller?: number;
  /** Bytes the result cache may hold (estimated as JSON). */
  cacheBytes?: number;
  /** Keep query results until the next committed write (default true). */
  cache?: boolean;
  /**
   * Keep the heaviest answers (those cached with `stored`) in the database too, for the next
   * process on the same data (default true; never with `cache` off; data/storedResults.ts).
   */
  store?: boolean;
  /** Answer series from stored rollups when they hold the exact answer (default true). */
  rollups?: boolean;
  /**
   * The workspace's IANA time zone (default UTC): timestamps without a zone are read in it, zoned
   * ones are converted to its local time, so days, weeks and months are cut where its people live.
   */
  timezone?: string;
}

/** The longest a big result's conversion holds the event loop before letting other work in. */
const YIELD_EVERY_MS = 8;

/** Result-cache keys of answers that depend on the data alone, never on notes (see writeNotes). */
const DATA_ONLY_KEYS = ['series\u0000', 'channels\u0000', 'mix\u0000', 'facts'];

// Numeric types that getRowObjectsJson returns as strings; converted once here.
const NUMERIC_AS_STRING = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

// DuckDB refuses named parameters that a statement does not use, and compiled queries share one
// parameter set across variants; bind only the names this statement mentions.
function toSqlValues(sql: string, params: Params | undefined): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (!params || Array.isArray(params)) return params as DuckDBValue[] | undefined;
  const used = new Set(Array.from(sql.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]!));
  return Object.fromEntries(Object.entries(params).filter(([k]) => used.has(k))) as Record<string, DuckDBValue>;
}

/** One DuckDB connection with JSON-safe reads and a per-query time limit. */
export class Session {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly timeoutMs: number,
    private readonly lock?: CommitLock,
  ) {}

  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.withTimeout(() => this.connection.runAndReadAll(sql, toSqlValues(sql, params)));
    const types = reader.columnTypes();
    const names = reader.columnNames();
    const convert = names.filter((_, i) => NUMERIC_AS_STRING.has(types[i]!.typeId));
    const rows = reader.getRowObjectsJson() as Row[];
    if (convert.length) {
      for (const row of rows) for (const name of convert) if (row[name] !== null) row[name] = Number(row[name]);
    }
    return rows as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * A result by column: three times faster to read than rows when a query returns many. Read and
   * converted one chunk (2,048 rows) at a time, each fetch an await: converting 65,000 rows at once
   * held the event loop 134 ms (a channel comparison's cells), chunk by chunk it never holds it.
   */
  async columns(sql: string, params?: Params): Promise<Record<string, SqlValue[]>> {
    return this.withTimeout(async () => {
      const result = await this.connection.stream(sql, toSqlValues(sql, params));
      const names = result.columnNames();
      const numeric = result.columnTypes().map((t) => NUMERIC_AS_STRING.has(t.typeId));
      // With no rows DuckDB gives no chunks at all: an empty column each, as with rows.
      const columns: SqlValue[][] = names.map(() => []);
      let slice = performance.now();
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        // A fetched chunk can resolve without a turn of the event loop: give other requests one
        // every few milliseconds.
        if (performance.now() - slice > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        const converted = chunk.convertColumns(JsonDuckDBValueConverter) as SqlValue[][];
        converted.forEach((values, i) => {
          const column = columns[i]!;
          if (numeric[i]) for (const v of values) column.push(v === null ? v : Number(v));
          else for (const v of values) column.push(v);
        });
      }
      return Object.fromEntries(names.map((name, i) => [name, columns[i]!]));
    });
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.withTimeout(() => this.connection.run(sql, toSqlValues(sql, params)));
  }

  /** Share of the running query done, 0–100, or -1 when DuckDB cannot tell. */
  progress(): number {
    return this.connection.progress.percentage;
  }

  async transaction<T>(work: (session: Session) => Promise<T>, touchesData = true): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work(this);
      if (this.lock) await this.lock.commit(() => this.connection.run('COMMIT'), touchesData);
      else await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async withTimeout<T>(work: () => Promise<T>): Promise<T> {
    if (!this.timeoutMs) return work();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, this.timeoutMs);
    try {
      return await work();
    } catch (error) {
      if (timedOut) {
        throw new BearingError(
          'query-timeout',
          `The query ran longer than ${this.timeoutMs / 1000} s and was stopped. Narrow the date range or raise ` +
            `BEARING_QUERY_TIMEOUT.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  interrupt(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
  }
}

/**
 * An open database file. Reads go through a small pool of connections so that a slow analyst
 * query does not queue a health check; every write runs on a connection of its own inside a
 * transaction, so readers never see half of it.
 */
export class Database {
  private idle: Session[] = [];
  private open = 0;
  private waiting: Array<(s: Session) => void> = [];
  private readonly lock = new CommitLock();
  private static readonly POOL = 4;
  private readonly results: ResultCache;
  private readonly analystLane: Lane;
  private readonly asideLane = new Lane(1, Number.POSITIVE_INFINITY);
  private readonly background = new Set<Session>();

  private readonly loader: Session;
  private loaderQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    loaderConnection: DuckDBConnection,
    private readonly timeoutMs: number,
    caching: boolean,
    /** Whether series may be read from stored rollups (metrics/rollups.ts). */
    readonly useRollups: boolean,
    /** What a stored answer also depends on besides its key, code and data (the time zone), or null: none stored. */
    private readonly storing: string | null,
    private readonly limits: {
      backgroundTimeoutMs: number;
      analystSlots: number;
      analystPerCaller: number;
      cacheBytes: number;
    },
  ) {
    this.loader = new Session(loaderConnection, 0, this.lock);
    this.analystLane = new Lane(limits.analystSlots, limits.analystPerCaller);
    this.results = new ResultCache(limits.cacheBytes, caching);
    // Every committed write in this process (the only process that may write) moves the data on.
    this.lock.onCommit = () => this.results.dataChanged();
  }

  /** What the result cache holds now, for health and tests. */
  get cacheStats(): { entries: number; bytes: number; limit: number } {
    return this.results.stats;
  }

  /** The data version cached answers belong to (moves on with every committed write); undefined when caching is off. */
  get dataVersion(): number | undefined {
    return this.results.dataVersion;
  }

  /**
   * A result computed once per data version. Keys must hold everything the answer depends on
   * besides the data (metrics/cacheKeys.ts): a definition change is a different key.
   */
  cached<T>(
    key: string,
    compute: () => Promise<T>,
    options: { evenWhenCachingIsOff?: boolean; stored?: boolean } = {},
  ): Promise<T> {
    const code = options.stored && this.storing !== null ? codeVersion() : null;
    if (code === null) return this.results.get(key, compute, options);
    return this.results.get(key, () => this.storedOr(storedKey(key, this.storing!), code, compute), options);
  }

  /**
   * The answer stored by an earlier process for the same key, code and data, else computed and
   * stored. Storing is bookkeeping: a failure to read or write the store only costs the time.
   */
  private async storedOr<T>(key: string, code: string, compute: () => Promise<T>): Promise<T> {
    const found = await this.read((s) => loadStored(s, key, code)).catch(() => null);
    if (found) return found.value as T;
    const version = this.results.dataVersion;
    const started = performance.now();
    const value = await compute();
    // Data committed meanwhile: the answer may mix versions, and is kept nowhere (as in memory).
    if (this.results.dataVersion === version) {
      const entry = { key, code, value, computeMs: performance.now() - started };
      await this.write((s) => saveStored(s, entry, this.limits.cacheBytes), false).catch(() => false);
    }
    return value;
  }

  static async open(path: string, options: DatabaseOptions = {}): Promise<Database> {
    const threads = options.threads ?? threadsFromEnvironment(); // refused before any file is opened
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file);
    } catch (error) {
      throw translateOpenError(error, file);
    }
    const setup = await instance.connect();
    // Order matters: allowed_directories must be set before external access is switched off,
    // and nothing can be changed once the configuration is locked.
    const timezone = options.timezone ?? 'UTC';
    if (!/^[A-Za-z0-9_+\-/]+$/.test(timezone))
      throw new BearingError('bad-config', `time zone "${timezone}" is not an IANA name such as America/Sao_Paulo`);
    try {
      await setup.run(`SET GLOBAL TimeZone = '${timezone}'`);
    } catch {
      throw new BearingError('bad-config', `time zone "${timezone}" is not an IANA name such as America/Sao_Paulo`);
    }
    await setup.run(`SET autoinstall_known_extensions = false`);
    await setup.run(`SET autoload_known_extensions = false`);
    if (threads) await setup.run(`SET threads = ${Math.max(1, Math.floor(threads))}`);
    if (options.memoryLimit) {
      if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memoryLimit)) {
        throw new BearingError('bad-config', `memory limit "${options.memoryLimit}" is not a size such as 2GB`);
      }
      await setup.run(`SET memory_limit = '${options.memoryLimit}'`);
    }
    const dirs = (options.allowedDirectories ?? []).map((d) => resolve(d).replace(/\/?$/, '/'));
    if (dirs.length) await setup.run(`SET allowed_directories = [${dirs.map(() => '?').join(', ')}]`, dirs);
    await setup.run(`SET enable_external_access = false`);
    // A session setting survives the lock below only on a connection that already exists.
    const loader = await instance.connect();
    await loader.run(`SET SESSION preserve_insertion_order = false`);
    await setup.run(`SET lock_configuration = true`);
    setup.closeSync();
    const timeout = options.queryTimeoutMs ?? 0;
    // Only with the result cache on: its data version is what tells a stored answer's data apart.
    const storing = (options.cache ?? true) && (options.store ?? true) && file !== ':memory:' ? `tz=${timezone}` : null;
    return new Database(file, instance, loader, timeout, options.cache ?? true, options.rollups ?? true, storing, {
      backgroundTimeoutMs: options.backgroundTimeoutMs ?? timeout,
      analystSlots: Math.max(1, options.analystSlots ?? 2),
      analystPerCaller: Math.max(1, options.analystPerCaller ?? 1),
      cacheBytes: options.cacheBytes ?? 64 * 1024 * 1024,
    });
  }

  /** Run work on a pooled read connection. */
  async read<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.acquire();
    try {
      return await this.lock.read(() => work(session));
    } finally {
      this.release(session);
    }
  }

  all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.read((s) => s.all<T>(sql, params));
  }

  columns(sql: string, params?: Params): Promise<Record<string, SqlValue[]>> {
    return this.read((s) => s.columns(sql, params));
  }

  /**
   * Reads that may take long, on a connection of their own, without holding the commit lock: a
   * write never waits behind them. What they read is kept only when no commit happened while they
   * ran (a commit may be seen half-done by a reader that overlaps it; see CommitLock), otherwise
   * they run again, at most `attempts` times in all, then fail with 'data-changed'.
   */
  private async optimistic<T>(session: Session, work: (session: Session) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.lock.idle();
      const before = this.lock.commits;
      const result = await work(session);
      if (this.lock.commits === before && !this.lock.busy) return result;
      if (attempt >= attempts)
        throw new BearingError('data-changed', 'the data changed several times while this was computed; try again');
    }
  }

  /**
   * Background work (stored series): its own connection, the background time limit per query, no
   * hold on the commit lock; all its statements see one state of the data (see optimistic).
   * interruptBackground() stops it at once (shutdown).
   */
  async readInBackground<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = new Session(await this.instance.connect(), this.limits.backgroundTimeoutMs);
    this.background.add(session);
    try {
      return await this.optimistic(session, work);
    } finally {
      this.background.delete(session);
      session.close();
    }
  }

  /** Interrupt every running background query (the server is stopping). */
  interruptBackground(): void {
    for (const session of this.background) session.interrupt();
  }

  /**
   * Analyst work (previews, checks, drafts): a lane of its own connections, so dashboard reads
   * and writes always have capacity. At most `analystSlots` run at once, at most
   * `analystPerCaller` for one caller (more answers 429 at once); the query time limit applies and
   * the commit lock is not held (see optimistic). When `signal` aborts (the client went away), the
   * running query is interrupted and the slot freed at once, rather than at the time limit.
   */
  analyst<T>(caller: string, work: (session: Session) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.inLane(this.analystLane, caller, work, signal);
  }

  /**
   * Slow reads that many may ask for at once (planning every source: a header read per file) on a
   * connection of their own, one at a time: 8 listings of 300 sources once held every pooled
   * connection and an uncached series waited 26 s behind them.
   */
  aside<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return this.inLane(this.asideLane, 'aside', work);
  }

  /** Work in a lane, on a connection of its own, under the query time limit, without the commit lock. */
  private async inLane<T>(
    lane: Lane,
    caller: string,
    work: (session: Session) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const release = await lane.enter(caller);
    let session: Session | undefined;
    const stop = () => session?.interrupt();
    try {
      if (signal?.aborted) throw signal.reason; // reported as cancelled below
      session = new Session(await this.instance.connect(), this.timeoutMs);
      signal?.addEventListener('abort', stop, { once: true });
      return await this.optimistic(session, work);
    } catch (error) {
      if (signal?.aborted) throw new BearingError('cancelled', 'the client went away; its query was stopped');
      throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
      session?.close();
      release();
    }
  }

  one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return this.read((s) => s.one<T>(sql, params));
  }

  /** A dedicated connection for a write transaction (or a long job that reports progress). */
  async session(): Promise<Session> {
    return new Session(await this.instance.connect(), 0, this.lock);
  }

  /**
   * Work on the one connection whose inserts may store rows in any order (preserve_insertion_order
   * off), one caller at a time. Loading a big file that way fills whole row groups in parallel,
   * so the next checkpoint has nothing to merge: measured at 1M customers, 3 s less per import
   * (surveys and orders: a 1.3 s checkpoint each became 10 ms). Only for work where row order
   * carries no meaning: never for anything numbering rows as read.
   */
  inAnyOrder<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const next = this.loaderQueue.catch(() => undefined).then(() => work(this.loader));
    this.loaderQueue = next;
    return next;
  }

  /**
   * A write that changes notes only (annotations): answers computed from the data alone (series,
   * channel comparisons, mix models, data facts) stay cached; everything else (note lists, goal
   * answers that carry notes) is computed again. A note written under load must not make every
   * reader wait for a channel comparison to be recomputed.
   */
  async writeNotes<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const result = await this.write(work, false);
    this.results.keepOnly((key) => DATA_ONLY_KEYS.some((prefix) => key.startsWith(prefix)));
    return result;
  }

  async write<T>(work: (session: Session) => Promise<T>, touchesData = true): Promise<T> {
    const session = await this.session();
    try {
      return await session.transaction(work, touchesData);
    } finally {
      session.close();
    }
  }

  close(): void {
    this.loader.close();
    for (const s of this.idle) s.close();
    this.idle = [];
    this.instance.closeSync();
  }

  private async acquire(): Promise<Session> {
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.open < Database.POOL) {
      this.open++;
      return new Session(await this.instance.connect(), this.timeoutMs);
    }
    return new Promise((resolveSession) => this.waiting.push(resolveSession));
  }

  private release(session: Session): void {
    const next = this.waiting.shift();
    if (next) next(session);
    else this.idle.push(session);
  }
}

function translateOpenError(error: unknown, file: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const held = /Conflicting lock is held in .*\(PID (\d+)\)/.exec(message);
  if (held) {
    return new BearingError(
      'database-busy',
      `${file} is in use by another process (PID ${held[1]}), most likely a running "bearing serve". ` +
        `Import through the server instead (POST /api/import, or the Data page), or stop that process and try again.`,
    );
  }
  return new BearingError('database-unreadable', `cannot open ${file}: ${message}`);
}

/**
 * What a DuckDB error says, in one line: its first line (the reason) without the "Binder Error: "
 * style prefix, and never the LINE/caret echo of our generated SQL that follows.
 */
export function duckdbReason(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw
    .split('\n')[0]!
    .replace(/^[A-Za-z ]*Error: /, '')
    .trim();
}

/** DuckDB's NaN (0/0 in a measure) as JSON's null: no value, never a number. */
export const numberOrNull = (value: number | null): number | null =>
  value === null || Number.isNaN(value) ? null : value;

/** Quote an identifier that has already been checked against an allowlist. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
