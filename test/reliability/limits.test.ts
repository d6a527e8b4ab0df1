// Issue findings that could take the server down, each reproduced against a real server.
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../api/auth/tokens.ts';
import { onError } from '../../api/errors.ts';
import { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { importFiles } from '../../data/import/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const QUADRATIC = 'count(*) + (select count(*) from touchpoints a, touchpoints b where a.occurred_at < b.occurred_at)';
const definition = (name: string, measure: string, table = 'orders', time = 'ordered_at') =>
  `name: ${name}\nlabel: ${name}\ndescription: test\nunit: count\ndirection: up\ntable: ${table}\ntime: ` +
  `${time}\nmeasure: ${JSON.stringify(measure)}\n`;

// "At once": far below what the refused work would take (seconds to minutes and gigabytes), with
// room for a busy machine. Speed itself is measured by npm run bench, not here.
const PROMPT_MS = 5000;

describe('bounded answers (finding 1)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('a day series over ten thousand years is refused at once, naming the limit', async () => {
    const started = performance.now();
    const r = await s.call('GET', '/api/metrics/revenue/series?grain=day&from=0001-01-01&as_of=9999-12-25');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'too-many-periods',
      message: expect.stringMatching(/at most 5,000 periods/),
    });
    expect(performance.now() - started).toBeLessThan(PROMPT_MS);
    // Without from, the data's first date is where it starts: a far as_of alone is refused too.
    expect((await s.call('GET', '/api/metrics/revenue/series?grain=day&as_of=9999-12-25')).status).toBe(400);
    expect((await s.call('GET', '/api/metrics/revenue/series?grain=month&as_of=2700-01-01')).status).toBe(400);
    // An ordinary long range still answers.
    expect((await s.call('GET', '/api/metrics/revenue/series?grain=day&from=2024-01-01')).status).toBe(200);
  });

  it('the result cache is bounded by bytes, and answers larger than a quarter of it are not kept', async () => {
    const { dir, cleanup } = tempDir();
    const db = await Database.open(join(dir, 'c.duckdb'), { cacheBytes: 200_000 });
    try {
      for (let i = 0; i < 40; i++)
        await db.cached(`k${i}`, async () =>
          Array.from({ length: 500 }, (_, j) => ({ period: `2020-01-${j}`, value: i * j })),
        );
      await new Promise((r) => setTimeout(r, 10));
      expect(db.cacheStats.bytes).toBeLessThanOrEqual(200_000);
      expect(db.cacheStats.entries).toBeGreaterThan(3);
      await db.cached('huge', async () => 'x'.repeat(100_000));
      await new Promise((r) => setTimeout(r, 10));
      expect(db.cacheStats.bytes).toBeLessThanOrEqual(200_000);
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('checks and previews stay inside the limits (finding 2)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('constant-folding bombs answer problems at once, through the API', async () => {
    for (const measure of ['count(*) + len(range(100000000))', `count(*) + ${'abs('.repeat(790)}1${')'.repeat(790)}`]) {
      const started = performance.now();
      const r = await s.call('POST', '/api/metrics/check', { body: { yaml: definition('bomb', measure) } });
      expect(r.status).toBe(200);
      expect(r.body.problems[0].code).toBe('outside-sandbox');
      expect(performance.now() - started).toBeLessThan(PROMPT_MS);
    }
  });

  it('a check reads only the draft and what it names, not the whole catalog', async () => {
    writeFileSync(join(s.metricsDir, 'zz_slow.yaml'), definition('zz_slow', QUADRATIC));
    await s.catalog.reload(s.db);
    const started = performance.now();
    const r = await s.call('POST', '/api/metrics/check', { body: { yaml: definition('fine', 'sum(amount)') } });
    expect(r.body).toEqual({ ok: true, problems: [] });
    expect(performance.now() - started).toBeLessThan(PROMPT_MS);
    const derived = await s.call('POST', '/api/metrics/check', {
      body: {
        yaml: 'name: d\nlabel: D\ndescription: x\nunit: count\ndirection: up\nexpression: revenue / active_customers\n',
      },
    });
    expect(derived.body).toEqual({ ok: true, problems: [] });
  });

  it('one caller runs one preview at a time; a second answers 429 at once', async () => {
    const slow = s.call('POST', '/api/metrics/preview', {
      role: 'viewer',
      body: { yaml: definition('slow', QUADRATIC) },
    });
    await new Promise((r) => setTimeout(r, 150));
    const second = await s.call('POST', '/api/metrics/preview', {
      role: 'viewer',
      body: { yaml: definition('fast', 'sum(amount)') },
    });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('too-many-requests');
    const other = await s.call('POST', '/api/metrics/preview', {
      role: 'analyst',
      body: { yaml: definition('fast', 'sum(amount)') },
    });
    expect(other.status).toBe(200);
    void slow;
  }, 180_000);

  it('callers without a token share one count, whatever loopback address they come from', async () => {
    // 127.0.0.2 and 127.0.0.3 are this machine too: counting them apart let anonymous callers hold
    // every slot of the lane while an analyst's check waited 29 s.
    const slow = postFrom(s.url, '127.0.0.2', '/api/metrics/preview', { yaml: definition('slow2', QUADRATIC) });
    await new Promise((r) => setTimeout(r, 150));
    const second = await postFrom(s.url, '127.0.0.3', '/api/metrics/preview', {
      yaml: definition('fast', 'sum(amount)'),
    });
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(/preview|check/);
    void slow.catch(() => undefined);
  }, 180_000);
});

