import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'bearing-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a CSV from a header and rows of values (quoted only when needed). */
export function writeCsv(
  dir: string,
  name: string,
  header: string[],
  rows: Array<Array<string | number | null>>,
): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const path = join(dir, name);
  writeFileSync(path, `${[header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n')}\n`);
  return path;
}
