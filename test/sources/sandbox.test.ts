// The source-query sandbox against what got past it: offsets in UTF-8 bytes applied to a JavaScript
// string (an accented comment shifted the path rewrite), a CTE named like a table, SHOW in a
// subquery, and format()/printf() widths that build gigabytes while binding. Over HTTP, as an
// admin's check would run them; the data must not change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFingerprint } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  mkdirSync(join(s.dir, 'sources', 'shop'), { recursive: true });
  writeFileSync(join(s.dir, 'sources', 'shop', 'people.csv'), 'id,joined\nZ1,2024-01-01\nZ2,2024-01-15\n');
});
afterAll(() => s.close());

/** Writes one sources file holding a single source with this query, and checks the folder. */
async function checkQuery(query: string) {
  const indented = query
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  const yaml = `sources:\n  - name: probe\n    table: customers\n    query: |\n${indented}\n`;
  writeFileSync(join(s.dir, 'sources', 'probe.yaml'), yaml);
  return s.call('POST', '/api/sources/check', { role: 'admin', body: { preview: 2 } });
}

const problemsOf = (body: { problems?: Array<{ message: string }> }) =>
  (body.problems ?? []).map((p) => p.message).join('\n');

describe('source queries', () => {
  it('accept a valid query with accented text before its path, and read the right file', async () => {
    const res = await checkQuery(
      `-- clientes antigos: ${'é'.repeat(37)}\nselect id as customer_id, joined as signup_date from 'shop/people.csv'`,
    );
    expect(res.status).toBe(200);
    expect(res.body.ok, problemsOf(res.body)).toBe(true);
    expect(res.body.previews[0].rows.map((r: { customer_id: string }) => r.customer_id)).toEqual(['Z1', 'Z2']);
  });

  it('never run what a shifted rewrite would uncover, and change nothing', async () => {
    const before = await contentFingerprint(s.db);
    // A quote inside a comment, 37 characters after the path: where the byte offset pointed.
    // After the path's 17 characters, ' /* ' and 16 more put the comment's quote 37 characters on.
    const res = await checkQuery(
      `select /* ${'é'.repeat(37)} */ id as customer_id, joined as signup_date from 'shop/people.csv' ` +
        `/* ${'x'.repeat(15)}'s ` +
        `*/ where id <> '*/; UPDATE customers SET segment = $$pwned$$; --'`,
    );
    expect(res.status).toBe(200);
    expect(await contentFingerprint(s.db)).toEqual(before);
  });

  it('refuse a CTE named like a table that would shadow the check, and a CTE reading the table it names', async () => {
    const shadow = await checkQuery(
      'select (with customers as (select 1) select 1) n, c.customer_id, c.signup_date from customers c',
    );
    expect(shadow.body.ok).toBe(false);
    expect(problemsOf(shadow.body)).toMatch(/"customers" is not a file/);
    const self = await checkQuery(
      'with customers as (select * from customers) select customer_id, signup_date from customers',
    );
    expect(self.body.ok).toBe(false);
    expect(problemsOf(self.body)).toMatch(/"customers" is not a file/);
  });

  it('refuse SHOW, DESCRIBE and SUMMARIZE', async () => {
    for (const q of ['select * from (show all tables)', 'select * from (describe customers)']) {
      const res = await checkQuery(q);
      expect(res.body.ok, q).toBe(false);
      expect(problemsOf(res.body)).toMatch(/SHOW, DESCRIBE and SUMMARIZE are not allowed/);
    }
  });

  it('refuse format and printf widths that would build huge strings', async () => {
    const res = await checkQuery(
      "select id as customer_id, joined as signup_date, format('{:>1000000000}', 'a') as segment " +
        "from 'shop/people.csv'",
    );
    expect(res.body.ok).toBe(false);
    expect(problemsOf(res.body)).toMatch(/format\(\): widths and precisions are limited to 255 \(got 1000000000\)/);
  });
});

describe('metric definitions', () => {
  it('refuse printf and format widths beyond 255, and accept ordinary ones', async () => {
    const draft = (measure: string) =>
      `name: widths\nlabel: Widths\ndescription: d\nunit: count\ndirection: up\ntable: customers\ntime: signup_date\n` +
      `measure: "${measure}"\n`;
    const huge = await s.call('POST', '/api/metrics/check', {
      role: 'analyst',
      body: { yaml: draft("max(length(printf('%01000000000d', 1)))") },
    });
    expect(JSON.stringify(huge.body)).toMatch(/printf\(\): widths and precisions are limited to 255/);
    const fine = await s.call('POST', '/api/metrics/check', {
      role: 'analyst',
      body: { yaml: draft("max(length(printf('%05.2f', 1.5)))") },
    });
    expect(JSON.stringify(fine.body)).not.toMatch(/widths and precisions/);
  });
});
