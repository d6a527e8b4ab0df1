// A sync can say how far its data is complete, as an import can: --complete-through for every synced
// table, and a source's own complete_through for its table (a quiet last week must not read as missing
// data, nor a late export as complete).
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const ws = makeWorkspace();
afterAll(() => ws.cleanup());

async function coverage(): Promise<Record<string, { d: string; declared: boolean }>> {
  const db = await Database.open(ws.db);
  try {
    const rows = await db.all<{ name: string; d: string; declared: boolean }>(
      `SELECT name, strftime(complete_through, '%Y-%m-%d') AS d, declared FROM table_coverage`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, { d: r.d, declared: r.declared }]));
  } finally {
    db.close();
  }
}

describe('complete-through on a sync', () => {
  it('a source’s own complete_through wins for its table; --complete-through covers the rest', async () => {
    ws.write('sources/customers.csv', 'customer_id,signup_date\nc1,2025-01-01\nc2,2025-01-02\n');
    ws.write('sources/orders.csv', 'order_id,customer_id,ordered_at,amount\no1,c1,2025-02-10 10:00:00,20\n');
    ws.write(
      'sources/shop.yaml',
      `sources:
  - { name: people, table: customers, files: customers.csv }
  - { name: sales, table: orders, files: orders.csv, complete_through: 2025-03-31 }
`,
    );
    const r = ws.bearing('sync', '--complete-through', '2025-02-28');
    expect(r.status, r.stderr).toBe(0);
    const c = await coverage();
    expect(c.customers).toEqual({ d: '2025-02-28', declared: true });
    expect(c.orders).toEqual({ d: '2025-03-31', declared: true });
  });

  it('refuses a date that does not exist, naming the field, and changes nothing', async () => {
    const before = await coverage();
    ws.write(
      'sources/shop.yaml',
      `sources:
  - { name: people, table: customers, files: customers.csv }
  - { name: sales, table: orders, files: orders.csv, complete_through: 2025-02-30 }
`,
    );
    const r = ws.bearing('sync');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/shop\.yaml:3:.*complete_through.*YYYY-MM-DD/);
    expect(await coverage()).toEqual(before);
    expect(ws.bearing('sync', '--complete-through', 'soon').status).toBe(2);
  });
});
