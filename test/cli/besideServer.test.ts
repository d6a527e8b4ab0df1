// Read-only commands work while `bearing serve` holds the database, and print the same answers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServe } from '../helpers/cli.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const rounded = (value: unknown): unknown =>
  typeof value === 'number'
    ? Number(value.toPrecision(12))
    : Array.isArray(value)
      ? value.map(rounded)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]))
        : value;

describe('query, heading, channels and check beside a running server', () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'w.duckdb');
  const commands = [
    ['query', 'nps', '--grain', 'quarter', '--where', 'segment=smb', '--json'],
    ['query', 'revenue', '--by', 'region', '--csv'],
    ['heading', '--json'],
    ['heading'],
    ['channels', '--outcome', 'csat', '--json'],
    ['channels'],
    ['drivers', '--goal', 'nps-40'],
  ];
  const alone = new Map<string, string>();
  beforeAll(() => {
    expect(run('generate', '--db', db, '--customers', '2000', '--seed', '9', '--end', '2026-10-31').status).toBe(0);
    for (const c of commands) {
      const r = run(...c, '--db', db);
      expect(r.status, r.stderr).toBe(0);
      alone.set(c.join(' '), r.stdout);
    }
  }, 120_000);
  afterAll(cleanup);

  // With tokens required the same answers come through the same path: two commands show it.
  it.each([
    ['reads open on loopback', {}, commands],
    ['reads need a token', { BEARING_AUTH: 'required' }, [commands[0]!, commands[4]!]],
  ])(
    'same output and exit 0 with the server up (%s)',
    async (_label, env, asked) => {
      const server = await startServe(['--db', db, '--port', '0'], { ...process.env, ...env });
      try {
        expect(existsSync(`${db}.server.json`)).toBe(true);
        for (const c of asked) {
          const r = run(...c, '--db', db);
          expect(r.status, `${c.join(' ')}: ${r.stderr}`).toBe(0);
          // JSON compared to 12 significant digits: DuckDB's parallel sums of doubles may differ in the last bit.
          if (c.includes('--json'))
            expect(rounded(JSON.parse(r.stdout)), c.join(' ')).toEqual(rounded(JSON.parse(alone.get(c.join(' '))!)));
          else expect(r.stdout, c.join(' ')).toBe(alone.get(c.join(' ')));
        }
        const check = run('check', '--db', db);
        expect(check.status).toBe(0);
        // Errors come back as errors, with the server's message and exit 1.
        const unknown = run('query', 'no_such_metric', '--db', db);
        expect(unknown.status).toBe(1);
        expect(unknown.stderr).toMatch(/no metric named "no_such_metric"/);
        // Imports still refuse, saying how to import through the server.
        const imp = run(
          'import',
          '--db',
          db,
          writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date'], [['zz', '2026-01-01']]),
        );
        expect(imp.status).toBe(1);
        expect(imp.stderr).toMatch(/POST \/api\/import/);
      } finally {
        expect(await server.stop()).toBe(0);
      }
      expect(existsSync(`${db}.server.json`)).toBe(false);
    },
    120_000,
  );

  it('a server reading other definitions is not asked for answers it would compute differently', async () => {
    const server = await startServe(['--db', db, '--port', '0']);
    try {
      const r = run('query', 'revenue', '--db', db, '--metrics', dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/reads definitions from .* not /);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
