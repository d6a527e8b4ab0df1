import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { formatProblems, importFiles, type ImportReport } from '../../data/import/index.ts';
import { readFacts } from '../../data/schema.ts';
import { contentFingerprint, openTestDb } from '../helpers/db.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const CUSTOMER_HEADER = ['customer_id', 'signup_date', 'churn_date', 'segment', 'region', 'acquisition_channel'];

let dir: string;
let cleanup: () => void;
let db: Database;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  db = await openTestDb(dir);
});
afterEach(() => {
  db.close();
  cleanup();
});

function customers(
  rows: Array<Array<string | null>> = [
    ['c1', '2024-01-05', null, 'smb', 'na', ' Social '],
    ['c2', '2024-02-01', '2024-05-01', 'enterprise', 'emea', 'email'],
  ],
) {
  return writeCsv(dir, 'customers.csv', CUSTOMER_HEADER, rows);
}

async function rejection(files: Parameters<typeof importFiles>[1]): Promise<{ report: ImportReport; lines: string[] }> {
  try {
    await importFiles(db, files);
  } catch (error) {
    expect(error).toBeInstanceOf(BearingError);
    const report = (error as BearingError).details as ImportReport;
    return { report, lines: formatProblems(report) };
  }
  throw new Error('expected the import to be rejected');
}

