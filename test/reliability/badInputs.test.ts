// A corpus of malformed inputs (test/fixtures/bad/cases.json): each must produce its error and
// change nothing — no rows, no goals, no annotations, no definition files.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearingError } from '../../data/errors.ts';
import { formatProblems, importFiles, type ImportReport } from '../../data/import/index.ts';
import { checkDefinitions } from '../../metrics/check.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { contentFingerprint } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { writeCsv } from '../helpers/tmp.ts';

const FIXTURES = 'test/fixtures/bad';
interface Case {
  kind: 'csv' | 'yaml' | 'json';
  file: string;
  expect: string;
  table?: string;
  generate?: 'huge';
  code?: string;
  method?: string;
  path?: string;
  status?: number;
  raw?: boolean;
}
const cases: Case[] = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8'));

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ data: 'empty' });
  const customers = writeCsv(s.dir, 'customers.csv', ['customer_id', 'signup_date'], [['c1', '2025-01-01']]);
  const orders = writeCsv(
    s.dir,
    'orders.csv',
    ['order_id', 'customer_id', 'ordered_at', 'amount'],
    [['o0', 'c1', '2025-02-01', '10']],
  );
  await importFiles(s.db, [{ path: customers }, { path: orders }]);
  await s.call('POST', '/api/annotations', { role: 'analyst', body: { date: '2025-02-01', text: 'baseline note' } });
});
afterAll(() => s.close());

async function everything(): Promise<string> {
  const files = readdirSync(s.metricsDir)
    .sort()
    .map((f) => `${f}:${readFileSync(join(s.metricsDir, f), 'utf8')}`);
  const notes = await s.db.all(`SELECT id, text FROM annotations ORDER BY id`);
  return JSON.stringify([await contentFingerprint(s.db), readFileSync(s.goalsFile, 'utf8'), files, notes]);
}

describe('malformed inputs: each gives its error and changes nothing', () => {
  it('has at least 30 cases covering CSV, YAML and JSON', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['csv', 'yaml', 'json']));
  });

  it.each(cases)('$kind $file', async (c) => {
    const before = await everything();
    if (c.kind === 'csv') {
      let path = join(FIXTURES, c.file);
      if (c.generate === 'huge') {
        path = join(s.dir, c.file);
        writeFileSync(path, `customer_id,signup_date,segment\nx1,2025-01-01,${'z'.repeat(3 * 1024 * 1024)}\n`);
      } else {
        copyFileSync(path, join(s.dir, c.file));
        path = join(s.dir, c.file);
      }
      const error = await importFiles(s.db, [{ path, table: c.table }]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BearingError);
      const lines = formatProblems((error as BearingError).details as ImportReport).join('\n');
      expect(lines).toContain(c.expect);
    } else if (c.kind === 'yaml') {
      const text = readFileSync(join(FIXTURES, c.file), 'utf8');
      const result = await s.db.read((session) => checkDefinitions(session, [{ file: c.file, text }]));
      expect(result.problems.map((p) => p.code)).toContain(c.code);
      expect(result.problems.map(formatProblem).join('\n')).toContain(c.expect);
      const saved = await s.call('PUT', '/api/metrics/bad_metric', { role: 'analyst', body: { yaml: text } });
      expect(saved.status).toBe(422);
    } else {
      const payload = readFileSync(join(FIXTURES, c.file), 'utf8');
      const res = await s.call(c.method!, c.path!, {
        role: 'analyst',
        body: payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(c.status);
      expect(res.body.error.message).toContain(c.expect);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+|SELECT /);
    }
    expect(await everything()).toBe(before);
  });
});
