// Sources of every shape a real export comes in, each mapped by a sources file alone: the formats,
// globs, a date format, time zones across midnight, a composite key, a full refresh, broken
// sources (every problem at file, line and column) and the folder rule.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { checkSources, type SyncReport, syncSources } from '../../data/sources/index.ts';
import { readSettings, workspaceAt } from '../../data/workspace.ts';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace.ts';

let ws: TestWorkspace;
let db: Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  ws?.cleanup();
});

async function open(): Promise<Database> {
  const settings = readSettings(join(ws.dir, 'bearing.yaml')).settings;
  db = await Database.open(ws.db, { allowedDirectories: [ws.sources], timezone: settings.timezone });
  await db.write(ensureSchema);
  return db;
}

async function sync(options: { fullRefresh?: boolean; only?: string[] } = {}): Promise<SyncReport> {
  const d = db ?? (await open());
  return syncSources(d, workspaceAt(ws.dir, ws.dir), readSettings(join(ws.dir, 'bearing.yaml')).settings, options);
}

async function rows(sql: string) {
  return (db ?? (await open())).all(sql);
}

const OBS = (name: string, sep: string) =>
  [`name${sep}date${sep}value`, `${name}${sep}2024-01-01${sep}1.5`, `${name}${sep}2024-01-08${sep}-2`].join('\n');

