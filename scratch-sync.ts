import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from './data/db.ts';
import { CONTRACT_TABLES } from './data/contract.ts';
import { importFiles } from './data/import/index.ts';
import { generateSample } from './data/sample/generate.ts';
import { ensureSchema } from './data/schema.ts';
import { syncSources } from './data/sources/index.ts';
import { DEFAULT_SETTINGS } from './data/workspace.ts';
const customers = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'scratch-'));
const gen = await Database.open(join(dir, 'gen.duckdb'), { allowedDirectories: [dir] });
await generateSample(gen, { customers, seed: 42, end: '2026-10-31' });
const files: Record<string, string> = {};
for (const t of CONTRACT_TABLES) {
  if (t === 'media' || t === 'observations') continue;
  const path = join(dir, `${t}.csv`);
  const select = t === 'spend' ? `SELECT channel, strftime(month, '%Y-%m') AS month, amount FROM spend` : `SELECT * FROM ${t}`;
  await gen.read((s) => s.run(`COPY (${select}) TO '${path}' (HEADER)`));
  files[t] = path;
}
gen.close();
writeFileSync(join(dir, 'x.yaml'), `sources:\n${Object.keys(files).map((t) => `  - { name: ${t}, table: ${t}, files: ${t}.csv }`).join('\n')}\n`);
let n = 0;
const fresh = async () => Database.open(join(dir, `r${n++}.duckdb`), { allowedDirectories: [dir] });
const res: Record<string, number[]> = { bare: [], imp: [], sync: [] };
for (let i = 0; i < 5; i++) {
  let db = await fresh(); let t = performance.now();
  for (const [table, path] of Object.entries(files)) await db.read((s) => s.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv($path)`, { path }));
  db.close(); res.bare!.push(performance.now() - t);
  db = await fresh(); t = performance.now(); await db.write(ensureSchema);
  await importFiles(db, Object.values(files).map((path) => ({ path }))); db.close(); res.imp!.push(performance.now() - t);
  db = await fresh(); t = performance.now(); await db.write(ensureSchema);
  await syncSources(db, { root: dir, settingsFile: join(dir, 'b.yaml'), sourcesDir: dir }, DEFAULT_SETTINGS); db.close(); res.sync!.push(performance.now() - t);
  console.log(i, res.bare!.at(-1), res.imp!.at(-1), res.sync!.at(-1));
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[2]!;
console.log('import', (med(res.bare!) / med(res.imp!)).toFixed(3), 'sync', (med(res.bare!) / med(res.sync!)).toFixed(3));
rmSync(dir, { recursive: true, force: true });
