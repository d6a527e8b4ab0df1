import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Database, DEFAULT_SERVER_MEMORY_LIMIT } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { closeSharedPool } from '../../metrics/offload/pool.ts';
import { RollupRefresher } from '../../metrics/rollups.ts';
import { goalsFile } from '../../metrics/goals.ts';
import { Cron } from 'croner';
import type { Settings } from '../../data/workspace.ts';
import { runAlerts } from '../alerts/run.ts';
import { alertContext } from '../routes/digest.ts';
import { currentSettings, currentWorkspace, DEFAULT_DB } from '../paths.ts';
import { createServerApp, listen, loopbackHosts } from '../server.ts';
import { buildWebIfStale } from '../webBuild.ts';
import { createToken, isLoopback, TokenStore } from '../auth/tokens.ts';
import { removeServerFile, writeServerFile } from '../serverFile.ts';
import { tokensFileFor } from './token.ts';
import { generateInto } from './generate.ts';
import { integer } from './options.ts';

const SHUTDOWN_GRACE_MS = 5000;

interface ServeOptions {
  db: string;
  port: number;
  host: string;
  buildWeb?: boolean;
  metrics?: string;
  goals?: string;
  empty?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve the web app and the API on one port. Creates the database with the sample world when it does not exist.',
    )
    .option('--db <file>', 'database file', DEFAULT_DB)
    .option('--port <n>', 'port (env PORT; 0 picks a free one)', integer('--port', 0), Number(process.env.PORT ?? 8787))
    .option('--host <address>', 'address to bind (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option('--metrics <dir>', 'folder of metric definitions (env BEARING_METRICS)')
    .option('--goals <file>', 'goals file (env BEARING_GOALS)')
    .option('--build-web', 'build the web app first when its sources changed')
    .option('--empty', 'create the database empty instead of with the sample world (when it does not exist)')
    .action(serve);
}

async function serve(opts: ServeOptions): Promise<void> {
  if (opts.buildWeb) await buildWebIfStale();
  const dbPath = resolve(opts.db);
  const workspace = currentWorkspace();
  const settings = currentSettings(workspace);
  if (!existsSync(dbPath) && !opts.empty) {
    console.error(`${dbPath} does not exist yet: creating it with the sample world (--empty starts without it).`);
    await generateInto(dbPath, {});
  }
  const stagingDir = cleanStaging(dbPath);
  const readable = [stagingDir, ...(existsSync(workspace.sourcesDir) ? [workspace.sourcesDir] : [])];
  const db = await openServerDatabase(dbPath, readable, settings.timezone);
  const catalog = await Catalog.load(db, metricsDir(opts.metrics));
  // A broken definition must not take the server down: report it and serve the others.
  for (const p of catalog.problems) console.error(`definition problem: ${formatProblem(p)}`);
  const tokens = loadTokens(dbPath);
  const readsNeedToken = process.env.BEARING_AUTH === 'required' || !isLoopback(opts.host);
  // Stored month series are brought up to date in the background; until then series are computed.
  const rollups = new RollupRefresher(db, catalog, (line) => console.error(line));
  void rollups.schedule();
  const deps = {
    db,
    catalog,
    stagingDir,
    goalsFile: goalsFile(opts.goals),
    auth: { tokens, readsNeedToken },
    rollups,
    workspace,
  };
  const app = createServerApp(deps, undefined, { allowedHosts: isLoopback(opts.host) ? loopbackHosts() : undefined });
  const server = await listen(app, opts.port, opts.host).catch(async (error) => {
    // Nothing is served: stop what was started for it, so the command ends now with the reason.
    await closeSharedPool();
    await rollups.stop();
    db.close();
    throw error;
  });
  // Read-only CLI commands beside this server ask it (see api/serverFile.ts).
  const token = tokens.addEphemeral('viewer', 'cli-beside-server');
  writeServerFile(dbPath, { url: server.url, token, metrics_dir: catalog.dir, goals_file: goalsFile(opts.goals) });
  process.once('exit', () => removeServerFile(dbPath));
  const alerts = scheduleAlerts(deps, settings);
  console.log(`Bearing is serving ${dbPath} on ${server.url}`);
  // Shutdown is bounded: background queries are interrupted, and whatever still holds on is cut
  // after a few seconds (every committed write is already durable).
  const stop = async () => {
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    removeServerFile(dbPath);
    alerts?.stop();
    // Fits and comparisons in worker threads stop at once (their callers get 503 shutting-down).
    const computations = closeSharedPool();
    await rollups.stop();
    await computations;
    await server.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined); // serve until stopped
}

