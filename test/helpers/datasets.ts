// The shared test datasets (Olist: tests only; Robyn: MIT), beside the repository in ../shared,
// wherever the repository was cloned (BEARING_DATASETS overrides).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CANDIDATES = [
  process.env.BEARING_DATASETS,
  resolve('../shared/datasets'),
  resolve(import.meta.dirname, '../../../shared/datasets'),
  '/work/shared/datasets',
].filter((d): d is string => Boolean(d));

export function datasetsDir(): string {
  const found = CANDIDATES.find((d) => existsSync(join(d, 'robyn')));
  if (!found)
    throw new Error(`the shared datasets are not found (looked in ${CANDIDATES.join(', ')}; set BEARING_DATASETS)`);
  return found;
}
