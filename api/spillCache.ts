// Answers too large for the in-memory result cache (an overview of more than 1,000 goals: 15 MB of
// JSON at 1,044 goals, 296 MB at 21,060) kept as files, so the next request for the same answer is
// read from disk instead of recomputing every goal's forecast (1–70 s). A file is written while the
// answer streams to its first client and kept only when that answer was written whole. Keys hold
// the data version (data/resultCache.ts), so a write to the data makes every file stale; stale files
// and all but the newest few are deleted as new ones are kept, and the folder when the process exits.
// A request for an answer still being written follows that file as it grows (`follow`), so two
// dashboards opened at once compute it once.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, read, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Answers kept at once: two dashboards' as-of dates, say (each up to a few hundred MB on disk). */
const KEPT = 2;

export interface SpillWriter {
  /** Appends a piece of the answer (synchronous: a piece is one goal, about 14 KB). */
  write(text: string): void;
  /** The answer was written whole: keep it for `key`. */
  keep(): void;
  /** The answer was written whole but is not to be kept (the data moved on meanwhile). */
  discard(): void;
  /** The answer was cut short: drop what was written; `reason` is what its followers are told. */
  drop(reason?: unknown): void;
  /** Requests following this answer as it is written (see `SpillCache.follow`). */
  readonly followers: number;
}

/** An answer being written now, for the requests that follow it. */
interface Run {
  version: number;
  file?: string;
  /** Bytes written so far. */
  size: number;
  /** `whole`: written to its end (kept or not); `dropped`: cut short. */
  state: 'writing' | 'whole' | 'dropped';
  reason?: unknown;
  followers: number;
  /** Called once at each change (bytes written, kept, dropped). */
  waiting: Array<() => void>;
  onFollowerLeft?: () => void;
}

const changed = (run: Run) => {
  for (const wake of run.waiting.splice(0)) wake();
};

export class SpillCache {
  private dir: string | undefined;
  /** Kept answers by hashed key, least recently read first. */
  private readonly files = new Map<string, { file: string; version: number }>();
  private serial = 0;
  /** Answers being written now, by hashed key. */
  private readonly writing = new Map<string, Run>();

  /** A kept answer as a byte stream, or undefined. `version` is the data version it must be from. */
  read(key: string, version: number): ReadableStream<Uint8Array> | undefined {
    const id = hashOf(key);
    const entry = this.files.get(id);
    if (!entry || entry.version !== version) return undefined;
    let fd: number;
    try {
      // Opened now, not on the stream's first read: a newer answer deleting the file then does not
      // cut this reader short.
      fd = openSync(entry.file, 'r');
    } catch {
      this.files.delete(id);
      return undefined;
    }
    this.files.delete(id);
    this.files.set(id, entry);
    return Readable.toWeb(createReadStream('', { fd })) as ReadableStream<Uint8Array>;
  }

  /**
   * A writer for the answer to `key` at data `version`; any failure to write just keeps nothing.
   * Requests for the same answer may follow it from now until it is kept or dropped;
   * `onFollowerLeft` is called when one of them goes away.
   */
  writer(key: string, version: number, onFollowerLeft?: () => void): SpillWriter {
    let fd: number | undefined;
    let file: string | undefined;
    const id = hashOf(key);
    const run: Run = { version, size: 0, state: 'writing', followers: 0, waiting: [], onFollowerLeft };
    // A newer writer for the same key (the first one's client left) takes over its followers' place.
    this.writing.set(id, run);
    const end = (state: 'whole' | 'dropped', reason?: unknown) => {
      if (run.state !== 'writing') return;
      Object.assign(run, { state, reason });
      if (this.writing.get(id) === run) this.writing.delete(id);
      changed(run);
    };
    const close = () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };
    return {
      get followers() {
        return run.followers;
      },
      write: (text) => {
        // Nothing more once the answer ended, or once writing it failed.
        if (run.state !== 'writing') return;
        try {
          if (fd === undefined) {
            this.dir ??= makeDir();
            file = join(this.dir, `answer-${++this.serial}.json`);
            fd = openSync(file, 'w', 0o600);
            run.file = file;
          }
          run.size += writeSync(fd, text);
          changed(run);
        } catch (error) {
          // A full disk costs the next request a recomputation, never this answer (its followers
          // are cut: they read the file).
          close();
          end('dropped', error);
          if (file) rmSync(file, { force: true });
        }
      },
      keep: () => {
        close();
        const written = run.state === 'writing';
        end('whole');
        if (!written || !file) return;
        const old = this.files.get(id);
        this.files.delete(id);
        this.files.set(id, { file, version });
        if (old) rmSync(old.file, { force: true });
        for (const [other, entry] of this.files)
          if (entry.version !== version || this.files.size > KEPT) {
            this.files.delete(other);
            rmSync(entry.file, { force: true });
          }
      },
      discard: () => {
        close();
        end('whole');
        // Its followers hold the file open, and read it to its end.
        if (file) rmSync(file, { force: true });
      },
      drop: (reason) => {
        close();
        end('dropped', reason ?? new Error('the answer was cut short'));
        if (file) rmSync(file, { force: true });
      },
    };
  }

  /**
   * The answer to `key` at data `version` while another request is writing it: its bytes as they
   * are written, from the first. Resolves at its first byte, or rejects with the writer's reason if
   * it was dropped before one; a drop later cuts the stream (never a short answer that parses).
   * Undefined when no such answer is being written.
   */
  follow(key: string, version: number): Promise<ReadableStream<Uint8Array>> | undefined {
    const run = this.writing.get(hashOf(key));
    if (!run || run.version !== version || run.state !== 'writing') return undefined;
    run.followers++;
    let fd: number | undefined;
    let offset = 0;
    let left = false;
    const leave = (gone: boolean) => {
      if (left) return;
      left = true;
      run.followers--;
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      if (gone) run.onFollowerLeft?.();
    };
    const next = () => new Promise<void>((wake) => run.waiting.push(wake));
    const readMore = async (): Promise<Uint8Array | null> => {
      for (;;) {
        if (run.state === 'dropped') throw run.reason;
        if (offset < run.size) {
          // Opened at the first byte and kept open: a newer answer deleting the file later does
          // not cut this reader short.
          fd ??= openSync(run.file!, 'r');
          const chunk = Buffer.allocUnsafe(Math.min(run.size - offset, 1 << 16));
          const bytes = await new Promise<number>((done, fail) =>
            read(fd!, chunk, 0, chunk.length, offset, (error, n) => (error ? fail(error) : done(n))),
          );
          offset += bytes;
          return chunk.subarray(0, bytes);
        }
        if (run.state === 'whole') return null;
        await next();
      }
    };
    return readMore().then(
      (first) =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            if (first) controller.enqueue(first);
            else {
              leave(false);
              controller.close();
            }
          },
          async pull(controller) {
            try {
              const chunk = await readMore();
              if (chunk) controller.enqueue(chunk);
              else {
                leave(false);
                controller.close();
              }
            } catch (error) {
              leave(false);
              controller.error(error);
            }
          },
          cancel() {
            leave(true);
          },
        }),
      (error: unknown) => {
        leave(false);
        throw error;
      },
    );
  }
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bearing-answers-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
