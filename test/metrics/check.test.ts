// Every error class the checker catches, with its code, line and column.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { checkDefinitions } from '../../metrics/check.ts';
import { compileSeries } from '../../metrics/compile.ts';
import { formatProblem, type AggregateDefinition } from '../../metrics/definition.ts';
import { openTestDb } from '../helpers/db.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: Database;
const { dir, cleanup } = tempDir();
beforeAll(async () => {
  db = await openTestDb(dir);
});
afterAll(() => {
  db.close();
  cleanup();
});

const HEAD = 'name: m\nlabel: M\ndescription: d\nunit: count\ndirection: up\n';
const check = (files: Record<string, string>) =>
  db.read((s) =>
    checkDefinitions(
      s,
      Object.entries(files).map(([file, text]) => ({ file, text })),
    ),
  );
const lines = async (files: Record<string, string>) => (await check(files)).problems.map(formatProblem);

describe('bearing check: every problem, with file:line:col: field', () => {
  it('YAML syntax', async () => {
    // The YAML parser notices the unclosed list at the end of the file.
    expect(await lines({ 'm.yaml': `${HEAD}table: orders\ntime: [ordered_at\n` })).toEqual([
      expect.stringMatching(/^m\.yaml:8:1: \(yaml\): Flow sequence .* end with a \]/),
    ]);
  });

  it('missing and mistyped fields, unknown fields, unknown table — all reported, not just the first', async () => {
    const result = await check({
      'm.yaml':
        'name: Bad Name\nlabel: M\nunit: dollars\ndirection: up\ntable: leads\ntime: x\nmeasure: count(*)\nmesure: 1\n',
    });
    const byField = Object.fromEntries(result.problems.map((p) => [p.field, [p.code, p.line, p.col]]));
    expect(byField).toMatchObject({
      name: ['invalid-field', 1, 7],
      description: ['missing-field', 1, 1],
      unit: ['invalid-field', 3, 7],
      table: ['unknown-table', 5, 8],
      mesure: ['unknown-field', 8, 1],
    });
  });

  it('unknown column, pointing at the column inside the expression', async () => {
    expect(
      await lines({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: sum(amount) + sum(discount)\n` }),
    ).toEqual([
      'm.yaml:8:28: measure: unknown column "discount" in orders (expected one of order_id, customer_id, ' +
        'ordered_at, amount, segment, region, acquisition_channel, period_start, period_end)',
    ]);
  });

  it('unknown column on line 3 of a block expression maps to the file line', async () => {
    const text = `${HEAD}table: orders\ntime: ordered_at\nmeasure: |\n  sum(\n    amount\n    * bogus)\n`;
    expect(await lines({ 'm.yaml': text })).toEqual([
      expect.stringMatching(/^m\.yaml:11:7: measure: unknown column "bogus"/),
    ]);
  });

  it('unknown time column, and a time column that is not a date', async () => {
    const result = await check({
      'a.yaml': `${HEAD}table: orders\ntime: when\nmeasure: count(*)\n`,
      'b.yaml': `${HEAD.replace('name: m', 'name: b')}table: orders\ntime: amount\nmeasure: count(*)\n`,
    });
    expect(result.problems.map((p) => [p.file, p.code, p.line])).toEqual([
      ['a.yaml', 'unknown-column', 7],
      ['b.yaml', 'not-a-time-column', 7],
    ]);
  });

  it('a measure that is not an aggregate, and a filter that is not boolean', async () => {
    expect(
      (await check({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: amount * 2\n` })).problems.map(
        (p) => p.code,
      ),
    ).toEqual(['not-an-aggregate']);
    expect(
      (await check({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: "42"\n` })).problems.map(
        (p) => p.code,
      ),
    ).toEqual(['not-an-aggregate']);
    expect(
      await lines({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: count(*)\nfilter: amount + 1\n` }),
    ).toEqual(['m.yaml:9:9: filter: a filter must be a true/false condition (this one is DOUBLE)']);
    expect(
      (
        await check({
          'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: count(*)\nfilter: sum(amount) > 3\n`,
        })
      ).problems.map((p) => p.code),
    ).toEqual(['aggregate-not-allowed']);
    expect(await lines({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: max(order_id)\n` })).toEqual([
      'm.yaml:8:10: measure: a measure must be a number (this one is VARCHAR)',
    ]);
  });

  it('SQL syntax errors, parsed by DuckDB, at the position in the YAML', async () => {
    expect(await lines({ 'm.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: sum(amount) + * 2\n` })).toEqual([
      'm.yaml:8:26: measure: SQL syntax error: syntax error at or near "2"',
    ]);
  });

  it('derived references to unknown metrics, cycles and duplicate names', async () => {
    const derived = (name: string, expression: string) =>
      `name: ${name}\nlabel: L\ndescription: d\nunit: ratio\ndirection: up\nexpression: ${expression}\n`;
    const result = await check({
      'base.yaml': `${HEAD.replace('name: m', 'name: base')}table: orders\ntime: ordered_at\nmeasure: count(*)\n`,
      'x.yaml': derived('x', 'base / nothing_here'),
      'p.yaml': derived('p', 'q + base'),
      'q.yaml': derived('q', 'p * 2'),
      'z.yaml': `${HEAD.replace('name: m', 'name: base')}table: orders\ntime: ordered_at\nmeasure: count(*)\n`,
    });
    expect(result.problems.map(formatProblem).sort()).toEqual([
      'p.yaml:6:13: expression: circular reference: p → q → p',
      'q.yaml:6:13: expression: circular reference: q → p → q',
      'x.yaml:6:20: expression: unknown metric "nothing_here" (expected the name of another metric)',
      'z.yaml:1:7: name: metric "base" is already defined in base.yaml',
    ]);
    expect(result.metrics.map((m) => m.definition.name)).toEqual(['base']);
  });

  it('a broken file does not hide the valid ones', async () => {
    const result = await check({
      'bad.yaml': 'name: [',
      'good.yaml': `${HEAD}table: orders\ntime: ordered_at\nmeasure: count(*)\n`,
    });
    expect(result.metrics.map((m) => m.definition.name)).toEqual(['m']);
    expect(result.problems).toHaveLength(1);
  });
});

