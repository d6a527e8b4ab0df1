// While `bearing serve` holds a database (DuckDB allows one process per file), it writes a small
// file beside it saying where it listens, with a read-only token made for this run. Read-only CLI
// commands (query, heading, channels) then ask the server instead of refusing. The file is
// readable by its owner only, and removed when the server stops; a stale one (kill -9) is
// ignored because the database is then no longer held.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../data/atomicFile.ts';

const ServerFile = z.object({
  pid: z.number().int(),
  url: z.string().url(),
  token: z.string().min(16),
  metrics_dir: z.string(),
  goals_file: z.string(),
  started_at: z.string(),
});
export type ServerFile = z.infer<typeof ServerFile>;

export const serverFileFor = (dbPath: string) => `${resolve(dbPath)}.server.json`;

export function writeServerFile(dbPath: string, info: Omit<ServerFile, 'pid' | 'started_at'>): void {
  writeFileAtomic(
    serverFileFor(dbPath),
    `${JSON.stringify({ pid: process.pid, started_at: new Date().toISOString(), ...info }, null, 2)}\n`,
    0o600,
  );
}

export function removeServerFile(dbPath: string): void {
  const file = serverFileFor(dbPath);
  // Only our own: a second server that failed to start must not remove the first one's file.
  if (readServerFile(dbPath)?.pid === process.pid) rmSync(file, { force: true });
}

export function readServerFile(dbPath: string): ServerFile | null {
  const file = serverFileFor(dbPath);
  if (!existsSync(file)) return null;
  try {
    const parsed = ServerFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The address to reach a server bound to `host`: a wildcard bind is reached on loopback. */
export function localUrl(url: string): string {
  const u = new URL(url);
  if (u.hostname === '0.0.0.0') u.hostname = '127.0.0.1';
  if (u.hostname === '[::]') u.hostname = '[::1]';
  return u.origin;
}
