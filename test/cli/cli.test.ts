import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../data/db.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const BIN = resolve('api/bin/bearing.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('bearing CLI', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);
  const db = join(dir, 'cli.duckdb');

  it('every command has --help', () => {
    for (const command of ['generate', 'import', 'serve']) {
      const r = run(command, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: bearing ${command}`);
    }
  });

  it('generate writes the sample world and prints a summary per table', () => {
    const r = run('generate', '--db', db, '--customers', '500', '--seed', '3', '--end', '2026-10-31');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/customers: 500 rows/);
    expect(r.stderr).toMatch(/touchpoints: [\d,]+ rows/);
  });

  it('import exits 0 with a summary, and exits 1 naming file:line: column on a bad row', () => {
    const good = writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date'], [['x1', '2025-01-01']]);
    const ok = run('import', '--db', db, good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('customers: 1 rows read from customers.csv; 1 new, 0 updated, 0 unchanged');
    const bad = writeCsv(
      dir,
      'orders.csv',
      ['order_id', 'customer_id', 'ordered_at', 'amount'],
      [['z1', 'nobody', '2025-01-01', '1']],
    );
    const r = run('import', '--db', db, bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'orders.csv:2: customer_id: unknown customer (got "nobody", expected a customer_id in the database or in this ' +
        'import)',
    );
    expect(r.stderr).toContain('import rejected: 1 problem; nothing was changed');
  });

  it('import refuses, with what to do, when another process holds the database', async () => {
    const holder = await Database.open(db);
    try {
      const file = writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date'], [['x2', '2025-01-01']]);
      const started = Date.now();
      const r = run('import', '--db', db, file);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/is in use by another process \(PID \d+\).*POST \/api\/import/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      holder.close();
    }
  });

  it('rejects bad flags with exit code 2', () => {
    expect(run('generate', '--db', db, '--customers', 'many').status).toBe(2);
  });
});