/** The upload staging folder beside the database, emptied of uploads a killed server left behind. */
function cleanStaging(dbPath: string): string {
  const stagingDir = join(dirname(dbPath), 'staging');
  mkdirSync(stagingDir, { recursive: true });
  for (const entry of readdirSync(stagingDir)) {
    if (entry.startsWith('upload-')) rmSync(join(stagingDir, entry), { recursive: true, force: true });
  }
  return stagingDir;
}

const envNumber = (name: string, scale = 1) => (process.env[name] ? Number(process.env[name]) * scale : undefined);

/** The database as the server runs it: the settings of README "Server settings", from the environment. */
async function openServerDatabase(dbPath: string, readable: string[], timezone: string): Promise<Database> {
  const timeout = Number(process.env.BEARING_QUERY_TIMEOUT ?? 30);
  const db = await Database.open(dbPath, {
    allowedDirectories: readable,
    timezone,
    // DuckDB spills to its temp folder beyond this, keeping the server's RSS under 1 GB.
    memoryLimit: process.env.BEARING_MEMORY_LIMIT ?? DEFAULT_SERVER_MEMORY_LIMIT,
    cache: process.env.BEARING_CACHE !== 'off',
    rollups: process.env.BEARING_ROLLUPS !== 'off',
    queryTimeoutMs: timeout * 1000,
    backgroundTimeoutMs: (envNumber('BEARING_REFRESH_TIMEOUT') ?? timeout) * 1000,
    analystSlots: envNumber('BEARING_ANALYST_SLOTS'),
    analystPerCaller: envNumber('BEARING_ANALYST_PER_CALLER'),
    cacheBytes: envNumber('BEARING_CACHE_MB', 1024 * 1024),
  });
  await db.write(ensureSchema);
  return db;
}

/** The tokens file's tokens; on the very first start an admin token is made and shown once. */
function loadTokens(dbPath: string): TokenStore {
  const tokensFile = tokensFileFor(dbPath);
  const tokens = TokenStore.load(tokensFile);
  if (tokens.size > 0) return tokens;
  const admin = createToken(tokensFile, 'admin', 'created on first start');
  console.error(
    `First start: an admin token was created (stored hashed in ${tokensFile}). It is shown only now:\n\n  ` +
      `${admin}\n\nUse it as "Authorization: Bearer <token>", or paste it under "Sign in" in the web app. ` +
      `More: bearing token create --role analyst`,
  );
  return TokenStore.load(tokensFile);
}

/** The alert rules evaluated on their schedule, in the workspace's time zone, one run at a time. */
function scheduleAlerts(deps: Parameters<typeof alertContext>[0], settings: Settings): Cron | null {
  if (!settings.alerts) return null;
  const job = new Cron(settings.alerts.schedule, { timezone: settings.timezone, protect: true }, async () => {
    try {
      const result = await runAlerts(alertContext(deps));
      console.error(`alerts: ${result.changes} change(s), ${result.sent} sent, ${result.failed} failed`);
    } catch (error) {
      console.error(`alerts: the run failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  console.error(
    `alerts: next run ${job.nextRun()?.toISOString() ?? 'never'} (${settings.alerts.schedule}, ${settings.timezone})`,
  );
  return job;
}