describe('sources: every file shape', () => {
  it('reads csv, tsv, ;-delimited, gzip, parquet, NDJSON, a JSON array and a glob of several files', async () => {
    ws = makeWorkspace();
    ws.write('sources/data/a.csv', OBS('comma', ','));
    ws.write('sources/data/b.tsv', OBS('tab', '\t'));
    ws.write('sources/data/c.txt', OBS('semicolon', ';'));
    ws.write('sources/data/d.csv.gz', gzipSync(OBS('gzip', ',')));
    ws.write(
      'sources/data/f.ndjson',
      '{"name":"ndjson","date":"2024-01-01","value":1.5}\n{"name":"ndjson","date":"2024-01-08","value":-2}\n',
    );
    ws.write(
      'sources/data/g.json',
      '[{"name":"array","date":"2024-01-01","value":1.5},{"name":"array","date":"2024-01-08","value":-2}]',
    );
    ws.write('sources/data/parts/p-1.csv', OBS('glob', ','));
    ws.write('sources/data/parts/p-2.csv', 'name,date,value\nglob,2024-01-15,0.5\n');
    ws.write(
      'sources/all.yaml',
      `sources:\n${['a.csv', 'b.tsv', 'c.txt', 'd.csv.gz', 'f.ndjson', 'g.json', 'parts/p-*.csv']
        .map((f, i) => `  - { name: s${i}, table: observations, files: data/${f} }`)
        .join('\n')}\n`,
    );
    const report = await sync();
    expect(report.tables[0]).toMatchObject({ table: 'observations', inserted: 15 });
    const got = await rows(
      `SELECT name, count(*) AS n, sum(value) AS total FROM observations GROUP BY name ORDER BY name`,
    );
    expect(got).toEqual(
      ['array', 'comma', 'glob', 'gzip', 'ndjson', 'semicolon', 'tab'].map((name) => ({
        name,
        n: name === 'glob' ? 3 : 2,
        total: name === 'glob' ? 0 : -0.5,
      })),
    );
  });

  it('reads Parquet with typed columns', async () => {
    ws = makeWorkspace();
    ws.write('sources/x.yaml', 'sources:\n  - { name: pq, table: media, files: "*.parquet" }\n');
    // The file is written by a separate DuckDB with external access (the test's, not Bearing's).
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const writer = await DuckDBInstance.create(':memory:');
    const c = await writer.connect();
    const select =
      `SELECT 'TV' AS channel, DATE '2024-01-01' + CAST(i * 7 AS INTEGER) AS date, 100.0 * (i + 1) AS spend, ` +
      'CAST(1000 * i AS BIGINT) AS impressions FROM range(3) t(i)';
    await c.run(`COPY (${select}) TO '${join(ws.sources, 'media.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    writer.closeSync();
    await sync();
    expect(
      await rows(`SELECT channel, count(*) AS n, sum(spend) AS s, sum(impressions) AS i FROM media GROUP BY 1`),
    ).toEqual([{ channel: 'tv', n: 3, s: 600, i: 3000 }]);
  });

  it('reads day-first dates with date_format, and a timestamp in a date column as its day', async () => {
    ws = makeWorkspace();
    ws.write('sources/c.csv', 'id,joined,gone\nc1,2/1/2018,\nc2,31/12/2017,15/3/2018\n');
    ws.write('sources/d.csv', 'id,joined\nc3,2016-09-04 10:00:00\n');
    ws.write(
      'sources/s.yaml',
      `sources:
  - name: day_first
    table: customers
    files: c.csv
    date_format: "%d/%m/%Y"
    columns: { customer_id: id, signup_date: joined, churn_date: gone }
  - name: stamped
    table: customers
    files: d.csv
    columns: { customer_id: id, signup_date: joined }
`,
    );
    await sync();
    expect(
      await rows(
        `SELECT customer_id, strftime(signup_date, '%Y-%m-%d') AS s, strftime(churn_date, '%Y-%m-%d') AS c ` +
          'FROM customers ORDER BY 1',
      ),
    ).toEqual([
      { customer_id: 'c1', s: '2018-01-02', c: null },
      { customer_id: 'c2', s: '2017-12-31', c: '2018-03-15' },
      { customer_id: 'c3', s: '2016-09-04', c: null },
    ]);
  });

  it('reads local times in the source zone: a June evening in Sao Paulo is July in UTC, June there', async () => {
    for (const [zone, expected] of [
      ['UTC', '2018-07-01 01:30:00'],
      ['America/Sao_Paulo', '2018-06-30 22:30:00'],
    ] as const) {
      ws = makeWorkspace(`timezone: ${zone}\n`);
      ws.write('sources/c.csv', 'customer_id,signup_date\nc1,2018-01-01\n');
      ws.write(
        'sources/o.csv',
        'order_id,customer_id,ordered_at,amount\no1,c1,2018-06-30 22:30:00,10\no2,c1,2018-06-30T23:00:00Z,5\n',
      );
      ws.write(
        'sources/s.yaml',
        'timezone: America/Sao_Paulo\nsources:\n  - { name: c, table: customers, files: c.csv }\n' +
          '  - { name: o, table: orders, files: o.csv }\n',
      );
      await sync();
      const got = await rows(`SELECT order_id, strftime(ordered_at, '%Y-%m-%d %H:%M:%S') AS t FROM orders ORDER BY 1`);
      expect(got[0]).toEqual({ order_id: 'o1', t: expected });
      // A time with its own zone is the same instant in either workspace.
      expect(got[1]!.t).toBe(zone === 'UTC' ? '2018-06-30 23:00:00' : '2018-06-30 20:00:00');
      db!.close();
      db = undefined;
      ws.cleanup();
    }
  });

  it('takes a composite key where an id repeats, and refuses the repeat without it (naming the line)', async () => {
    ws = makeWorkspace();
    ws.write('sources/c.csv', 'customer_id,signup_date\nc1,2018-01-01\nc2,2018-01-01\n');
    ws.write('sources/r.csv', 'review,who,at,score\nr1,c1,2018-02-01,5\nr1,c2,2018-02-02,3\n');
    const yaml = (key: string) =>
      'sources:\n  - { name: c, table: customers, files: c.csv }\n  - name: r\n    table: surveys\n    files: r.csv\n' +
      `    columns: { response_id: review, customer_id: who, responded_at: at, kind: "'csat'" }\n${key}`;
    ws.write('sources/s.yaml', yaml(''));
    // The surveys source is left out whole, named with its line; the customers source is synced.
    const partial = await sync();
    expect(partial.skipped).toEqual([{ source: 'r', problems: [expect.stringMatching(/^r\.csv:3: response_id: /)] }]);
    expect(await rows(`SELECT count(*) AS n FROM customers`)).toEqual([{ n: 2 }]);
    expect(await rows(`SELECT count(*) AS n FROM surveys`)).toEqual([{ n: 0 }]);
    ws.write('sources/s.yaml', yaml('    key: [response_id, customer_id]\n'));
    await sync();
    expect(await rows(`SELECT response_id, customer_id, score FROM surveys ORDER BY 2`)).toEqual([
      { response_id: 'r1', customer_id: 'c1', score: 5 },
      { response_id: 'r1', customer_id: 'c2', score: 3 },
    ]);
  });

  it('upserts by default and, with a full refresh, deletes what the sources no longer give', async () => {
    ws = makeWorkspace();
    ws.write('sources/m.csv', 'channel,date,spend\ntv,2024-01-01,10\ntv,2024-01-08,20\nooh,2024-01-01,5\n');
    ws.write('sources/s.yaml', 'sources:\n  - { name: m, table: media, files: m.csv }\n');
    await sync();
    ws.write('sources/m.csv', 'channel,date,spend\ntv,2024-01-01,10\ntv,2024-01-08,25\n');
    const upsert = await sync();
    expect(upsert.tables[0]).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, deleted: 0 });
    expect(await rows(`SELECT count(*) AS n FROM media`)).toEqual([{ n: 3 }]);
    const refresh = await sync({ fullRefresh: true });
    expect(refresh.tables[0]).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, deleted: 1 });
    expect(await rows(`SELECT channel, spend FROM media ORDER BY date`)).toEqual([
      { channel: 'tv', spend: 10 },
      { channel: 'tv', spend: 25 },
    ]);
  });
});

describe('sources: problems and the folder rule', () => {
  it('names the sources file, line and column of a mapping problem, and the data file and line of a bad value', () => {
    ws = makeWorkspace();
    ws.write('sources/c.csv', 'id,joined\nc1,2018-01-01\nc2,2018-13-45\n');
    ws.write(
      'sources/s.yaml',
      'sources:\n  - name: c\n    table: customers\n    files: c.csv\n    columns:\n      customer_id: cust\n',
    );
    const mapping = ws.bearing('sources', 'check');
    expect(mapping.status).toBe(1);
    expect(mapping.stdout).toContain(
      'sources/s.yaml:6:20: sources.0.columns.customer_id: unknown source column "cust"',
    );
    ws.write(
      'sources/s.yaml',
      'sources:\n  - name: c\n    table: customers\n    files: c.csv\n' +
        '    columns: { customer_id: id, signup_date: joined }\n',
    );
    const data = ws.bearing('sources', 'check');
    expect(data.status).toBe(1);
    expect(data.stdout).toContain('c.csv:3: signup_date: not a date (got "2018-13-45"');
    const sync = ws.bearing('sync');
    expect(sync.status).toBe(1);
    expect(sync.stderr).toContain('c.csv:3: signup_date');
  });

  it('refuses files and queries outside the sources folder at check time', async () => {
    ws = makeWorkspace();
    ws.write('outside.csv', 'customer_id,signup_date\nx,2020-01-01\n');
    ws.write(
      'sources/s.yaml',
      `sources:
  - { name: passwd, table: customers, files: /etc/passwd }
  - { name: up, table: customers, files: ../outside.csv }
  - { name: q1, table: customers, query: "select * from '../outside.csv'" }
  - { name: q2, table: customers, query: "select * from read_csv('/etc/passwd')" }
  - { name: q3, table: customers, query: "select content as customer_id from read_text('x.csv')" }
  - { name: q4, table: customers, query: "select current_setting('threads') as customer_id" }
`,
    );
    const d = await open();
    const check = await checkSources(
      d,
      workspaceAt(ws.dir, ws.dir),
      readSettings(join(ws.dir, 'bearing.yaml')).settings,
    );
    expect(check.ok).toBe(false);
    const messages = check.problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^2: "\/etc\/passwd" is outside the sources folder/),
      expect.stringMatching(/^3: "\.\.\/outside\.csv" is outside the sources folder/),
      expect.stringMatching(/^4: "\.\.\/outside\.csv" is outside the sources folder/),
      expect.stringMatching(/^5: "\/etc\/passwd" is outside the sources folder/),
      expect.stringMatching(/^6: table function "read_text" is not allowed/),
      expect.stringMatching(/^7: function "current_setting" is not allowed/),
    ]);
    expect(JSON.stringify(check)).not.toContain(ws.dir);
  });
});
