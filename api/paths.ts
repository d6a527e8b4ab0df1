import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so that default paths work whatever the current directory. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DB = process.env.BEARING_DB ?? resolve(PROJECT_ROOT, 'data/bearing.duckdb');
