// A real Bearing server on a loopback ephemeral port over a copy of the sample database (or an
// empty one), with one known token per role.
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthSettings } from '../../api/auth/middleware.ts';
import { TokenStore, type Role } from '../../api/auth/tokens.ts';
import { createServerApp, listen } from '../../api/server.ts';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { RollupRefresher } from '../../metrics/rollups.ts';
import { SHIPPED_GOALS_FILE } from '../../metrics/goals.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { tempDir } from './tmp.ts';

export const TEST_TOKENS: Record<Role, string> = {
  viewer: 'viewer-token-0123456789',
  analyst: 'analyst-token-0123456789',
  admin: 'admin-token-0123456789',
};

export interface TestServer {
  url: string;
  dir: string;
  db: Database;
  catalog: Catalog;
  rollups?: RollupRefresher;
  goalsFile: string;
  metricsDir: string;
  auth: AuthSettings;
  /** fetch against the server with an optional role's token */
  call(
    method: string,
    path: string,
    options?: { role?: Role; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    data?: 'sample' | 'empty';
    web?: boolean;
    readsNeedToken?: boolean;
    /**
     * Stored month series: read where current, as a server does (the fixture carries the shipped
     * metrics' own: test/globalSetup.ts); `true` also refreshes them after every write, `false`
     * computes every series from the rows.
     */
    rollups?: boolean;
    queryTimeoutMs?: number;
    backgroundTimeoutMs?: number;
    tokensFile?: boolean;
  } = {},
): Promise<TestServer> {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'bearing.duckdb');
  if ((options.data ?? 'sample') === 'sample') copyFileSync(SAMPLE_DB, path);
  const goalsFile = join(dir, 'goals.yaml');
  copyFileSync(SHIPPED_GOALS_FILE, goalsFile);
  const metricsDir = join(dir, 'definitions');
  cpSync(SHIPPED_METRICS_DIR, metricsDir, { recursive: true });
  mkdirSync(join(dir, 'sources'));
  const db = await Database.open(path, {
    allowedDirectories: [dir],
    queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
    backgroundTimeoutMs: options.backgroundTimeoutMs,
    rollups: options.rollups !== false,
  });
  await db.write(ensureSchema);
  const catalog = await Catalog.load(db, metricsDir);
  const env = Object.entries(TEST_TOKENS)
    .map(([role, token]) => `${role}:${token}`)
    .join(',');
  const auth: AuthSettings = {
    tokens: TokenStore.load(join(dir, 'tokens.json'), env),
    readsNeedToken: options.readsNeedToken ?? false,
  };
  const rollups = options.rollups ? new RollupRefresher(db, catalog) : undefined;
  const app = createServerApp(
    {
      db,
      catalog,
      stagingDir: dir,
      goalsFile,
      auth,
      rollups,
      workspace: { root: dir, settingsFile: join(dir, 'bearing.yaml'), sourcesDir: join(dir, 'sources') },
    },
    options.web ? undefined : join(dir, 'no-web'),
  );
  const server = await listen(app, 0, '127.0.0.1');
  return {
    url: server.url,
    dir,
    db,
    catalog,
    rollups,
    goalsFile,
    metricsDir,
    auth,
    async call(method, p, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.role) headers.authorization = `Bearer ${TEST_TOKENS[o.role]}`;
      let body: BodyInit | undefined;
      if (o.body !== undefined) {
        if (typeof o.body === 'string' || o.body instanceof FormData) body = o.body as BodyInit;
        else {
          body = JSON.stringify(o.body);
          headers['content-type'] ??= 'application/json';
        }
      }
      const res = await fetch(`${server.url}${p}`, { method, headers, body, signal: o.signal });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await server.close();
      await rollups?.stop();
      db.close();
      cleanup();
    },
  };
}
