// POST /api/import: multipart (several files, one transaction) and a streamed single file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFingerprint } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
});
afterAll(() => s.close());

const form = (files: Record<string, string>) => {
  const f = new FormData();
  for (const [name, text] of Object.entries(files)) f.append('files', new Blob([text], { type: 'text/csv' }), name);
  return f;
};

describe('POST /api/import', () => {
  it('imports several multipart files in dependency order as one transaction', async () => {
    const res = await s.call('POST', '/api/import', {
      role: 'analyst',
      body: form({
        'orders.csv': 'order_id,customer_id,ordered_at,amount\nm-o1,m1,2025-02-01,10\n',
        'customers.csv': 'customer_id,signup_date\nm1,2025-01-01\nm2,2025-01-02\n',
      }),
    });
    expect(res.status).toBe(200);
    expect(res.body.tables.map((t: { table: string; inserted: number }) => [t.table, t.inserted])).toEqual([
      ['customers', 2],
      ['orders', 1],
    ]);
  });

  it('rejects the whole multipart import when one file is bad, changing nothing', async () => {
    const before = await contentFingerprint(s.db);
    const res = await s.call('POST', '/api/import', {
      role: 'analyst',
      body: form({
        'customers.csv': 'customer_id,signup_date\nm3,2025-01-03\n',
        'orders.csv': 'order_id,customer_id,ordered_at,amount\nm-o2,ghost,2025-02-01,10\n',
      }),
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems[0]).toMatchObject({
      file: 'orders.csv',
      line: 2,
      column: 'customer_id',
      problem: 'unknown customer',
    });
    expect(await contentFingerprint(s.db)).toEqual(before);
  });

  it('streams a single text/csv body, named by ?filename= or ?table=', async () => {
    const res = await s.call('POST', '/api/import?table=touchpoints', {
      role: 'analyst',
      body: 'customer_id,channel,occurred_at\nm1,Social,2025-03-01T10:00:00Z\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.body.tables[0]).toMatchObject({ table: 'touchpoints', inserted: 1 });
  });

  it('keeps file names inside the staging folder', async () => {
    const res = await s.call('POST', '/api/import', {
      role: 'analyst',
      body: form({ '../../customers.csv': 'customer_id,signup_date\nm9,2025-01-09\n' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.tables[0].files).toEqual(['customers.csv']);
  });
});
