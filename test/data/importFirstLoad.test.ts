// The first-load path (empty tables: convert while reading, check, swap in) must be a pure speed-up:
// for any input, the same stored rows, the same report, or the same rejection as the careful path.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { importFiles, type ImportFile, type ImportReport } from '../../data/import/index.ts';
import { readFacts } from '../../data/schema.ts';
import { contentFingerprint, openTestDb } from '../helpers/db.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

let dir: string;
let cleanup: () => void;
let fast: Database;
let careful: Database;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  fast = await openTestDb(dir, 'fast.duckdb');
  careful = await openTestDb(dir, 'careful.duckdb');
});
afterEach(() => {
  fast.close();
  careful.close();
  cleanup();
});

type Outcome = {
  report: ImportReport | null;
  rejected: ImportReport | null;
  content: Record<string, string>;
  as_of: string | null;
};

async function outcome(db: Database, files: ImportFile[], options: { careful?: boolean }): Promise<Outcome> {
  let report: ImportReport | null = null;
  let rejected: ImportReport | null = null;
  try {
    report = await importFiles(db, files, options);
  } catch (error) {
    if (!(error instanceof BearingError)) throw error;
    rejected = error.details as ImportReport;
  }
  const tables = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE table_name LIKE 'incoming_%'`,
  );
  expect(tables).toEqual([]);
  return {
    report,
    rejected,
    content: await contentFingerprint(db),
    as_of: (await readFacts(await db.session())).as_of,
  };
}

async function expectSameOutcome(files: ImportFile[]): Promise<{ fast: Outcome; careful: Outcome }> {
  const a = await outcome(fast, files, {});
  const b = await outcome(careful, files, { careful: true });
  expect(a.content).toEqual(b.content);
  expect(a.as_of).toBe(b.as_of);
  expect(a.rejected).toEqual(b.rejected);
  expect(a.report ? { ...a.report, method: undefined } : null).toEqual(
    b.report ? { ...b.report, method: undefined } : null,
  );
  return { fast: a, careful: b };
}

describe('first load into empty tables', () => {
  it('stores exactly what the careful path stores, for values in every accepted shape', async () => {
    const files = [
      {
        path: writeCsv(
          dir,
          'customers.csv',
          ['customer_id', 'signup_date', 'churn_date', 'segment', 'region', 'acquisition_channel', 'note'],
          [
            ['c1', '2024-01-05', null, 'smb', 'na', ' Social ', 'x'],
            [' c2 ', ' 2024-02-01 ', '2024-05-01', '', 'emea', 'EMAIL', null],
            ['c3', '2024-02-29', '2024-02-29', 'enterprise', null, null, 'y'],
          ],
        ),
      },
      {
        path: writeCsv(
          dir,
          'touchpoints.csv',
          ['customer_id', 'channel', 'activity', 'occurred_at'],
          [
            ['c1', 'Social', 'like', '2024-03-01 10:00:00'],
            ['c1', 'social', 'like', '2024-03-01 10:00:00'], // the same row twice: kept once
            ['c1', 'social', 'like', '2024-03-01 10:00:00'],
            ['c2', ' email ', '', '2024-03-02T23:30:00+02:00'], // offset → UTC
            ['c2', 'email', null, '2024-03-03'], // date only
            ['c3', 'events', 'booth', '2024-03-04 08:15:30.250'], // fractional seconds
            ['c3', 'events', 'booth', '2024-03-04T08:15:30Z'],
            ['c3', 'events', 'booth', ' 2024-03-05 01:02:03 '],
            ['c3', ' Events', 'booth ', '2024-03-06 01:02:03'], // spaces to trim, in any position
            ['c3', 'events\t', '\tbooth', '2024-03-07 01:02:03'], // tabs are kept, as the careful path keeps them
            ['c3', 'EVENTS', '  ', '2024-03-08 01:02:03'], // only spaces: empty
          ],
        ),
      },
      {
        path: writeCsv(
          dir,
          'spend.csv',
          ['channel', 'month', 'amount'],
          [
            ['Social', '2024-03', '1200.5'],
            ['email', ' 2024-04 ', ' 0 '],
          ],
        ),
      },
      {
        path: writeCsv(
          dir,
          'surveys.csv',
          ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
          [
            ['r1', 'c1', '2024-03-10', 'NPS', '10'],
            ['r2', 'c2', '2024-03-11 12:00:00', ' csat ', ' 1 '],
            ['r3', 'c3', '2024-03-12 00:00:00-05:00', 'nps', '0'],
          ],
        ),
      },
      {
        path: writeCsv(
          dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [
            ['o1', 'c1', '2024-03-20 09:00:00', '19.99'],
            ['o2', 'c3', '2024-03-21', '1e3'],
          ],
        ),
      },
    ];
    const { fast: a } = await expectSameOutcome(files);
    expect(a.report?.method).toBe('first_load');
    expect(a.report?.tables.find((t) => t.table === 'touchpoints')).toMatchObject({ rows_read: 11, inserted: 9 });
    const moved = await fast.one<{ t: string }>(
      `SELECT strftime(occurred_at, '%Y-%m-%d %H:%M:%S') AS t FROM touchpoints WHERE customer_id = 'c2' AND ` +
        `activity IS NULL AND occurred_at < '2024-03-03'`,
    );
    expect(moved?.t).toBe('2024-03-02 21:30:00');
  });

  it(
    'gives the same rejection as the careful path for every malformed CSV in the corpus, and changes ' + 'nothing',
    async () => {
      const cases: Array<{ kind: string; file: string; table?: string; generate?: string }> = JSON.parse(
        readFileSync('test/fixtures/bad/cases.json', 'utf8'),
      );
      const csv = cases.filter((c) => c.kind === 'csv' && !c.generate);
      expect(csv.length).toBeGreaterThan(15);
      const empty = await contentFingerprint(fast);
      for (const c of csv) {
        const path = join(dir, c.file);
        copyFileSync(join('test/fixtures/bad', c.file), path);
        // Customers first where the file refers to them, so each file meets its own rule, not "unknown customer" only.
        const { fast: a } = await expectSameOutcome([{ path, table: c.table }]);
        expect(a.rejected, c.file).not.toBeNull();
        expect(a.content).toEqual(empty);
      }
    },
  );

  it('agrees with the careful path on values a plain cast would read differently from the contract', async () => {
    const odd: Array<[string, string[], string[]]> = [
      [
        'customers',
        ['customer_id', 'signup_date'],
        [
          '2024-5-1',
          '2024/05/01',
          'infinity',
          '20240501',
          '2024-02-30',
          '-024-05-01',
          '2024-05-01 10:00:00',
          ' 2024-05-01',
          '   ',
        ],
      ],
      [
        'touchpoints',
        ['customer_id', 'channel', 'occurred_at'],
        [
          'infinity',
          'epoch',
          '2024-05-01 25:00:00',
          '-024-05-01 10:00:00',
          '2024-05-01 10:00+02',
          '2024-05-01T10:00:00.5Z',
          '2024-5-01 10:00:00',
          '2024-05-01 10:00',
        ],
      ],
      [
        'orders',
        ['order_id', 'customer_id', 'ordered_at', 'amount'],
        ['nan', 'inf', '-0', '0x10', '1e400', '-1', ' 7 ', '1_000', '   ', '\t5', ' 1e3'],
      ],
      [
        'surveys',
        ['response_id', 'customer_id', 'responded_at', 'kind', 'score'],
        ['1.0', '+5', '011', '-0', ' 3', '99999999999', '11', '   ', '10', '0', ' 10 '],
      ],
    ];
    const base = writeCsv(dir, 'customers_base.csv', ['customer_id', 'signup_date'], [['c1', '2024-01-01']]);
    await importFiles(fast, [{ path: base, table: 'customers' }]);
    await importFiles(careful, [{ path: base, table: 'customers' }]);
    let accepted = 0;
    for (const [table, header, values] of odd) {
      for (const value of values) {
        const row = header.map((h) =>
          h === header[header.length - 1] || (table === 'customers' && h === 'signup_date')
            ? value
            : h === 'customer_id'
              ? table === 'customers'
                ? `n${accepted}`
                : 'c1'
              : h === 'channel'
                ? 'social'
                : h === 'kind'
                  ? 'nps'
                  : h.endsWith('_at')
                    ? '2024-02-01'
                    : `${h}-${value}`,
        );
        if (table === 'customers') row[1] = value;
        const path = writeCsv(dir, `${table}.csv`, header, [row]);
        const { fast: a } = await expectSameOutcome([{ path, table: table === 'customers' ? 'customers' : table }]);
        if (a.report) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(3); // some odd values are valid, and both paths take them alike
  });

  it('rejects unknown customers, repeated keys and churn before signup by line, as the careful path does', async () => {
    const files = [
      {
        path: writeCsv(
          dir,
          'customers.csv',
          ['customer_id', 'signup_date', 'churn_date'],
          [
            ['c1', '2024-01-05', null],
            ['c2', '2024-02-01', '2024-01-01'],
            ['c1', '2024-01-06', null],
          ],
        ),
      },
      {
        path: writeCsv(
          dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [
            ['o1', 'c1', '2024-03-20', '5'],
            ['o2', 'nobody', '2024-03-21', '5'],
          ],
        ),
      },
    ];
    const { fast: a } = await expectSameOutcome(files);
    const problems = a.rejected!.problems.map((p) => `${p.file}:${p.line}: ${p.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'customers.csv:3: churn_date is before signup_date',
        'customers.csv:4: duplicate key (first seen on line 2)',
        'orders.csv:3: unknown customer',
      ]),
    );
  });

  it(
    'loads in any row order only on its own connection: every other one keeps file order for line ' + 'numbers',
    async () => {
      const setting = `SELECT current_setting('preserve_insertion_order') AS ordered`;
      expect(await fast.inAnyOrder((s) => s.one(setting))).toEqual({ ordered: false });
      expect(await fast.one(setting)).toEqual({ ordered: true });
      const session = await fast.session();
      expect(await session.one(setting)).toEqual({ ordered: true });
      session.close();
    },
  );

  it('takes the careful path when a table already holds rows, and still dedupes against them', async () => {
    const first = writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date'], [['c1', '2024-01-05']]);
    expect((await importFiles(fast, [{ path: first }])).method).toBe('first_load');
    const more = writeCsv(
      dir,
      'more.csv',
      ['customer_id', 'signup_date'],
      [
        ['c1', '2024-01-05'],
        ['c2', '2024-01-07'],
      ],
    );
    const report = await importFiles(fast, [{ path: more, table: 'customers' }]);
    expect(report).toMatchObject({ method: 'careful', tables: [{ inserted: 1, unchanged: 1 }] });
  });
});
