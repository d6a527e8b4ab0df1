// Every command's exit codes, from the real `bearing` binary: 0 success, 1 failure, 2 usage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServe } from '../helpers/cli.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

describe('exit codes of every command (0 ok, 1 failed, 2 usage)', () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'w.duckdb');
  beforeAll(() => {
    expect(run('generate', '--db', db, '--customers', '300', '--seed', '5', '--end', '2026-10-31').status).toBe(0);
  });
  afterAll(cleanup);

  it('generate', () => {
    expect(run('generate', '--db', dir, '--customers', '10').status).toBe(1); // a folder, not a database file
    expect(run('generate', '--end', '2025-02-30', '--db', join(dir, 'g.duckdb')).status).toBe(2);
    expect(run('generate', '--bogus').status).toBe(2);
  });

  it('import', () => {
    const other = join(dir, 'import.duckdb');
    expect(
      run(
        'import',
        '--db',
        other,
        writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date'], [['a', '2025-01-01']]),
      ).status,
    ).toBe(0);
    expect(
      run(
        'import',
        '--db',
        other,
        writeCsv(
          dir,
          'orders.csv',
          ['order_id', 'customer_id', 'ordered_at', 'amount'],
          [['o', 'nobody', '2025-01-01', '1']],
        ),
      ).status,
    ).toBe(1);
    expect(
      run('import', '--db', other, '--table', 'customers', join(dir, 'customers.csv'), join(dir, 'orders.csv')).status,
    ).toBe(2);
    expect(run('import', '--db', other, '--complete-through', 'soon', join(dir, 'customers.csv')).status).toBe(2);
    expect(run('import', '--db', other).status).toBe(2);
  });

  it('check: a broken definition exits 1 after printing it, a valid folder 0', () => {
    const defs = join(dir, 'defs');
    mkdirSync(defs, { recursive: true });
    writeFileSync(
      join(defs, 'broken.yaml'),
      'name: broken\nlabel: B\ndescription: x\nunit: ratio\ndirection: up\ntable: orders\ntime: ' +
        'ordered_at\nmeasure: avg(amout)\n',
    );
    const broken = run('check', '--metrics', defs, '--db', db);
    expect(broken.stdout).toMatch(/broken\.yaml:8:14: measure: unknown column "amout"/);
    expect(broken.status).toBe(1);
    expect(run('check', '--db', db).status).toBe(0);
    expect(run('check', '--nope').status).toBe(2);
    // A folder that is not there is named, not a stack trace from inside the catalog.
    const missing = run('check', '--metrics', join(dir, 'no-such-folder'), '--db', db);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--metrics names .*no-such-folder, which is not a folder of metric definitions/);
    expect(missing.stderr).not.toMatch(/ENOENT|\n\s+at /);
  });

  it('query', () => {
    expect(run('query', 'revenue', '--db', db).status).toBe(0);
    expect(run('query', 'no_such_metric', '--db', db).status).toBe(1);
    expect(run('query', 'revenue', '--db', join(dir, 'missing.duckdb')).status).toBe(1);
    expect(run('query', 'revenue', '--grain', 'year', '--db', db).status).toBe(2);
    expect(run('query', '--db', db).status).toBe(2);
  });

  it('heading', () => {
    expect(run('heading', '--db', db).status).toBe(0);
    const goals = join(dir, 'goals.yaml');
    writeFileSync(goals, '- id: x\n  metric: revenue\n  target: nope\n  due: 2027-01-01\n');
    expect(run('heading', '--db', db, '--goals', goals).status).toBe(1);
    expect(run('heading', '--db', db, '--as-of', '2026-13-01').status).toBe(2);
    // A goals file named but not there is a mistake to name, not a reading of no goals (it was exit 0).
    const missing = run('heading', '--db', db, '--goals', join(dir, 'no-goals.yaml'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--goals names .*no-goals\.yaml, which is not a goals file \(it does not exist\)/);
    const folder = run('check', '--db', db, '--goals', dir);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/which is not a goals file \(it is a folder\)/);
    expect(folder.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it('channels', () => {
    const table = run('channels', '--db', db);
    expect(table.status).toBe(0);
    // In the outcome's words, as every page writes them: retention lifts in points, spend in money.
    expect(table.stdout).toMatch(/[+−]\d+(\.\d+)? pts/);
    expect(table.stdout).toMatch(/\$\d{1,3}(,\d{3})*/);
    expect(table.stdout).not.toMatch(/ -\d/);
    expect(run('channels', '--db', join(dir, 'missing.duckdb')).status).toBe(1);
    expect(run('channels', '--db', db, '--outcome', 'happiness').status).toBe(2);
    expect(run('channels', '--db', db, '--window', '0').status).toBe(2);
    // Out of range above is a usage error too, as the API's 400 (it was a failure, exit 1).
    const horizon = run('channels', '--db', db, '--horizon', '99999');
    expect(horizon.status).toBe(2);
    expect(horizon.stderr).toContain('--horizon expects a whole number from 1 to 1095 (got "99999")');
  });

  it('token create', () => {
    const tokens = join(dir, 'tokens.json');
    expect(run('token', 'create', '--role', 'viewer', '--tokens', tokens).status).toBe(0);
    writeFileSync(join(dir, 'broken-tokens.json'), '{ not json');
    expect(run('token', 'create', '--role', 'viewer', '--tokens', join(dir, 'broken-tokens.json')).status).toBe(1);
    expect(run('token', 'create', '--tokens', tokens).status).toBe(2);
    expect(run('token', 'create', '--role', 'king', '--tokens', tokens).status).toBe(2);
  });

  it('serve: start-up failures exit 1 (port taken, database held), bad flags 2', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = run('serve', '--db', db, '--port', String(port));
      expect(taken.status).toBe(1);
      // Named with what to do, not Node's EADDRINUSE stack trace.
      expect(taken.stderr).toContain(`error: port ${port} on 127.0.0.1 is already in use`);
      expect(taken.stderr).toContain('--port or PORT');
      expect(taken.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      blocker.close();
    }
    const server = await startServe(['--db', db, '--port', '0']);
    try {
      const second = run('serve', '--db', db, '--port', '0');
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/in use by another process/);
    } finally {
      await server.stop();
    }
    expect(run('serve', '--db', db, '--port', 'eighty').status).toBe(2);
  }, 60_000);
});
