// What every route needs, built once by the server (or a test) and passed down explicitly.
import type { Database } from '../data/db.ts';
import type { Workspace } from '../data/workspace.ts';
import type { Catalog } from '../metrics/catalog.ts';
import type { RollupRefresher } from '../metrics/rollups.ts';
import type { AuthSettings } from './auth/middleware.ts';

export interface AppDeps {
  db: Database;
  catalog: Catalog;
  /** Where uploaded CSV files are written before import (the only folder DuckDB may read). */
  stagingDir: string;
  /** The goals YAML file read and written by the goals routes. */
  goalsFile: string;
  auth: AuthSettings;
  /** Recomputes stored series after data or definitions change (absent: series are always computed). */
  rollups?: RollupRefresher;
  /** The workspace (bearing.yaml, sources/): absent, the server has no sources. */
  workspace?: Workspace;
}
