// What every route needs, built once by the server (or a test) and passed down explicitly.
import type { Database } from '../data/db.ts';

export interface AppDeps {
  db: Database;
  /** Where uploaded CSV files are written before import (the only folder DuckDB may read). */
  stagingDir: string;
}
