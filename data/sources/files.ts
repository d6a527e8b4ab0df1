// Which files a source reads: its paths and globs, relative to its sources file, each checked to
// lie inside the sources folder (symbolic links resolved), in a stable order.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Format } from './definition.ts';

/** Files one `files` entry may match (README "Sources"); more is refused, never cut silently. */
export const MAX_FILES = 10_000;
/** Entries a glob may look through under its fixed folder before it is refused as too broad. */
const MAX_WALKED = 100_000;

/** Whether `path` (already resolved) lies inside `root`. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

const hasGlob = (s: string) => /[*?[]/.test(s);

function globRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Every file under `dir`; false when there are more than MAX_WALKED (the list is then partial). */
function walk(dir: string, found: string[]): boolean {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (found.length >= MAX_WALKED) return false;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!walk(path, found)) return false;
    } else found.push(path);
  }
  return true;
}

export type Resolved = { ok: true; files: string[] } | { ok: false; message: string };

/**
 * The files one `files` entry names, sorted; or why not (outside the sources folder, nothing
 * matches). `base` is the sources file's folder, `root` the sources folder.
 */
export function resolveFiles(pattern: string, base: string, root: string): Resolved {
  const absolute = resolve(base, pattern);
  const realRoot = realpathSync(root);
  if (!isInside(root, absolute) && !isInside(realRoot, absolute))
    return { ok: false, message: `"${pattern}" is outside the sources folder (a source may only read files under it)` };
  let candidates: string[];
  if (!hasGlob(pattern)) candidates = [absolute];
  else {
    const parts = absolute.split(sep);
    const fixed = parts.findIndex(hasGlob);
    const start = parts.slice(0, fixed).join(sep) || sep;
    const all: string[] = [];
    if (!walk(start, all))
      return {
        ok: false,
        message: `"${pattern}" looks through more than ${MAX_WALKED.toLocaleString('en')} files; narrow its folder`,
      };
    const re = globRegex(absolute);
    candidates = all.filter((p) => re.test(p)).sort();
    if (candidates.length > MAX_FILES)
      return {
        ok: false,
        message:
          `"${pattern}" matches ${candidates.length.toLocaleString('en')} files; a source reads at most ` +
          `${MAX_FILES.toLocaleString('en')} (combine them, or split the glob over several sources)`,
      };
  }
  const files: string[] = [];
  for (const path of candidates) {
    let real: string;
    try {
      real = realpathSync(path);
      if (!statSync(real).isFile()) continue;
    } catch {
      continue;
    }
    if (!isInside(realRoot, real))
      return { ok: false, message: `"${relative(root, path)}" leads outside the sources folder (a symbolic link)` };
    files.push(real);
  }
  if (!files.length)
    return { ok: false, message: hasGlob(pattern) ? `no file matches "${pattern}"` : `file "${pattern}" not found` };
  return { ok: true, files };
}

/** A file's format from its name (a trailing .gz is looked through). */
export function formatOf(path: string): Format | null {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|txt)$/.test(name)) return 'csv';
  if (/\.(tsv|tab)$/.test(name)) return 'tsv';
  if (/\.(parquet|pq)$/.test(name)) return 'parquet';
  if (/\.(json|ndjson|jsonl)$/.test(name)) return 'json';
  return null;
}

/** How a file is named in reports: its path inside the sources folder. */
export const labelOf = (root: string, path: string) => relative(realpathSync(root), path) || path;

export const folderOf = (root: string, sourcesFile: string) => dirname(join(root, sourcesFile));
