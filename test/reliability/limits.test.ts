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
    // The default query limit (30 s): each slow preview is ended by its client going away.
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
    const client = new AbortController();
    const slow = s.call('POST', '/api/metrics/preview', {
      role: 'viewer',
      body: { yaml: definition('slow', QUADRATIC) },
      signal: client.signal,
    });
    const second = await refusedWhileRunning(slow, () =>
      s.call('POST', '/api/metrics/preview', { role: 'viewer', body: { yaml: definition('fast', 'sum(amount)') } }),
    );
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('too-many-requests');
    const other = await s.call('POST', '/api/metrics/preview', {
      role: 'analyst',
      body: { yaml: definition('fast', 'sum(amount)') },
    });
    expect(other.status).toBe(200);
    client.abort();
    await slow.catch(() => undefined);
  }, 180_000);

  it('a preview whose client goes away is stopped at once, freeing the caller to preview again', async () => {
    const client = new AbortController();
    const slow = s.call('POST', '/api/metrics/preview', {
      role: 'analyst',
      body: { yaml: definition('slow3', QUADRATIC) },
      signal: client.signal,
    });
    const fast = () =>
      s.call('POST', '/api/metrics/preview', { role: 'analyst', body: { yaml: definition('fast', 'sum(amount)') } });
    await refusedWhileRunning(slow, fast);
    client.abort();
    await slow.catch(() => undefined);
    // Before, the abandoned query ran on to the 30-s query limit, holding the caller's one slot
    // (every preview of theirs answered 429) and a core.
    const gone = performance.now();
    let answer = await fast();
    while (answer.status === 429 && performance.now() - gone < PROMPT_MS) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await fast();
    }
    expect(answer.status).toBe(200);
    expect(performance.now() - gone).toBeLessThan(PROMPT_MS);
  }, 180_000);

  it('callers without a token share one count, whatever loopback address they come from', async () => {
    // 127.0.0.2 and 127.0.0.3 are this machine too: counting them apart let anonymous callers hold
    // every slot of the lane while an analyst's check waited 29 s.
    const client = new AbortController();
    const slow = postFrom(
      s.url,
      '127.0.0.2',
      '/api/metrics/preview',
      { yaml: definition('slow2', QUADRATIC) },
      client.signal,
    );
    const second = await refusedWhileRunning(slow, () =>
      postFrom(s.url, '127.0.0.3', '/api/metrics/preview', { yaml: definition('fast', 'sum(amount)') }),
    );
    expect(second.status).toBe(429);
    expect(second.body.error.message).toMatch(/preview|check/);
    client.abort();
    await slow.catch(() => undefined);
  }, 180_000);
});

/**
 * Asks again until an answer is refused, for as long as the slow request is still running. A fixed
 * pause before asking raced a busy machine: the quick request could reach the server before the slow
 * one had taken its slot, and was rightly served. Fails if the slow request ends with no refusal.
 */
async function refusedWhileRunning<T extends { status: number }>(slow: Promise<unknown>, ask: () => Promise<T>) {
  let settled = false;
  void slow.then(
    () => (settled = true),
    () => (settled = true),
  );
  let last: T | undefined;
  while (!settled) {
    last = await ask();
    if (last.status === 429) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the slow request ended with no refusal; the last answer was ${last?.status}`);
}

/** A POST from a chosen local address (fetch cannot choose one). */
function postFrom(
  base: string,
  localAddress: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
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
        signal,
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
