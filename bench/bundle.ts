// The web bundle's gzip size: everything, and what the first screen (Heading) must load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

export function bundleSizes(dist: string): { total_gzip_kb: number; initial_gzip_kb: number; files: number } {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const all = new Set<string>();
  for (const c of Object.values(manifest)) {
    all.add(c.file);
    for (const css of c.css ?? []) all.add(css);
  }
  const initial = new Set<string>(['index.html']);
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || initial.has(c.file)) return;
    initial.add(c.file);
    for (const css of c.css ?? []) initial.add(css);
    for (const i of c.imports ?? []) visit(i);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  visit(entry);
  visit(Object.keys(manifest).find((k) => k.endsWith('pages/HeadingPage.tsx'))!);
  const kb = (files: Iterable<string>) => [...files].reduce((a, f) => a + gz(f), 0) / 1024;
  return { total_gzip_kb: kb([...all, 'index.html']), initial_gzip_kb: kb(initial), files: all.size };
}
