// Files DuckDB cannot read as CSV are reported for what they are, at the line where it shows.
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BearingError } from '../../data/errors.ts';
import { formatProblems, importFiles, type ImportReport } from '../../data/import/index.ts';
import { testDatabase } from '../helpers/db.ts';

const t = testDatabase();
const { dir } = t;

async function problemsOf(name: string, content: string | Buffer, table = 'customers'): Promise<string[]> {
  const path = join(dir, name);
  writeFileSync(path, content);
  try {
    await importFiles(t.db, [{ path, table }]);
  } catch (error) {
    if (error instanceof BearingError && error.code === 'import-rejected')
      return formatProblems(error.details as ImportReport);
    throw error;
  }
  throw new Error('the import was accepted');
}

describe('import messages name the real problem', () => {
  it('an unterminated quote is reported at its line, not as an encoding problem', async () => {
    const lines = await problemsOf('customers.csv', 'customer_id,signup_date\n"a,2024-01-01\nb,2024-01-02\n');
    expect(lines).toEqual([
      'customers.csv:2: unterminated quoted field: a value opened with " on this line is never closed',
    ]);
  });

  it('a row with one field too many names that row and both counts', async () => {
    expect(await problemsOf('customers.csv', 'customer_id,signup_date\na,2024-01-01\nb,2024-01-02,extra\n')).toEqual([
      'customers.csv:3: expected 2 fields, found 3',
    ]);
    expect(await problemsOf('customers.csv', 'customer_id,signup_date\na,2024-01-01\nb\n')).toEqual([
      'customers.csv:3: expected 2 fields, found 1',
    ]);
  });

  it('JSON, Parquet, gzip and UTF-16 files are named as such', async () => {
    expect((await problemsOf('customers.json', '[{"customer_id":"a","signup_date":"2024-01-01"}]\n'))[0]).toMatch(
      /^customers\.json:1: this looks like JSON, not CSV/,
    );
    expect((await problemsOf('customers.ndjson', '{"customer_id":"a"}\n{"customer_id":"b"}\n'))[0]).toMatch(
      /looks like JSON/,
    );
    const parquet = join(dir, 'c.parquet');
    await t.db.write((s) =>
      s.run(`COPY (SELECT 'a' AS customer_id, DATE '2024-01-01' AS signup_date) TO '${parquet}' (FORMAT parquet)`),
    );
    const asCsv = join(dir, 'customers.csv');
    copyFileSync(parquet, asCsv);
    await expect(importFiles(t.db, [{ path: asCsv }])).rejects.toMatchObject({
      details: { problems: [{ line: 1, problem: expect.stringMatching(/Parquet file, not CSV/) }] },
    });
    expect((await problemsOf('customers.csv', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])))[0]).toMatch(/gzip-compressed/);
    expect((await problemsOf('customers.csv', Buffer.from('\ufeffcustomer_id', 'utf16le').subarray(0)))[0]).toMatch(
      /UTF-16|binary/,
    );
  });

  it('a file separated by semicolons, tabs or bars is named as such, not as every column missing', async () => {
    // A European spreadsheet's "CSV": once a warning, then four "missing required column" lines.
    expect(
      await problemsOf('orders.csv', 'order_id;customer_id;ordered_at;amount\no1;a;2024-02-01;12,50\n', 'orders'),
    ).toEqual([
      'orders.csv:1: the columns are separated by ";", not commas (bearing import reads comma-separated files): ' +
        're-save it with commas, or read it through a source, which takes delimiter: ";" (and decimal: "," for ' +
        'amounts such as 12,50)',
    ]);
    expect((await problemsOf('customers.csv', 'customer_id\tsignup_date\na\t2024-01-01\n'))[0]).toMatch(
      /^customers\.csv:1: the columns are separated by tabs, not commas/,
    );
    expect((await problemsOf('customers.csv', 'customer_id|signup_date\na|2024-01-01\n'))[0]).toMatch(/by "\|"/);
  });

  it('text that is not UTF-8 is still reported as such, with its line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('customer_id,signup_date\na,2024-01-01\n'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',2024-01-02\n'),
    ]);
    expect(await problemsOf('customers.csv', bytes)).toEqual([
      'customers.csv:3: the file is not valid UTF-8 here (expected UTF-8 text; re-save the file as UTF-8)',
    ]);
  });

  it('header problems: empty name, repeated name', async () => {
    expect(await problemsOf('customers.csv', 'customer_id,,signup_date\na,b,2024-01-01\n')).toEqual([
      'customers.csv:1: column 2 of the header row has no name (expected a name for every column)',
    ]);
    expect(await problemsOf('customers.csv', 'customer_id,signup_date,customer_id\na,2024-01-01,a\n')).toEqual([
      'customers.csv:1: the header row names "customer_id" twice (expected each column once)',
    ]);
  });

  it('a quoted header with a BOM and CRLF line ends still imports', async () => {
    const path = join(dir, 'customers.csv');
    writeFileSync(path, '\ufeff"customer_id","signup_date"\r\nq1,2024-01-01\r\n');
    const report = await importFiles(t.db, [{ path }]);
    expect(report.tables[0]).toMatchObject({ table: 'customers', inserted: 1 });
  });

  it('the CLI prints the same line and exits 1', () => {
    const file = join(dir, 'customers.csv');
    writeFileSync(file, 'customer_id,signup_date\na,2024-01-01\nb,2024-01-02,extra\n');
    const r = spawnSync(
      process.execPath,
      [resolve('api/bin/bearing.js'), 'import', '--db', join(dir, 'cli.duckdb'), file],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('customers.csv:3: expected 2 fields, found 3');
  });
});
