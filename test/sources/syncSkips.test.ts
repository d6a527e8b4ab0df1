// One failing source no longer blocks the others: each source is all or nothing, the failing one
// is named with its first problem (the Sources table says "failing"), and rows a declared key
// collapsed are counted apart from the rows read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const SOURCES = `sources:
  - { name: crm_good, table: customers, files: good.csv }
  - { name: crm_bad, table: customers, files: bad.csv }
  - { name: crm_keyed, table: customers, files: keyed.csv, key: [customer_id] }
`;
const FILES: Record<string, string> = {
  'good.csv': 'customer_id,signup_date\ng1,2025-01-01\ng2,2025-01-02\n',
  'bad.csv': 'customer_id,signup_date\nb1,2025-01-01\nb2,31/12/2025\n',
  'keyed.csv': 'customer_id,signup_date,segment\nk1,2025-01-01,smb\nk2,2025-01-02,smb\nk1,2025-01-03,enterprise\n',
};

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(s.dir, 'sources', name), text);
  writeFileSync(join(s.dir, 'sources', 'crm.yaml'), SOURCES);
});
afterAll(() => s.close());

describe('a sync with one failing source', () => {
  it('imports the others, names the failing one with its line, and lists it as failing', async () => {
    const res = await s.call('POST', '/api/sync', { role: 'analyst', body: {} });
    expect(res.status).toBe(200);
    expect(res.body.skipped).toEqual([
      { source: 'crm_bad', problems: [expect.stringMatching(/^bad\.csv:3: signup_date: /)] },
    ]);
    const ids = (await s.db.all<{ id: string }>('SELECT customer_id AS id FROM customers ORDER BY 1')).map((r) => r.id);
    expect(ids).toEqual(['g1', 'g2', 'k1', 'k2']);
    // The later k1 row won, and the report counts the row it replaced as collapsed, not as unread.
    expect(res.body.tables[0]).toMatchObject({ table: 'customers', rows_read: 5, collapsed: 1, inserted: 4 });
    const sources = (await s.call('GET', '/api/sources')).body.sources;
    const bad = sources.find((x: { name: string }) => x.name === 'crm_bad');
    expect(bad).toMatchObject({ status: 'failing', last_sync: { ok: false } });
    expect(bad.last_sync.first_problem).toMatch(/^bad\.csv:3: signup_date/);
    expect(sources.find((x: { name: string }) => x.name === 'crm_good')).toMatchObject({ status: 'ok' });
  });
});

describe('bearing sync', () => {
  it('syncs the others, names the skipped source and exits 1', () => {
    const ws = makeWorkspace();
    try {
      for (const [name, text] of Object.entries(FILES)) ws.write(`sources/${name}`, text);
      ws.write('sources/crm.yaml', SOURCES);
      const r = ws.bearing('sync');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/customers: 5 rows read \(1 collapsed by key\)/);
      expect(r.stderr).toMatch(/skipped crm_bad: nothing of it was imported\n {2}bad\.csv:3: signup_date/);
      expect(r.stderr).toMatch(/1 source\(s\) skipped for their problems; the others were synced/);
    } finally {
      ws.cleanup();
    }
  }, 120_000);
});
