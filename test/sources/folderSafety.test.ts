// Nothing is deleted that the user did not name, and nothing is cut silently: a full refresh of one
// source of a table that others feed is refused (it deleted crm_b's rows and uploaded ones), and a
// glob matching more files than a source reads is refused with the count (it imported 10,001 of
// 10,050 and said nothing).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFingerprint } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
  const dir = join(s.dir, 'sources');
  writeFileSync(join(dir, 'a.csv'), 'customer_id,signup_date\na1,2025-01-01\na2,2025-01-02\n');
  writeFileSync(join(dir, 'b.csv'), 'customer_id,signup_date\nb1,2025-01-01\n');
  writeFileSync(
    join(dir, 'crm.yaml'),
    'sources:\n  - { name: crm_a, table: customers, files: a.csv }\n' +
      '  - { name: crm_b, table: customers, files: b.csv }\n',
  );
});
afterAll(() => s.close());

describe('a full refresh', () => {
  it('of one source of a table that another feeds is refused, changing nothing', async () => {
    expect((await s.call('POST', '/api/sync', { role: 'analyst', body: {} })).status).toBe(200);
    const upload = new FormData();
    upload.append('files', new Blob(['customer_id,signup_date\nu1,2025-03-01\n']), 'customers.csv');
    expect((await s.call('POST', '/api/import', { role: 'analyst', body: upload })).status).toBe(200);
    const before = await contentFingerprint(s.db);
    const partial = await s.call('POST', '/api/sync', {
      role: 'analyst',
      body: { sources: ['crm_a'], full_refresh: true },
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toMatch(/crm_b also feeds it: name every source of customers \(crm_a, crm_b\)/);
    expect(await contentFingerprint(s.db)).toEqual(before);
    // Naming every source of the table is a whole-table refresh: the table is then what they give.
    const whole = await s.call('POST', '/api/sync', {
      role: 'analyst',
      body: { sources: ['crm_a', 'crm_b'], full_refresh: true },
    });
    expect(whole.status).toBe(200);
    expect(whole.body.tables[0]).toMatchObject({ table: 'customers', deleted: 1 });
  });
});

describe('a glob', () => {
  it('matching more than 10,000 files is refused with the count, not cut', async () => {
    const many = join(s.dir, 'sources', 'many');
    mkdirSync(many);
    for (let i = 0; i < 10_050; i++) writeFileSync(join(many, `t${i}.csv`), '');
    writeFileSync(
      join(s.dir, 'sources', 'many.yaml'),
      'sources:\n  - { name: many_files, table: touchpoints, files: "many/*.csv" }\n',
    );
    const res = await s.call('POST', '/api/sync', { role: 'analyst', body: { sources: ['many_files'] } });
    expect(res.status).toBe(422);
    const problems = JSON.stringify(res.body.error.details.problems);
    expect(problems).toMatch(/matches 10,050 files; a source reads at most 10,000/);
  });
});

describe('the sources folder', () => {
  it('refuses a write that would break another file (a name it already uses)', async () => {
    const dup = 'sources:\n  - { name: crm_b, table: customers, files: b.csv }\n';
    const res = await s.call('PUT', '/api/sources/other.yaml', { role: 'admin', body: { text: dup } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error.details.problems)).toMatch(/source \\"crm_b\\" is also in/);
    expect(existsSync(join(s.dir, 'sources', 'other.yaml'))).toBe(false);
  });

  it('reads a gzip header without opening the whole file (a bomb of zeros is named, not expanded)', async () => {
    writeFileSync(join(s.dir, 'sources', 'bomb.csv.gz'), gzipSync(Buffer.alloc(200 * 1024 * 1024)));
    writeFileSync(
      join(s.dir, 'sources', 'bomb.yaml'),
      'sources:\n  - { name: bomb, table: customers, files: bomb.csv.gz }\n',
    );
    const started = performance.now();
    const res = await s.call('GET', '/api/sources');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.problems)).toMatch(/the first line is longer than 1024 KB once decompressed/);
    // Opening 200 MB took seconds and as much memory; reading 1 MB of it takes a moment.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('listing many sources', () => {
  it('is planned once for many listings asked for at once, and again once a sources file changes', async () => {
    const dir = join(s.dir, 'sources', 'wide');
    mkdirSync(dir);
    const lines = ['sources:'];
    for (let i = 0; i < 300; i++) {
      writeFileSync(join(dir, `f${i}.csv`), 'customer_id,signup_date\nw1,2025-01-01\n');
      lines.push(`  - { name: wide_${i}, table: customers, files: wide/f${i}.csv }`);
    }
    const wide = join(s.dir, 'sources', 'wide.yaml');
    writeFileSync(wide, `${lines.join('\n')}\n`);
    let t = performance.now();
    const one = await s.call('GET', '/api/sources');
    const single = performance.now() - t;
    expect(one.body.sources.filter((x: { name: string }) => x.name.startsWith('wide_'))).toHaveLength(300);
    // A changed sources file is planned anew (its source shows at once) ...
    writeFileSync(wide, `${lines.join('\n')}\n  - { name: wide_new, table: customers, files: wide/f0.csv }\n`);
    t = performance.now();
    const eight = await Promise.all(Array.from({ length: 8 }, () => s.call('GET', '/api/sources')));
    const together = performance.now() - t;
    for (const r of eight) expect(r.body.sources.map((x: { name: string }) => x.name)).toContain('wide_new');
    // ... once for all eight listings asked for together: eight plans took eight times one.
    expect(together).toBeLessThan(3 * single + 500);
  });
});