/** A POST from a chosen local address (fetch cannot choose one). */
function postFrom(
  base: string,
  localAddress: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('a slow or failing saved definition fails alone (findings 3 and 6)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rollups: true, backgroundTimeoutMs: 8000 });
    await s.rollups!.schedule();
  }, 120_000);
  afterAll(() => s.close());

  it('the refresh gives up on it at its time limit, marks it failed, refreshes the rest; writes never wait behind ' +
    'it', async () => {
    const saved = await s.call('PUT', '/api/metrics/zz_slow', {
      role: 'analyst',
      body: { yaml: definition('zz_slow', QUADRATIC) },
    });
    expect(saved.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.rollups!.busy).toBe(true);
    // While the background query runs, a write and the dashboard answer promptly.
    const started = performance.now();
    expect(
      (
        await s.call('POST', '/api/annotations', {
          role: 'analyst',
          body: { date: '2026-10-01', text: 'during the slow refresh' },
        })
      ).status,
    ).toBe(201);
    expect((await s.call('GET', '/api/goals')).status).toBe(200);
    // Well inside the refresh's 8-s time limit: the write did not wait for the slow refresh.
    expect(performance.now() - started).toBeLessThan(6000);
    while (s.rollups!.busy) await new Promise((r) => setTimeout(r, 100));
    const health = (await s.call('GET', '/api/health')).body;
    expect(health.rollups.failed).toEqual([
      expect.objectContaining({ metric: 'zz_slow', message: expect.stringMatching(/time limit/) }),
    ]);
    const catalog = (await s.call('GET', '/api/metrics')).body.metrics;
    expect(catalog.find((m: { name: string }) => m.name === 'zz_slow')).toMatchObject({ status: 'failed' });
    expect(catalog.find((m: { name: string }) => m.name === 'revenue')).toMatchObject({ status: 'ok', failure: null });
    // Skipped until edited: its series answers 422 at once, not after another time limit.
    const t0 = performance.now();
    expect((await s.call('GET', '/api/metrics/zz_slow/series')).body.error.code).toBe('metric-failed');
    expect(performance.now() - t0).toBeLessThan(4000); // not another 8-s time limit
    // Analysts can delete it.
    expect((await s.call('DELETE', '/api/metrics/zz_slow', { role: 'viewer' })).status).toBe(403);
    expect((await s.call('DELETE', '/api/metrics/zz_slow', { role: 'analyst' })).body).toEqual({
      deleted: 'zz_slow',
      file: 'zz_slow.yaml',
    });
    expect((await s.call('GET', '/api/metrics/zz_slow/series')).status).toBe(404);
  }, 120_000);

  it('a definition that checks but fails at run time: 422 for its series, its goal says why, the page and the ' +
    'refresh go on', async () => {
    expect(
      (
        await s.call('PUT', '/api/metrics/zz_cast', {
          role: 'analyst',
          body: { yaml: definition('zz_cast', 'sum(CAST(order_id AS INTEGER))') },
        })
      ).status,
    ).toBe(200);
    const series = await s.call('GET', '/api/metrics/zz_cast/series?grain=week');
    expect(series.status).toBe(422);
    expect(series.body.error.message).toMatch(/zz_cast cannot be computed: Could not convert/);
    expect(JSON.stringify(series.body)).not.toMatch(/SELECT|FROM/);
    const goal = await s.call('POST', '/api/goals', {
      role: 'analyst',
      body: { id: 'cast-goal', metric: 'zz_cast', target: 1, due: '2027-06-30' },
    });
    expect(goal.status).toBe(201);
    expect(goal.body.reading).toMatch(/cannot be computed/);
    const overview = await s.call('GET', '/api/goals');
    expect(overview.status).toBe(200);
    expect(overview.body.goals.filter((g: { status: string }) => g.status !== 'no_signal').length).toBeGreaterThan(5);
    while (s.rollups!.busy) await new Promise((r) => setTimeout(r, 100));
    await s.rollups!.schedule();
    expect(s.rollups!.last!.failed.map((f) => f.metric)).toContain('zz_cast');
    expect(s.rollups!.last!.sets).toBeGreaterThan(30);
  }, 120_000);
});

describe('uploads past the limits are refused whole (finding 5)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ data: 'empty' });
  });
  afterAll(() => s.close());

  it('22 files: 413, nothing imported', async () => {
    const form = new FormData();
    form.append('files', new Blob(['customer_id,signup_date\nk0,2025-01-01\n']), 'customers.csv');
    for (let i = 1; i < 22; i++)
      form.append(
        'files',
        new Blob([`customer_id,channel,occurred_at\nk0,email,2025-01-0${1 + (i % 9)}\n`]),
        `touchpoints.csv`,
      );
    const r = await s.call('POST', '/api/import', { role: 'analyst', body: form });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('too-many-files');
    expect((await s.db.one<{ n: number }>('SELECT count(*) AS n FROM customers'))!.n).toBe(0);
  });
});

