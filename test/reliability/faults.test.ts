// Faults: kill -9 during an import, readers during an import, restarts.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../api/auth/tokens.ts';
import { createServerApp, listen } from '../../api/server.ts';
import { Database } from '../../data/db.ts';
import { importFiles } from '../../data/import/index.ts';
import { ensureSchema, readFacts } from '../../data/schema.ts';
import { Catalog } from '../../metrics/catalog.ts';
import { contentFingerprint, openTestDb } from '../helpers/db.ts';
import { startTestServer } from '../helpers/server.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function writeLines(path: string, header: string, count: number, line: (i: number) => string): Promise<string> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return path;
}

const CUSTOMERS = 100_000;
let customersCsv: string;
let touchpointsCsv: string;
beforeAll(async () => {
  customersCsv = await writeLines(
    join(dir, 'customers.csv'),
    'customer_id,signup_date,segment',
    CUSTOMERS,
    (i) => `k${i},2025-0${1 + (i % 9)}-1${i % 10},smb`,
  );
  touchpointsCsv = await writeLines(
    join(dir, 'touchpoints.csv'),
    'customer_id,channel,activity,occurred_at',
    2_000_000,
    (i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const hour = String(i % 24).padStart(2, '0');
      return `k${i % CUSTOMERS},${['social', 'email', 'events'][i % 3]},a${i % 7},2025-10-${day}T${hour}:00:00Z`;
    },
  );
});

describe('kill -9 during an import', () => {
  it('leaves the database with exactly its pre-import content, at several points, and the server starts ' +
    'cleanly', async () => {
    const db = join(dir, 'kill.duckdb');
    const seed = await openTestDb(dir, 'kill.duckdb');
    await importFiles(seed, [
      {
        path: writeCsv(
          dir,
          'seed-customers.csv',
          ['customer_id', 'signup_date'],
          [
            ['s1', '2024-01-01'],
            ['s2', '2024-02-01'],
          ],
        ),
        table: 'customers',
      },
    ]);
    const before = await contentFingerprint(seed);
    const version = (await seed.read(readFacts)).data_version;
    seed.close();

    // A kill counts as mid-import only once the import has said it began reading (BEARING_PROGRESS
    // prints each step on a line) and before it exited: a kill before it started proves nothing.
    let killedMidImport = 0;
    for (const delay of [0, 300, 800, 1500, 2500]) {
      const child = spawn(
        process.execPath,
        ['api/bin/bearing.js', 'import', '--db', db, customersCsv, touchpointsCsv],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BEARING_PROGRESS: 'lines' } },
      );
      const exited = new Promise((r) => child.once('exit', r));
      let output = '';
      await new Promise<void>((began) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (/^reading /m.test(output)) began();
        });
        void exited.then(() => began());
      });
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null && /^reading /m.test(output)) {
        child.kill('SIGKILL');
        killedMidImport++;
      }
      await exited;
      const after = await Database.open(db);
      expect(await contentFingerprint(after)).toEqual(before);
      expect((await after.read(readFacts)).data_version).toBe(version);
      after.close();
    }
    expect(killedMidImport).toBeGreaterThanOrEqual(4);

    // The server starts cleanly on the database afterwards, and a full import still works.
    const reopened = await Database.open(db, { allowedDirectories: [dir] });
    await reopened.write(ensureSchema);
    const server = await listen(
      createServerApp(
        {
          db: reopened,
          catalog: await Catalog.load(reopened, 'metrics/definitions'),
          stagingDir: dir,
          goalsFile: join(dir, 'g.yaml'),
          auth: { tokens: TokenStore.load(join(dir, 'none.json'), ''), readsNeedToken: false },
        },
        join(dir, 'no-web'),
      ),
      0,
      '127.0.0.1',
    );
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, tables: { customers: { rows: 2 }, touchpoints: { rows: 0 } } });
    await server.close();
    const report = await importFiles(reopened, [{ path: customersCsv }, { path: touchpointsCsv }]);
    expect(report.tables.map((t) => t.inserted)).toEqual([CUSTOMERS, 2_000_000]);
    reopened.close();
  }, 180_000);
});

describe('a concurrent reader never sees a half-done import', () => {
  it('observes only the before or the after state', async () => {
    const db = await openTestDb(dir, 'concurrent.duckdb');
    const counts = () =>
      db.one<{ c: number; t: number }>(
        `SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM touchpoints) AS t`,
      );
    const before = await counts();
    let done = false;
    const importing = importFiles(db, [{ path: customersCsv }, { path: touchpointsCsv }]).finally(() => {
      done = true;
    });
    const seen = new Set<string>();
    let reads = 0;
    while (!done) {
      seen.add(JSON.stringify(await counts()));
      reads++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await importing;
    const after = await counts();
    seen.add(JSON.stringify(after));
    expect(after).toEqual({ c: CUSTOMERS, t: 2_000_000 });
    expect([...seen].filter((s) => s !== JSON.stringify(before) && s !== JSON.stringify(after))).toEqual([]);
    // The reader really ran beside the import (many reads while it wrote), so a half-done state had
    // every chance to be seen; and the state before it was seen.
    expect(reads).toBeGreaterThan(20);
    expect(seen.has(JSON.stringify(before))).toBe(true);
    db.close();
  }, 120_000);
});

describe('a restart loses nothing written before it', () => {
  it('keeps goals, annotations and definitions written through the API', async () => {
    const s = await startTestServer({ data: 'empty' });
    const goal = { id: 'kept-goal', metric: 'revenue', target: 100, due: '2030-01-01' };
    expect(await s.call('POST', '/api/goals', { role: 'analyst', body: goal })).toMatchObject({ status: 201 });
    expect(
      (await s.call('POST', '/api/annotations', { role: 'analyst', body: { date: '2025-05-05', text: 'kept note' } }))
        .status,
    ).toBe(201);
    const yaml =
      'name: kept_metric\nlabel: Kept\ndescription: d\nunit: count\ndirection: up\ntable: orders\ntime: ' +
      'ordered_at\nmeasure: count(*)\n';
    expect((await s.call('PUT', '/api/metrics/kept_metric', { role: 'analyst', body: { yaml } })).status).toBe(200);
    const dbPath = s.db.path;
    // A fresh process would see exactly this: close everything, reopen from the files.
    s.db.close();
    const db = await Database.open(dbPath);
    expect(await db.all(`SELECT text FROM annotations`)).toEqual([{ text: 'kept note' }]);
    db.close();
    expect(readFileSync(s.goalsFile, 'utf8')).toContain('id: kept-goal');
    const catalog = readFileSync(join(s.metricsDir, 'kept_metric.yaml'), 'utf8');
    expect(catalog).toBe(yaml);
    // reopen for close() to succeed
    (s as { db: Database }).db = await Database.open(dbPath);
    await s.close();
  });
});
