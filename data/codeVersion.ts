// What computed an answer kept in the database (data/storedResults.ts): the content of every
// source file of data/ and metrics/, the locked dependencies and Node's version. An answer stored by
// other code is never served: a fixed bug or a changed method must not keep reading as it did.
// Content, not modification dates: a fresh clone of the same commit is the same code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['data', 'metrics'];

let known: string | null | undefined;

/** A hash of the analysis code, or null when its sources cannot be read (then nothing is stored). */
export function codeVersion(): string | null {
  if (known !== undefined) return known;
  try {
    const hash = createHash('sha256').update(process.version);
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const path = join(dir, entry.name);
        // A workspace's staged uploads can sit under data/: not code.
        if (entry.isDirectory()) {
          if (entry.name !== 'staging') visit(path);
        } else if (/\.(ts|js)$/.test(entry.name)) hash.update(`${relative(ROOT, path)}\0`).update(readFileSync(path));
      }
    };
    for (const dir of SOURCE_DIRS) visit(join(ROOT, dir));
    hash.update(readFileSync(join(ROOT, 'package-lock.json')));
    known = hash.digest('hex').slice(0, 32);
  } catch {
    known = null;
  }
  return known;
}
