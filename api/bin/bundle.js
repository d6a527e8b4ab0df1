// The server's TypeScript, bundled into dist/server/<fingerprint>/ (the CLI and the offload workers'
// tasks) and rebuilt whenever a source file changes. Loading ~170 files through tsx's loader cost every
// `bearing` command and every worker thread about 1 s of CPU before it did anything; the bundle
// loads in a fraction of that. Written in JavaScript: it runs before any TypeScript loader.
// When the bundle cannot be written (a read-only checkout), the caller falls back to tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** One folder per set of sources, each three folders below the root (see keepPlaces). */
const BUNDLES = join(ROOT, 'dist/server');
const SOURCE_DIRS = ['api', 'data', 'metrics'];
const ENTRIES = { bearing: 'api/cli/main.ts', tasks: 'metrics/offload/tasks.ts' };
/**
 * Left out of the bundle: DuckDB's native binding (a .node file found from its own package) and the
 * build tools loaded only when building. Every other dependency is bundled in: Node finding,
 * reading and lexing some 450 package files (DuckDB's JavaScript, zod, yaml, hono) one by one cost
 * every command and every worker thread time before it did anything. Measured (CPU, this machine):
 * `bearing --help` 1.1 → 0.6 s, a worker thread loading its tasks 0.7 → 0.3 s.
 */
const EXTERNAL = ['@duckdb/node-bindings*', 'esbuild', 'tsx', 'vite', '@vitejs/*'];
/** Bundled CommonJS packages call `require`, which an ES module does not have: each chunk makes one. */
const REQUIRE_SHIM =
  "import { createRequire as __bearingRequire } from 'node:module'; const require = __bearingRequire(import.meta.url);";

/** Every source file's path, size and modification time: any edit, even to an older copy, changes it. */
function fingerprint() {
  const hash = createHash('sha256');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ts|js)$/.test(entry.name)) {
        const s = statSync(path);
        hash.update(`${relative(ROOT, path)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(ROOT, dir));
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
}

/**
 * A bundled file keeps each source's place: `import.meta.url` and `import.meta.dirname` are
 * rewritten to the source file's own, relative to its bundle's folder (three below the root), so
 * the shipped definitions, goals and worker are found where they are in the checkout.
 */
const keepPlaces = {
  name: 'keep-places',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const file = relative(ROOT, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(`../../../${file}`)}, import.meta.url).href`;
      const folder = `(import.meta.dirname + ${JSON.stringify(`/../../../${dirname(file)}`)})`;
      return {
        contents: text.replaceAll('import.meta.url', url).replaceAll('import.meta.dirname', folder),
        loader: 'ts',
      };
    });
  },
};

async function build(dir) {
  const { build: esbuild } = await import('esbuild');
  const next = `${dir}.${process.pid}.next`;
  rmSync(next, { recursive: true, force: true });
  await esbuild({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [keepPlaces],
  });
  try {
    renameSync(next, dir);
  } catch (error) {
    // Another command built the same sources first: theirs is identical.
    rmSync(next, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
}

/**
 * Bundles of other sources not used for a week (a running server keeps reading its own). Best
 * effort, each folder on its own: another command may be renaming one meanwhile, and a failure here
 * must not discard the bundle just built.
 */
function removeOld(keep) {
  const weekAgo = Date.now() - 7 * 86_400_000;
  for (const name of readdirSync(BUNDLES)) {
    const path = join(BUNDLES, name);
    try {
      if (path !== keep && statSync(path).mtimeMs < weekAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone already, or in use by a build: left for a later command
    }
  }
}

/**
 * The folder of a bundle built from the sources as they are now, building it first when they
 * changed; undefined when it cannot be built (the caller then loads the sources through tsx).
 * Each set of sources has its own folder, so a server started earlier keeps loading the code it
 * started with while a newer command builds beside it.
 */
export async function freshBundle() {
  try {
    const dir = join(BUNDLES, fingerprint().slice(0, 16));
    if (!existsSync(join(dir, 'bearing.mjs'))) {
      mkdirSync(BUNDLES, { recursive: true });
      await build(dir);
      removeOld(dir);
    } else utimesSync(dir, new Date(), new Date());
    return dir;
  } catch {
    return undefined;
  }
}
