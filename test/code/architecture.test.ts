// The layering rule and the absence of import cycles, read from the source itself.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROBYN_SOURCES, WEEKLY_REVENUE } from '../helpers/robyn.ts';

const files = execSync(
  "git ls-files --cached --others --exclude-standard 'api/*.ts' 'data/*.ts' 'metrics/*.ts' 'web/src/*.ts' " +
    "'web/src/*.tsx'",
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => f && !f.endsWith('.d.ts'));
const SHARED_WORDS = 'metrics/words/units.ts';
const LAYER = (f: string) => (f.startsWith('web/') ? 3 : f.startsWith('api/') ? 2 : f.startsWith('metrics/') ? 1 : 0);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function imports(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    edges.push({ from: file, to: normalize(join(dirname(file), m[2]!)), typeOnly: Boolean(m[1]) });
  }
  return edges;
}

const edges = files.flatMap(imports);

describe('architecture', () => {
  it('data → metrics → api → web: nothing imports a layer above it; web takes only types from api', () => {
    const upward = edges.filter((e) => LAYER(e.to) > LAYER(e.from)).map((e) => `${e.from} → ${e.to}`);
    expect(upward).toEqual([]);
    // The one value the web app takes from outside web/: the unit words the server's sentences use.
    const webValues = edges
      .filter((e) => e.from.startsWith('web/') && !e.to.startsWith('web/') && !e.typeOnly && e.to !== SHARED_WORDS)
      .map((e) => `${e.from} → ${e.to}`);
    expect(webValues).toEqual([]);
    expect(edges.some((e) => e.from.startsWith('web/') && e.to === SHARED_WORDS)).toBe(true);
  });

  it('the unit words the browser bundles import nothing (no node module, no other file of ours)', () => {
    const text = readFileSync(SHARED_WORDS, 'utf8');
    expect(text.match(/^\s*(import|export)\s[^;]*\sfrom\s/gm) ?? []).toEqual([]);
    expect(text).not.toMatch(/\brequire\(|\bprocess\.|import\(/);
  });

  it('no import cycles (type-only imports included)', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('no line over 120 characters in the source and tests (fixtures aside)', () => {
    const all = execSync("git ls-files --cached --others --exclude-standard '*.ts' '*.tsx' '*.js'", {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f && !f.startsWith('test/fixtures/'));
    const long = all.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > 120 ? [`${f}:${i + 1} (${line.length})`] : [])),
    );
    expect(long).toEqual([]);
  });

  // The sources mapping and the KPI's definition beside the mix model they feed; the README links there.
  it('docs/mix.md shows the Robyn example exactly as the tests map it, and the README points to it', () => {
    expect(readFileSync('docs/mix.md', 'utf8')).toContain(ROBYN_SOURCES);
    expect(readFileSync('docs/mix.md', 'utf8')).toContain(WEEKLY_REVENUE);
    expect(readFileSync('README.md', 'utf8')).toMatch(/Robyn's weekly demo file .*docs\/mix\.md#media-mix/);
  });

  it('the README is a manual under 40 KB, and every link in it and in docs/ leads somewhere', () => {
    expect(statSync('README.md').size).toBeLessThan(40_000);
    const slug = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[`*]/g, '')
        .replace(/[^a-z0-9 \-_]/g, '')
        .replace(/ /g, '-');
    const anchorsOf = (f: string) =>
      new Set([...readFileSync(f, 'utf8').matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1]!)));
    const files = ['README.md', ...readdirSync('docs').map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const f of files)
      for (const [, link] of readFileSync(f, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|javascript:|…)/.test(link!)) continue;
        const [target, fragment] = link!.split('#');
        const path = target ? normalize(join(dirname(f), target)) : f;
        if (target && !existsSync(path)) broken.push(`${f}: ${link}`);
        else if (fragment && path.endsWith('.md') && !anchorsOf(path).has(fragment)) broken.push(`${f}: ${link}`);
      }
    expect(broken).toEqual([]);
  });
});
