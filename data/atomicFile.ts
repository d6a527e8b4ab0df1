// Write a whole file so that a crash leaves the old content or the new, never half: write a
// temporary file beside it, then rename (atomic on one file system).
import { chmodSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `path`; a file that exists keeps its mode unless `mode` says otherwise. */
export function writeFileAtomic(path: string, text: string, mode?: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let keep = mode;
  try {
    keep ??= statSync(path).mode & 0o777;
  } catch {
    // a new file: the process's umask decides
  }
  writeFileSync(tmp, text);
  // Set after writing: a mode given at creation is narrowed by the umask.
  if (keep !== undefined) chmodSync(tmp, keep);
  renameSync(tmp, path);
}