describe('import: good files', () => {
  it('loads every table, normalises channels and converts timestamps to UTC', async () => {
    customers();
    const tp = writeCsv(
      dir,
      'touchpoints.csv',
      ['customer_id', 'channel', 'activity', 'occurred_at'],
      [
        ['c1', ' Social ', 'like', '2024-01-06T10:00:00+02:00'],
        ['c2', 'EMAIL', 'open', '2024-02-03'],
      ],
    );
    const spend = writeCsv(
      dir,
      'spend.csv',
      ['channel', 'month', 'amount'],
      [
        ['social', '2024-01', '1200.50'],
        ['email', '2024-01', '0'],
      ],
    );
    const surveys = writeCsv(
      dir,
      'surveys.csv',
      ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
      [
        ['r1', 'c1', '2024-03-01', 'nps', '9'],
        ['r2', 'c2', '2024-03-02 12:00:00', 'CSAT', '4'],
      ],
    );
    const orders = writeCsv(
      dir,
      'orders.csv',
      ['order_id', 'customer_id', 'ordered_at', 'amount'],
      [['o1', 'c1', '2024-02-01', '99.9']],
    );
    const report = await importFiles(db, [
      { path: orders },
      { path: surveys },
      { path: spend },
      { path: tp },
      { path: `${dir}/customers.csv` },
    ]);
    expect(report.tables.map((t) => [t.table, t.inserted])).toEqual([
      ['customers', 2],
      ['touchpoints', 2],
      ['spend', 2],
      ['surveys', 2],
      ['orders', 1],
    ]);
    const tps = await db.all(
      `SELECT channel, strftime(occurred_at, '%Y-%m-%d %H:%M') AS ts FROM touchpoints ORDER BY ts`,
    );
    expect(tps).toEqual([
      { channel: 'social', ts: '2024-01-06 08:00' },
      { channel: 'email', ts: '2024-02-03 00:00' },
    ]);
    const acq = await db.all(`SELECT acquisition_channel AS a FROM customers WHERE customer_id = 'c1'`);
    expect(acq).toEqual([{ a: 'social' }]);
    expect(await db.all(`SELECT strftime(month, '%Y-%m-%d') AS m, amount FROM spend WHERE channel = 'social'`)).toEqual(
      [{ m: '2024-01-01', amount: 1200.5 }],
    );
    const facts = await db.read(readFacts);
    expect(facts.as_of).toBe('2024-05-01');
    expect(facts.tables).toMatchObject({ customers: 2, touchpoints: 2, spend: 2, surveys: 2, orders: 1 });
  });

  it('is idempotent: the same files again change nothing, not even the data version', async () => {
    const path = customers();
    await importFiles(db, [{ path }]);
    const before = await contentFingerprint(db);
    const version = (await db.read(readFacts)).data_version;
    const again = await importFiles(db, [{ path }]);
    expect(again.tables[0]).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(again.data_version_changed).toBe(false);
    expect(await contentFingerprint(db)).toEqual(before);
    expect((await db.read(readFacts)).data_version).toBe(version);
  });

  it('upserts keyed rows and dedupes touchpoints', async () => {
    await importFiles(db, [{ path: customers() }]);
    const changed = customers([
      ['c1', '2024-01-05', '2024-03-01', 'smb', 'na', 'social'],
      ['c3', '2024-03-01', null, 'smb', 'apac', 'email'],
    ]);
    const report = await importFiles(db, [{ path: changed }]);
    expect(report.tables[0]).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(
      await db.all(`SELECT customer_id, strftime(churn_date, '%Y-%m-%d') AS churn FROM customers ORDER BY 1`),
    ).toEqual([
      { customer_id: 'c1', churn: '2024-03-01' },
      { customer_id: 'c2', churn: '2024-05-01' },
      { customer_id: 'c3', churn: null },
    ]);
    const tp = writeCsv(
      dir,
      'touchpoints.csv',
      ['customer_id', 'channel', 'activity', 'occurred_at'],
      [
        ['c1', 'social', 'like', '2024-01-06T10:00:00Z'],
        ['c1', 'Social', 'like', '2024-01-06 10:00:00'],
        ['c1', 'social', null, '2024-01-07'],
      ],
    );
    await importFiles(db, [{ path: tp }]);
    await importFiles(db, [{ path: tp }]);
    expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM touchpoints`))?.n).toBe(2);
  });

  it('loads in dependency order whatever the command-line order, and accepts --table', async () => {
    const tp = writeCsv(
      dir,
      'my-touches.csv',
      ['customer_id', 'channel', 'occurred_at'],
      [['c1', 'email', '2024-01-10']],
    );
    const report = await importFiles(db, [{ path: tp, table: 'touchpoints' }, { path: customers() }]);
    expect(report.tables.map((t) => t.table)).toEqual(['customers', 'touchpoints']);
  });

  it('ignores unknown columns with a warning', async () => {
    const path = writeCsv(
      dir,
      'customers.csv',
      ['customer_id', 'signup_date', 'favourite_colour'],
      [['c1', '2024-01-01', 'blue']],
    );
    const report = await importFiles(db, [{ path }]);
    expect(report.warnings).toEqual([
      'customers.csv: column "favourite_colour" is not in the customers contract and was ignored',
    ]);
  });
});

describe('import: each contract rule, broken once', () => {
  const cases: Array<{ name: string; file: () => string; line: string }> = [
    {
      name: 'missing required column',
      file: () => writeCsv(dir, 'customers.csv', ['segment', 'signup_date'], [['smb', '2024-01-01']]),
      line: 'customers.csv:1: customer_id: missing required column (expected a header naming customer_id)',
    },
    {
      name: 'missing value',
      file: () => customers([['  ', '2024-01-01', null, null, null, null]]),
      line: 'customers.csv:2: customer_id: missing value (got "  ", expected a non-empty identifier)',
    },
    {
      name: 'bad date',
      file: () => customers([['c1', '2024-02-30', null, null, null, null]]),
      line: 'customers.csv:2: signup_date: not a date (got "2024-02-30", expected a date YYYY-MM-DD)',
    },
    {
      name: 'US-style date',
      file: () => customers([['c1', '01/05/2024', null, null, null, null]]),
      line: 'customers.csv:2: signup_date: not a date (got "01/05/2024", expected a date YYYY-MM-DD)',
    },
    {
      name: 'churn before signup',
      file: () => customers([['c1', '2024-02-01', '2024-01-01', null, null, null]]),
      line:
        'customers.csv:2: churn_date: churn_date is before signup_date (got "2024-01-01", expected churn_date ≥ ' +
        'signup_date, or empty while still active)',
    },
    {
      name: 'duplicate customer',
      file: () =>
        customers([
          ['c1', '2024-02-01', null, null, null, null],
          ['c1', '2024-02-02', null, null, null, null],
        ]),
      line:
        'customers.csv:3: customer_id: duplicate key (first seen on line 2) (got "c1", expected one row per ' +
        'customer_id)',
    },
    {
      name: 'unknown customer',
      file: () =>
        writeCsv(dir, 'touchpoints.csv', ['customer_id', 'channel', 'occurred_at'], [['ghost', 'email', '2024-01-01']]),
      line:
        'touchpoints.csv:2: customer_id: unknown customer (got "ghost", expected a customer_id in the database ' +
        'or in this import)',
    },
    {
      name: 'bad timestamp',
      file: () =>
        writeCsv(
          dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [['o1', 'c1', 'yesterday', '5']],
        ),
      line:
        'orders.csv:2: ordered_at: not a timestamp (got "yesterday", expected a date YYYY-MM-DD or timestamp ' +
        'such as 2024-05-01T10:00:00Z)',
    },
    {
      name: 'negative amount',
      file: () => writeCsv(dir, 'spend.csv', ['channel', 'month', 'amount'], [['email', '2024-01', '-5']]),
      line: 'spend.csv:2: amount: negative amount (got "-5", expected a number ≥ 0)',
    },
    {
      name: 'amount not a number',
      file: () => writeCsv(dir, 'spend.csv', ['channel', 'month', 'amount'], [['email', '2024-01', '12,50']]),
      line: 'spend.csv:2: amount: not a number (got "12,50", expected a number ≥ 0)',
    },
    {
      name: 'bad month',
      file: () => writeCsv(dir, 'spend.csv', ['channel', 'month', 'amount'], [['email', '2024-13', '5']]),
      line: 'spend.csv:2: month: not a month (got "2024-13", expected a month YYYY-MM)',
    },
    {
      name: 'spend twice for a month',
      file: () =>
        writeCsv(
          dir,
          'spend.csv',
          ['channel', 'month', 'amount'],
          [
            ['email', '2024-01', '5'],
            ['Email', '2024-01', '6'],
          ],
        ),
      line:
        'spend.csv:3: channel, month: duplicate key (first seen on line 2) (got "Email, 2024-01", expected one ' +
        'row per channel, month)',
    },
    {
      name: 'NPS out of range',
      file: () =>
        writeCsv(
          dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          [['r1', 'c1', '2024-01-01', 'nps', '11']],
        ),
      line: 'surveys.csv:2: score: score out of range (got "11", expected NPS 0–10, CSAT 1–5)',
    },
    {
      name: 'CSAT out of range',
      file: () =>
        writeCsv(
          dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          [['r1', 'c1', '2024-01-01', 'csat', '0']],
        ),
      line: 'surveys.csv:2: score: score out of range (got "0", expected NPS 0–10, CSAT 1–5)',
    },
    {
      name: 'score not an integer',
      file: () =>
        writeCsv(
          dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          [['r1', 'c1', '2024-01-01', 'nps', '8.5']],
        ),
      line: 'surveys.csv:2: score: not an integer (got "8.5", expected an integer score (NPS 0–10, CSAT 1–5))',
    },
    {
      name: 'unknown survey kind',
      file: () =>
        writeCsv(
          dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          [['r1', 'c1', '2024-01-01', 'ces', '3']],
        ),
      line: 'surveys.csv:2: kind: unknown survey kind (got "ces", expected "nps" or "csat")',
    },
    {
      name: 'duplicate order',
      file: () =>
        writeCsv(
          dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [
            ['o1', 'c1', '2024-01-01', '5'],
            ['o1', 'c1', '2024-01-02', '6'],
          ],
        ),
      line: 'orders.csv:3: order_id: duplicate key (first seen on line 2) (got "o1", expected one row per order_id)',
    },
  ];

  it.each(cases)('$name', async ({ file, line }) => {
    await importFiles(db, [{ path: customers([['c1', '2024-01-01', null, null, null, null]]) }]);
    const before = await contentFingerprint(db);
    const { lines } = await rejection([{ path: file() }]);
    expect(lines).toContain(line);
    expect(await contentFingerprint(db)).toEqual(before);
  });

  it('rejects an empty file and a file that is not a contract table', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/customers.csv`, '');
    expect((await rejection([{ path: `${dir}/customers.csv` }])).lines).toEqual([
      'customers.csv:1: the file is empty (expected a header row naming the columns)',
    ]);
    const other = writeCsv(dir, 'leads.csv', ['id'], [['1']]);
    expect((await rejection([{ path: other }])).lines[0]).toMatch(/^leads.csv: "leads" is not a contract table/);
  });

  it('rejects a file that is not UTF-8', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${dir}/customers.csv`,
      Buffer.concat([
        Buffer.from('customer_id,signup_date,segment\nc1,2024-01-01,'),
        Buffer.from([0xe9, 0x74, 0xe9]),
        Buffer.from('\n'),
      ]),
    );
    const { lines } = await rejection([{ path: `${dir}/customers.csv` }]);
    expect(lines.join('\n')).toMatch(/customers\.csv(:\d+)?: .*not valid UTF-8/);
  });

  it('reports the first 20 problems and the total count', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`c${i}`, 'not-a-date', null, null, null, null]);
    const { report, lines } = await rejection([{ path: customers(rows) }]);
    expect(report.problem_count).toBe(25);
    expect(report.problems).toHaveLength(20);
    expect(lines.at(-1)).toBe('… and 5 more (25 problems in all)');
  });

  it('a bad row in the last file leaves the first files unimported', async () => {
    const c = customers();
    const tp = writeCsv(
      dir,
      'touchpoints.csv',
      ['customer_id', 'channel', 'occurred_at'],
      [['c1', 'email', '2024-01-10']],
    );
    const orders = writeCsv(
      dir,
      'orders.csv',
      ['order_id', 'customer_id', 'ordered_at', 'amount'],
      [
        ['o1', 'c1', '2024-01-01', '5'],
        ['o2', 'c2', '2024-01-01', 'lots'],
      ],
    );
    const before = await contentFingerprint(db);
    const { lines } = await rejection([{ path: c }, { path: tp }, { path: orders }]);
    expect(lines).toEqual(['orders.csv:3: amount: not a number (got "lots", expected a number ≥ 0)']);
    expect(await contentFingerprint(db)).toEqual(before);
    expect((await db.read(readFacts)).tables.customers).toBe(0);
  });
});
