// Sources over HTTP: list, check (admin), write a sources file (checked first, atomic), sync
// (analyst or admin), the import history, the lifecycle facts and removing the sample world.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_TABLES } from '../../data/contract.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFingerprint } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
  mkdirSync(join(s.dir, 'sources', 'shop'), { recursive: true });
  writeFileSync(
    join(s.dir, 'sources', 'shop', 'customers.csv'),
    'id,joined,state\nc1,2024-01-01,SP\nc2,2024-01-15,RJ\n',
  );
  writeFileSync(join(s.dir, 'sources', 'shop', 'orders.csv'), 'order_id,id,at,amount\no1,c1,2024-03-01 10:00:00,12\n');
  writeFileSync(join(s.dir, 'bearing.yaml'), 'currency: BRL\nchurn:\n  inactive_after_days: 30\n');
});
afterAll(() => s.close());

const GOOD = `sources:
  - name: shop_customers
    table: customers
    files: shop/customers.csv
    columns: { customer_id: id, signup_date: joined }
    keep: [state]
  - name: shop_orders
    table: orders
    files: shop/orders.csv
    columns: { customer_id: id, ordered_at: at }
`;

describe('sources over HTTP', () => {
  it('writes a sources file only when it checks, and only for an admin', async () => {
    const bad = GOOD.replace('columns: { customer_id: id, signup_date: joined }', 'columns: { customer_id: nope }');
    expect((await s.call('PUT', '/api/sources/shop.yaml', { role: 'analyst', body: { text: GOOD } })).status).toBe(403);
    const refused = await s.call('PUT', '/api/sources/shop.yaml', { role: 'admin', body: { text: bad } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('sources-invalid');
    expect(refused.body.error.details.problems[0]).toMatchObject({ file: 'shop.yaml', line: 5 });
    expect(existsSync(join(s.dir, 'sources', 'shop.yaml'))).toBe(false);
    expect((await s.call('PUT', '/api/sources/..%2Fx.yaml', { role: 'admin', body: { text: GOOD } })).status).toBe(400);
    const ok = await s.call('PUT', '/api/sources/shop.yaml', { role: 'admin', body: { text: GOOD } });
    expect(ok.status).toBe(200);
    expect(ok.body.sources).toEqual(['shop_customers', 'shop_orders']);
    expect(readFileSync(join(s.dir, 'sources', 'shop.yaml'), 'utf8')).toBe(GOOD);
  });

  it('checks the sources with a preview, writing nothing', async () => {
    const before = await contentFingerprint(s.db);
    expect((await s.call('POST', '/api/sources/check', { role: 'analyst', body: {} })).status).toBe(403);
    const check = await s.call('POST', '/api/sources/check', { role: 'admin', body: { preview: 2 } });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(true);
    expect(check.body.previews[0]).toMatchObject({
      name: 'shop_customers',
      columns: ['customer_id', 'signup_date', 'state'],
    });
    expect(check.body.report.tables.map((t: { inserted: number }) => t.inserted)).toEqual([2, 1]);
    expect(await contentFingerprint(s.db)).toEqual(before);
  });

  it('syncs for an analyst (not a viewer), records who did it, and lists each source with its last sync', async () => {
    expect((await s.call('POST', '/api/sync', { role: 'viewer', body: {} })).status).toBe(403);
    const sync = await s.call('POST', '/api/sync', { role: 'analyst', body: {} });
    expect(sync.status).toBe(200);
    expect(sync.body.tables.map((t: { table: string }) => t.table)).toEqual(['customers', 'orders']);
    const history = await s.call('GET', '/api/imports');
    expect(history.body.imports[0]).toMatchObject({ kind: 'sync', ok: true, who: expect.stringMatching(/^analyst/) });
    expect(history.body.imports[0].files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = await s.call('GET', '/api/sources');
    expect(list.body.sources.map((x: { name: string; status: string }) => [x.name, x.status])).toEqual([
      ['shop_customers', 'ok'],
      ['shop_orders', 'ok'],
    ]);
    expect(list.body.sources[0].last_sync.ok).toBe(true);
    expect(list.body.tables.customers.rows).toBe(2);
    const health = await s.call('GET', '/api/health');
    expect(health.body.settings).toEqual({ timezone: 'UTC', currency: 'BRL', inactive_after_days: 30 });
    expect(health.body.extras).toEqual({ customers: ['state'] });
    expect(health.body.lifecycle).toMatchObject({ inactive_after_days: 30, churn_inferred: 1, signup_inferred: 0 });
    expect(health.body.sample).toBe(false);
  });

  it('records a failed sync with its first problem, and changes nothing', async () => {
    writeFileSync(join(s.dir, 'sources', 'shop', 'orders.csv'), 'order_id,id,at,amount\no2,ghost,2024-03-02,5\n');
    const before = await contentFingerprint(s.db);
    const failed = await s.call('POST', '/api/sync', { role: 'admin', body: { sources: ['shop_orders'] } });
    expect(failed.status).toBe(422);
    expect(failed.body.error.details.problems[0]).toMatchObject({
      file: 'shop/orders.csv',
      line: 2,
      problem: 'unknown customer',
    });
    expect(await contentFingerprint(s.db)).toEqual(before);
    const history = await s.call('GET', '/api/imports?limit=1');
    expect(history.body.imports[0]).toMatchObject({ ok: false, sources: ['shop_orders'] });
    expect(history.body.imports[0].problems[0]).toContain('shop/orders.csv:2');
  });
});

describe('the sample world', () => {
  let sample: TestServer;
  beforeAll(async () => {
    sample = await startTestServer({ data: 'sample' });
  });
  afterAll(() => sample.close());

  it("says it is the sample, and an admin (only) removes it: only its rows, never the user's", async () => {
    expect((await sample.call('GET', '/api/health')).body.sample).toBe(true);
    // The user's own data beside the sample: customers with an order, a note and an experiment.
    const files = new FormData();
    const csv = (name: string, text: string) => files.append('files', new Blob([text], { type: 'text/csv' }), name);
    csv('customers.csv', 'customer_id,signup_date\nmine-1,2026-01-05\nmine-2,2026-02-05\n');
    csv('orders.csv', 'order_id,customer_id,ordered_at,amount\nmine-o1,mine-1,2026-03-01,25\n');
    expect((await sample.call('POST', '/api/import', { role: 'analyst', body: files })).status).toBe(200);
    const note = { date: '2026-03-01', text: 'Our own launch', metric: 'revenue' };
    expect((await sample.call('POST', '/api/annotations', { role: 'analyst', body: note })).status).toBe(201);
    const experiment = {
      channel: 'tv',
      start: '2026-01-05',
      end: '2026-02-01',
      metric: 'store_revenue',
      lift: 1000,
      lift_se: 400,
    };
    expect(
      (await sample.call('PUT', '/api/experiments/mine-geo-1', { role: 'analyst', body: experiment })).status,
    ).toBe(200);
    expect((await sample.call('DELETE', '/api/sample', { role: 'analyst' })).status).toBe(403);
    const removed = await sample.call('DELETE', '/api/sample', { role: 'admin' });
    expect(removed.body).toEqual({ removed: true });
    const health = (await sample.call('GET', '/api/health')).body;
    expect(health.sample).toBe(false);
    const rows = Object.fromEntries(Object.entries(health.tables).map(([t, v]) => [t, (v as { rows: number }).rows]));
    expect(rows).toEqual({
      ...Object.fromEntries(CONTRACT_TABLES.map((t) => [t, 0])),
      customers: 2,
      orders: 1,
      experiments: 1,
    });
    const left = await sample.db.all<{ customer_id: string }>('SELECT customer_id FROM customers ORDER BY 1');
    expect(left.map((r) => r.customer_id)).toEqual(['mine-1', 'mine-2']);
    const notes = (await sample.call('GET', '/api/annotations')).body.annotations;
    expect(notes.map((n: { text: string }) => n.text)).toContain('Our own launch');
  });
});