// Attacks an analyst (or a stolen analyst token) might try through a definition.
const ATTACKS: Array<[field: 'measure' | 'filter', text: string]> = [
  ['measure', 'sum(amount); DROP TABLE orders'],
  ['measure', "(select count(*) from read_csv('/etc/passwd'))"],
  ['measure', "(select count(*) from read_text('/etc/passwd'))"],
  ['measure', "(select count(*) from read_blob('/etc/shadow'))"],
  ['measure', "(select count(*) from glob('/*'))"],
  ['measure', "(select count(*) from read_parquet('x.parquet'))"],
  ['measure', "(select count(*) from sniff_csv('/etc/passwd'))"],
  ['measure', "(select count(*) from '/etc/passwd')"],
  ['measure', 'sum(amount) -- and the rest of the query is gone'],
  ['measure', 'sum(amount) /* unterminated'],
  ['measure', "sum(length(current_setting('threads')))"],
  ['measure', "sum(length(getenv('HOME')))"],
  ['measure', "sum(nextval('annotation_ids'))"],
  ['measure', "sum(amount)) FROM orders; COPY orders TO '/tmp/bearing-leak.csv'; SELECT (1"],
  ['measure', '(select count(*) from duckdb_settings())'],
  ['measure', '(select count(*) from information_schema.tables)'],
  ['measure', '(select count(*) from bearing_meta)'],
  ['measure', '(select count(*) from annotations)'],
  ['measure', "(select count(*) from query('select 1'))"],
  ['measure', '(select count(*) from other.main.customers)'],
  ['measure', '(with x as (select 1) select count(*) from x)'],
  ['measure', 'sum(amount) over ()'],
  ['measure', 'sum($1)'],
  ['measure', 'count(*) as evil'],
  ['measure', 'count(*) from orders where true'],
  ['filter', '(select count(*) from pragma_database_list()) > 0'],
  ['filter', "amount > 0 or (select count(*) from read_csv('/etc/hosts')) > 0"],
  ['measure', "sum(amount) filter (where (select count(*) from glob('/root/*')) > 0)"],
];

describe('sandbox: attack strings are refused at check time and impossible at run time', () => {
  it.each(ATTACKS)('%s: %s', async (field, text) => {
    const before = await db.one(
      `SELECT current_setting('threads') AS t, current_setting('enable_external_access') AS e`,
    );
    const base: Record<string, string> = { measure: 'count(*)', filter: '' };
    base[field] = text;
    const yaml =
      `${HEAD}table: orders\ntime: ordered_at\nmeasure: ` +
      `${JSON.stringify(base.measure)}\n${base.filter ? `filter: ${JSON.stringify(base.filter)}\n` : ''}`;
    const result = await check({ 'm.yaml': yaml });
    expect(result.metrics).toEqual([]);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(
      result.problems.every((p) =>
        [
          'outside-sandbox',
          'not-one-expression',
          'sql-syntax',
          'window-not-allowed',
          'unknown-column',
          'sql-error',
        ].includes(p.code),
      ),
    ).toBe(true);
    // Even compiled and run directly, bypassing the checker, nothing outside the sandbox happens.
    const definition = {
      name: 'm',
      label: 'M',
      description: 'd',
      unit: 'count',
      direction: 'up',
      table: 'orders',
      time: 'ordered_at',
      measure: base.measure,
      ...(base.filter ? { filter: base.filter } : {}),
    } as AggregateDefinition;
    const compiled = compileSeries(
      definition,
      { grain: 'month', from: '2025-01-01', to: '2025-02-01', asOf: '2025-02-01' },
      () => undefined,
    );
    await db.all(compiled.sql, compiled.params).catch(() => undefined);
    expect(
      await db.one(`SELECT current_setting('threads') AS t, current_setting('enable_external_access') AS e`),
    ).toEqual(before);
    expect(existsSync('/tmp/bearing-leak.csv')).toBe(false);
    expect(
      (await db.one<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'orders'`))?.n,
    ).toBe(1);
  });

  it('file readers fail with a permission error even when run directly on the server connection', async () => {
    await expect(db.all(`SELECT count(*) FROM read_csv('/etc/passwd')`)).rejects.toThrow(/Permission Error/);
    await expect(db.all(`COPY (SELECT 1) TO '/tmp/bearing-leak.csv'`)).rejects.toThrow(/Permission Error/);
    await expect(db.all(`SET enable_external_access = true`)).rejects.toThrow(/locked/);
    const fresh = await Database.open(join(dir, 'other.duckdb'));
    await fresh.write(ensureSchema);
    await expect(fresh.all(`ATTACH '${join(dir, 'x.duckdb')}' AS x`)).rejects.toThrow(/Permission Error/);
    fresh.close();
  });
});