describe('smaller findings (10)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('tokens created or revoked in the tokens file take effect without a restart', async () => {
    const file = join(s.dir, 'tokens.json');
    const token = createToken(file, 'analyst', 'made while serving');
    await new Promise((r) => setTimeout(r, 1100));
    const whoami = async () =>
      (await fetch(`${s.url}/api/auth/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await whoami()).toBe(200);
    writeFileSync(file, JSON.stringify({ tokens: [] }));
    await new Promise((r) => setTimeout(r, 1100));
    expect(await whoami()).toBe(401);
  });

  it('a YAML alias bomb is a problem of the file, through the API and on disk', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
      'name: *i',
    ].join('\n');
    const r = await s.call('POST', '/api/metrics/check', { body: { yaml: bomb } });
    expect(r.status).toBe(200);
    expect(r.body.problems[0].message).toMatch(/alias/);
    writeFileSync(join(s.metricsDir, 'bomb.yaml'), bomb);
    await s.catalog.reload(s.db);
    expect(s.catalog.problems.map((p) => p.file)).toContain('bomb.yaml');
    expect(s.catalog.get('revenue')).toBeDefined();
  });

  it('impossible dates, prototype keys and control characters are 400s', async () => {
    expect((await s.call('GET', '/api/metrics/revenue/series?as_of=2025-02-30')).status).toBe(400);
    expect((await s.call('GET', '/api/metrics/revenue/series?from=2025-13-01')).status).toBe(400);
    expect(
      (await s.call('POST', '/api/annotations', { role: 'analyst', body: { date: '2025-02-30', text: 'x' } })).status,
    ).toBe(400);
    const proto = await s.call('GET', '/api/metrics/nps/series?where=__proto__=x');
    expect(proto.status).toBe(400);
    expect(proto.body.error.message).toMatch(/not a dimension name/);
    expect(
      (await s.call('GET', `/api/metrics/nps/series?where=${encodeURIComponent('segment=smb\u0000')}`)).status,
    ).toBe(400);
  });

  it('a NUL byte in an identifier is rejected by line, by both import paths', async () => {
    const { dir, cleanup } = tempDir();
    const db = await Database.open(join(dir, 'n.duckdb'), { allowedDirectories: [dir] });
    try {
      const { ensureSchema } = await import('../../data/schema.ts');
      await db.write(ensureSchema);
      const file = writeCsv(
        dir,
        'customers.csv',
        ['customer_id', 'signup_date'],
        [
          ['ok', '2025-01-01'],
          ['bad\u0000id', '2025-01-02'],
        ],
      );
      for (const careful of [false, true]) {
        const error = await importFiles(db, [{ path: file }], { careful }).catch((e: BearingError) => e);
        expect(error).toBeInstanceOf(BearingError);
        expect((error as BearingError).details).toMatchObject({
          problems: [{ line: 3, column: 'customer_id', problem: 'control character in an identifier' }],
        });
      }
    } finally {
      db.close();
      cleanup();
    }
  });

  it('an overlong header or cell is named for what it is', async () => {
    const { dir, cleanup } = tempDir();
    const db = await Database.open(join(dir, 'h.duckdb'), { allowedDirectories: [dir] });
    try {
      const { ensureSchema } = await import('../../data/schema.ts');
      await db.write(ensureSchema);
      const wide = join(dir, 'customers.csv');
      writeFileSync(wide, `${Array.from({ length: 200_000 }, (_, i) => `column_${i}`).join(',')}\n1\n`);
      await expect(importFiles(db, [{ path: wide }])).rejects.toMatchObject({
        details: { problems: [{ line: 1, problem: expect.stringMatching(/header row is longer than 1 MB/) }] },
      });
      writeFileSync(wide, `customer_id,signup_date\n${'x'.repeat(3_000_000)},2025-01-01\n`);
      await expect(importFiles(db, [{ path: wide }])).rejects.toMatchObject({
        details: { problems: [{ line: 2, problem: expect.stringMatching(/longer than the reader allows/) }] },
      });
    } finally {
      db.close();
      cleanup();
    }
  });

  it('out of memory and a full disk are named, with what to do', async () => {
    const app = new Hono();
    app.get('/oom', () => {
      throw new Error('Out of Memory Error: could not allocate block of size 256KB');
    });
    app.get('/disk', () => {
      throw new Error('IO Error: Could not write file "x": No space left on device');
    });
    app.onError(onError);
    const oom = await app.request('/oom');
    expect(oom.status).toBe(503);
    expect(await oom.json()).toMatchObject({
      error: { code: 'out-of-memory', message: expect.stringMatching(/BEARING_MEMORY_LIMIT/) },
    });
    const disk = await app.request('/disk');
    expect(disk.status).toBe(507);
    expect(await disk.json()).toMatchObject({ error: { code: 'disk-full' } });
  });
});
