// Answers that must not look more exact, or more complete, than the data allows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../data/import/index.ts';
import { compareChannels } from '../../metrics/channels/compare.ts';
import { checkDefinitions } from '../../metrics/check.ts';
import { formatProblem } from '../../metrics/definition.ts';
import { openTestDb } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

describe('the checker reports every problem of a file at once', () => {
  it('an invalid unit and an unknown column in measure, together', async () => {
    const { dir, cleanup } = tempDir();
    const db = await openTestDb(dir);
    try {
      const text =
        'name: broken\nlabel: B\ndescription: x\nunit: ratioz\ndirection: up\ntable: orders\ntime: ' +
        'ordered_at\nmeasure: avg(amout)\nfilter: amount > 0\n';
      const { problems } = await db.read((s) => checkDefinitions(s, [{ file: 'broken.yaml', text }]));
      expect(problems.map(formatProblem)).toEqual([
        expect.stringMatching(/^broken\.yaml:4:7: unit: /),
        expect.stringMatching(/^broken\.yaml:8:14: measure: unknown column "amout" in orders/),
      ]);
      // A rejected SQL field leaves the others checked too; a rejected table leaves nothing to bind.
      const badFilter = await db.read((s) =>
        checkDefinitions(s, [
          {
            file: 'b.yaml',
            text:
              'name: b\nlabel: B\ndescription: x\nunit: count\ndirection: sideways\ntable: orders\ntime: ' +
              'ordered_at\nmeasure: sum(amout)\nfilter: 7\n',
          },
        ]),
      );
      expect(badFilter.problems.map((p) => p.field).sort()).toEqual(['direction', 'filter', 'measure']);
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('API answers never show server paths', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('check, preview, save and the catalog name files by their own name only', async () => {
    const dup =
      'name: revenue\nlabel: R\ndescription: again\nunit: currency\ndirection: up\ntable: orders\ntime: ' +
      'ordered_at\nmeasure: sum(amount)\n';
    const checked = await s.call('POST', '/api/metrics/check', { body: { yaml: dup, file: 'again.yaml' } });
    expect(checked.body.problems).toEqual([
      expect.objectContaining({
        code: 'duplicate-name',
        file: 'again.yaml',
        message: 'metric "revenue" is already defined in revenue.yaml',
      }),
    ]);
    const saved = await s.call('PUT', '/api/metrics/again', {
      role: 'analyst',
      body: { yaml: dup.replace('name: revenue', 'name: again') },
    });
    expect(saved.status).toBe(200);
    writeFileSync(join(s.metricsDir, 'zz_broken.yaml'), 'name: zz\nlabel: Z\n');
    await s.catalog.reload(s.db);
    for (const answer of [
      checked,
      saved,
      await s.call('GET', '/api/metrics'),
      await s.call('PUT', '/api/metrics/again', { role: 'analyst', body: { yaml: dup } }),
      await s.call('GET', '/api/metrics/zz_broken/series'),
    ]) {
      expect(JSON.stringify(answer.body)).not.toContain(s.dir);
      expect(JSON.stringify(answer.body)).not.toMatch(/\/tmp\/|\/work\//);
    }
    expect((await s.call('GET', '/api/metrics')).body.problems[0].file).toBe('zz_broken.yaml');
  });

  it('unknown keys in a JSON body are a 400 naming the field, for every body', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/api/channels/what-if', { moves: [], outcom: 'revenue' }],
      ['POST', '/api/channels/what-if', { moves: [{ from: 'social', to: 'email', amount: 1, why: 'x' }] }],
      ['POST', '/api/metrics/check', { yaml: 'name: x', draft: true }],
      ['POST', '/api/annotations', { date: '2026-01-01', text: 'x', colour: 'red' }],
      ['POST', '/api/goals', { id: 'g', metric: 'revenue', target: 1, due: '2027-01-01', targett: 2 }],
    ];
    for (const [method, path, body] of cases) {
      const r = await s.call(method, path, { role: 'analyst', body });
      expect(r.status, path).toBe(method === 'POST' && path === '/api/goals' ? 400 : 400);
      expect(r.body.error.message).toMatch(/outcom|moves\.0\.why|draft|colour|targett/);
    }
  });

  it('the what-if honours outcome, and refuses when nothing is measured', async () => {
    const move = { moves: [{ from: 'paid_search', to: 'social', amount: 100000 }] };
    const retention = await s.call('POST', '/api/channels/what-if', { body: move });
    const revenue = await s.call('POST', '/api/channels/what-if', { body: { ...move, outcome: 'revenue' } });
    expect(retention.status).toBe(200);
    expect(revenue.status).toBe(200);
    expect(revenue.body.assumptions[0]).toMatch(/incremental revenue/);
    expect(retention.body.assumptions[0]).toMatch(/incremental retained customers/);
    expect(revenue.body.total_change).not.toBeCloseTo(retention.body.total_change, 3);
    const nps = await s.call('POST', '/api/channels/what-if', { body: { ...move, outcome: 'nps' } });
    expect(nps.status).toBe(400);
    // A window no cohort completes: no channel has a measured lift.
    const none = await s.call('POST', '/api/channels/what-if', { body: { ...move, window: 365, horizon: 1095 } });
    expect(none.status, JSON.stringify(none.body)).toBe(422);
    expect(none.body.error).toMatchObject({
      code: 'nothing-to-model',
      message: expect.stringMatching(/nothing can be modelled/),
    });
  });
});

describe('an outcome with no variance is not estimable', () => {
  it('nobody churned: every lift says not estimable and why, never +0.0 (+0.0 … +0.0)', async () => {
    const { dir, cleanup } = tempDir();
    const db = await openTestDb(dir);
    try {
      const customers = Array.from({ length: 60 }, (_, i) => [
        `c${i}`,
        `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        null,
        i % 2 ? 'smb' : 'enterprise',
        'na',
        'email',
      ]);
      await importFiles(
        db,
        [
          {
            path: writeCsv(
              dir,
              'customers.csv',
              ['customer_id', 'signup_date', 'churn_date', 'segment', 'region', 'acquisition_channel'],
              customers,
            ),
          },
          {
            path: writeCsv(
              dir,
              'touchpoints.csv',
              ['customer_id', 'channel', 'occurred_at'],
              customers.filter((_, i) => i % 3 === 0).map((c) => [c[0]!, 'social', c[1]!]),
            ),
          },
        ],
        { completeThrough: '2025-12-31' },
      );
      const social = (await compareChannels(db)).channels.find((c) => c.channel === 'social')!;
      expect(social).toMatchObject({ lift: null, ci: null, incremental: null, exposed: 20 });
      expect(social.notes.join(' ')).toMatch(/not estimable: the outcome does not vary/);
    } finally {
      db.close();
      cleanup();
    }
  });
});
