// Any file shape a real export comes in: CDNOW's whitespace-aligned purchase file without a
// header, a report with title lines above its header and a decimal comma, a headerless CSV named
// by column_names; each failure a Bearing message naming the file and line, never DuckDB's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The shape of CDNOW_master.txt: id, yyyymmdd, quantity, dollars, aligned by runs of blanks.
const CDNOW = '00001 19970101  1  11.77\n00002 19970112  1  12.00\n\n00001 19970102  2  20.76\n';
const SOURCES = `sources:
  - name: cd_customers
    table: customers
    files: cdnow.txt
    delimiter: whitespace
    column_names: [id, day, quantity, dollars]
    date_format: "%Y%m%d"
    columns: { customer_id: id, signup_date: day }
    key: [customer_id]
  - name: cd_orders
    table: orders
    files: cdnow.txt
    delimiter: whitespace
    column_names: [id, day, quantity, dollars]
    date_format: "%Y%m%d"
    columns: { order_id: "id || '-' || day", customer_id: id, ordered_at: day, amount: dollars }
  - name: eur_spend
    table: spend
    files: spend.csv
    skip: 2
    delimiter: ";"
    decimal: ","
    columns: { channel: canal, month: mes, amount: importe }
  - name: plain
    table: customers
    files: nohead.csv
    header: false
    column_names: [who, joined]
    columns: { customer_id: who, signup_date: joined }
`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
  const dir = join(s.dir, 'sources');
  writeFileSync(join(dir, 'cdnow.txt'), CDNOW);
  writeFileSync(
    join(dir, 'spend.csv'),
    'Report generated 2026-01-01\n(amounts in EUR)\ncanal;mes;importe\nTV;2025-01;1.234,56\nRadio;2025-02;7,5\n',
  );
  writeFileSync(join(dir, 'nohead.csv'), 'p1,2025-03-01\np2,2025-03-02\n');
  writeFileSync(join(dir, 'shapes.yaml'), SOURCES);
});
afterAll(() => s.close());

describe('file shapes', () => {
  it('reads whitespace-aligned, headerless, titled and decimal-comma files as their columns say', async () => {
    const res = await s.call('POST', '/api/sync', { role: 'analyst', body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.skipped).toEqual([]);
    expect(
      await s.db.all(
        `SELECT order_id, customer_id, strftime(ordered_at, '%Y-%m-%d') AS day, amount FROM orders ORDER BY 1`,
      ),
    ).toEqual([
      { order_id: '00001-19970101', customer_id: '00001', day: '1997-01-01', amount: 11.77 },
      { order_id: '00001-19970102', customer_id: '00001', day: '1997-01-02', amount: 20.76 },
      { order_id: '00002-19970112', customer_id: '00002', day: '1997-01-12', amount: 12 },
    ]);
    expect(await s.db.all(`SELECT channel, amount FROM spend ORDER BY 1`)).toEqual([
      { channel: 'radio', amount: 7.5 },
      { channel: 'tv', amount: 1234.56 },
    ]);
    expect((await s.db.all(`SELECT customer_id FROM customers ORDER BY 1`)).map((r) => r.customer_id)).toEqual([
      '00001',
      '00002',
      'p1',
      'p2',
    ]);
  });

  it('names a bad value by its file and line, counting skipped and blank lines', async () => {
    writeFileSync(join(s.dir, 'sources', 'cdnow.txt'), `${CDNOW}00004 19970103  1  lots\n`);
    const res = await s.call('POST', '/api/sources/check', {
      role: 'admin',
      body: { sources: ['cd_customers', 'cd_orders'] },
    });
    expect(res.body.ok).toBe(false);
    expect(res.body.data_problems.join('\n')).toMatch(/cdnow\.txt:5: amount: /);
  });

  it('asks for column_names when a file has no header', async () => {
    const yaml = 'sources:\n  - { name: bare, table: customers, files: nohead.csv, header: false }\n';
    const res = await s.call('POST', '/api/sources/check', { role: 'admin', body: { file: 'bare.yaml', text: yaml } });
    expect(JSON.stringify(res.body.problems)).toMatch(/header: false needs column_names/);
  });
});
