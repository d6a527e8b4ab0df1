import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSettings, type Settings, settingsOrFail, type Workspace, workspaceAt } from '../data/workspace.ts';

/** The repository root, so that default paths work whatever the current directory. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The workspace commands work in: BEARING_WORKSPACE, else the current folder when it holds a
 * bearing.yaml (one made by `bearing init`), else this repository (the sample world's workspace).
 */
export const WORKSPACE_DIR = resolve(
  process.env.BEARING_WORKSPACE ?? (existsSync(join(process.cwd(), 'bearing.yaml')) ? process.cwd() : PROJECT_ROOT),
);

const own = WORKSPACE_DIR !== PROJECT_ROOT;
// A workspace of one's own keeps its database, definitions and goals in it.
if (own) {
  process.env.BEARING_METRICS ??= join(WORKSPACE_DIR, 'metrics', 'definitions');
  process.env.BEARING_GOALS ??= join(WORKSPACE_DIR, 'metrics', 'goals.yaml');
}

export const DEFAULT_DB =
  process.env.BEARING_DB ??
  (own ? join(WORKSPACE_DIR, 'bearing.duckdb') : resolve(PROJECT_ROOT, 'data/bearing.duckdb'));

export function currentWorkspace(): Workspace {
  return workspaceAt(WORKSPACE_DIR, WORKSPACE_DIR);
}

/** The workspace's settings, or a bad-config error naming each problem of bearing.yaml. */
export function currentSettings(workspace: Workspace = currentWorkspace()): Settings {
  return settingsOrFail(workspace.settingsFile);
}

/** The workspace's currency for printed money (a broken bearing.yaml falls back to USD; `check` reports it). */
export function currentCurrency(): string {
  return readSettings(currentWorkspace().settingsFile).settings.currency;
}
