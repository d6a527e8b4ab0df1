// Answers too large for the in-memory result cache (an overview of more than 1,000 goals: 15 MB of
// JSON at 1,044 goals, 296 MB at 21,060) kept as files, so the next request for the same answer is
// read from disk instead of recomputing every goal's forecast (1–70 s). A file is written while the
// answer streams to its first client and kept only when that answer was written whole. Keys hold
// the data version (data/resultCache.ts), so a write to the data makes every file stale; stale files
// and all but the newest few are deleted as new ones are kept, and the folder when the process exits.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
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
  /** The answer was cut short: drop what was written. */
  drop(): void;
}

export class SpillCache {
  private dir: string | undefined;
  /** Kept answers by hashed key, least recently read first. */
  private readonly files = new Map<string, { file: string; version: number }>();
  private serial = 0;

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

  /** A writer for the answer to `key` at data `version`; any failure to write just keeps nothing. */
  writer(key: string, version: number): SpillWriter {
    let fd: number | undefined;
    let file: string | undefined;
    let failed = false;
    const close = () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };
    return {
      write: (text) => {
        if (failed) return;
        try {
          if (fd === undefined) {
            this.dir ??= makeDir();
            file = join(this.dir, `answer-${++this.serial}.json`);
            fd = openSync(file, 'w', 0o600);
          }
          writeSync(fd, text);
        } catch {
          // A full disk costs the next request a recomputation, never this answer.
          failed = true;
          close();
          if (file) rmSync(file, { force: true });
        }
      },
      keep: () => {
        close();
        if (failed || !file) return;
        const id = hashOf(key);
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
      drop: () => {
        close();
        if (file) rmSync(file, { force: true });
      },
    };
  }
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bearing-answers-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
