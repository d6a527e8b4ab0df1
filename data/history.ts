// Import history: every import and sync, successful or not, with who ran it, when, which files
// (with their SHA-256), what it did per table and how, or the first problems that stopped it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Database, Session } from './db.ts';

export interface HistoryFile {
  name: string;
  sha256: string | null;
  bytes: number | null;
}

export interface HistoryTable {
  table: string;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface HistoryEntry {
  id: number;
  at: string;
  who: string;
  kind: 'import' | 'sync';
  method: string | null;
  ok: boolean;
  full_refresh: boolean;
  sources: string[];
  files: HistoryFile[];
  tables: HistoryTable[];
  problems: string[];
}

export async function ensureHistoryTable(session: Session): Promise<void> {
  await session.run(`CREATE SEQUENCE IF NOT EXISTS import_ids START 1`);
  await session.run(`CREATE TABLE IF NOT EXISTS import_history (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_ids'), "at" VARCHAR NOT NULL, who VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, method VARCHAR, ok BOOLEAN NOT NULL, full_refresh BOOLEAN NOT NULL,
    sources VARCHAR NOT NULL, files VARCHAR NOT NULL, tables VARCHAR NOT NULL, problems VARCHAR NOT NULL)`);
}

/** SHA-256 and size of a file, streamed (it runs beside the import, on the main thread's spare time). */
export function fileDigest(path: string): Promise<{ sha256: string; bytes: number } | null> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }))
      .on('error', () => resolve(null));
  });
}

export async function recordImport(db: Database, entry: Omit<HistoryEntry, 'id'>): Promise<void> {
  await db.write((s) =>
    s.run(
      `INSERT INTO import_history ("at", who, kind, method, ok, full_refresh, sources, files, tables, problems) ` +
        `VALUES ` +
        `($at, $who, $kind, $method, $ok, $full_refresh, $sources, $files, $tables, $problems)`,
      {
        at: entry.at,
        who: entry.who,
        kind: entry.kind,
        method: entry.method,
        ok: entry.ok,
        full_refresh: entry.full_refresh,
        sources: JSON.stringify(entry.sources),
        files: JSON.stringify(entry.files),
        tables: JSON.stringify(entry.tables),
        problems: JSON.stringify(entry.problems),
      },
    ),
  );
}

export async function readHistory(session: Session, limit = 50): Promise<HistoryEntry[]> {
  const rows = await session.all<Record<string, string | number | boolean>>(
    `SELECT * FROM import_history ORDER BY id DESC LIMIT ${Math.max(1, Math.min(1000, Math.floor(limit)))}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: String(r.at),
    who: String(r.who),
    kind: r.kind as HistoryEntry['kind'],
    method: r.method === null ? null : String(r.method),
    ok: Boolean(r.ok),
    full_refresh: Boolean(r.full_refresh),
    sources: JSON.parse(String(r.sources)),
    files: JSON.parse(String(r.files)),
    tables: JSON.parse(String(r.tables)),
    problems: JSON.parse(String(r.problems)),
  }));
}
