// Dates an export does not give: a signup is the first event in any table, and with
// inactive_after_days a customer no source marks as churned is churned after that long without
// any event. Inferred again at every import; a date a source gives always wins.
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../data/import/index.ts';
import { readLifecycle } from '../../data/lifecycle.ts';
import { testDatabase } from '../helpers/db.ts';
import { writeCsv } from '../helpers/tmp.ts';

const t = testDatabase();
const days = (db = t.db) =>
  db.all(
    `SELECT customer_id, strftime(signup_date, '%Y-%m-%d') AS s, strftime(churn_date, '%Y-%m-%d') AS c ` +
      'FROM customers ORDER BY 1',
  );
const version = async () => (await t.db.one<{ v: number }>(`SELECT data_version AS v FROM bearing_meta`))?.v;

describe('lifecycle from activity', () => {
  it('takes the first event as the signup, and moves it when earlier activity arrives', async () => {
    const customers = writeCsv(
      t.dir,
      'customers.csv',
      ['customer_id', 'signup_date', 'churn_date'],
      [
        ['a', null, null],
        ['b', '2024-01-05', null],
        ['c', null, '2024-05-01'],
      ],
    );
    const orders = writeCsv(
      t.dir,
      'orders.csv',
      ['order_id', 'customer_id', 'ordered_at', 'amount'],
      [
        ['o1', 'a', '2024-03-10 12:00:00', 5],
        ['o2', 'a', '2024-04-01 09:00:00', 5],
        ['o3', 'b', '2024-02-01', 5],
        ['o4', 'c', '2024-02-20', 5],
      ],
    );
    await importFiles(t.db, [{ path: customers }, { path: orders }], { lifecycle: { inactiveAfterDays: 30 } });
    // a: first order; as of 2024-04-01, a's last event + 30 days is after it, b's is not.
    expect(await days()).toEqual([
      { customer_id: 'a', s: '2024-03-10', c: null },
      { customer_id: 'b', s: '2024-01-05', c: '2024-03-02' },
      { customer_id: 'c', s: '2024-02-20', c: '2024-05-01' },
    ]);
    const before = await version();
    const touches = writeCsv(
      t.dir,
      'touchpoints.csv',
      ['customer_id', 'channel', 'occurred_at'],
      [['a', 'email', '2024-01-02']],
    );
    const report = await importFiles(t.db, [{ path: touches }], { lifecycle: { inactiveAfterDays: 30 } });
    expect(report.data_version_changed).toBe(true);
    expect((await days())[0]).toEqual({ customer_id: 'a', s: '2024-01-02', c: null });
    expect(await version()).toBe((before ?? 0) + 1);
  });

  it('changes nothing when the same files come again, and compares with what the sources gave', async () => {
    const same = await importFiles(t.db, [{ path: `${t.dir}/customers.csv` }, { path: `${t.dir}/touchpoints.csv` }], {
      lifecycle: { inactiveAfterDays: 30 },
    });
    expect(same.data_version_changed).toBe(false);
    expect(same.tables[0]).toMatchObject({ table: 'customers', unchanged: 3, updated: 0 });
  });

  it('follows the rule when it changes, and drops inferred churn when the rule is removed', async () => {
    const customers = `${t.dir}/customers.csv`;
    const longer = await importFiles(t.db, [{ path: customers }], { lifecycle: { inactiveAfterDays: 365 } });
    expect(longer.data_version_changed).toBe(true);
    expect((await days()).map((d) => d.c)).toEqual([null, null, '2024-05-01']);
    await importFiles(t.db, [{ path: customers }], { lifecycle: { inactiveAfterDays: 10 } });
    expect(await t.db.read(readLifecycle)).toMatchObject({ inactive_after_days: 10, churn_inferred: 1 });
    await importFiles(t.db, [{ path: customers }], {});
    expect((await days()).map((d) => d.c)).toEqual([null, null, '2024-05-01']);
    expect((await days()).map((d) => d.s)).toEqual(['2024-01-02', '2024-01-05', '2024-02-20']);
  });
});
