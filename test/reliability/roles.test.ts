// Every write route × every role × no token; reads open on loopback, closed when required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/auth/tokens.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let open: TestServer;
let closed: TestServer;
beforeAll(async () => {
  [open, closed] = await Promise.all([
    startTestServer({ data: 'empty' }),
    startTestServer({ data: 'empty', readsNeedToken: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([open.close(), closed.close()]);
});

const goal = { id: 'matrix-goal', metric: 'revenue', target: 1, due: '2030-01-01' };
const WRITES: Array<{ method: string; path: string; body?: unknown; headers?: Record<string, string> }> = [
  {
    method: 'POST',
    path: '/api/import?filename=customers.csv',
    body: 'customer_id,signup_date\nm1,2025-01-01\n',
    headers: { 'content-type': 'text/csv' },
  },
  { method: 'POST', path: '/api/goals', body: goal },
  { method: 'PUT', path: '/api/goals/matrix-goal', body: goal },
  { method: 'DELETE', path: '/api/goals/matrix-goal' },
  { method: 'POST', path: '/api/annotations', body: { date: '2025-01-01', text: 'matrix' } },
  { method: 'PUT', path: '/api/annotations/999', body: { date: '2025-01-01', text: 'matrix' } },
  { method: 'DELETE', path: '/api/annotations/999' },
  {
    method: 'PUT',
    path: '/api/metrics/matrix_metric',
    body: {
      yaml:
        'name: matrix_metric\nlabel: M\ndescription: d\nunit: count\ndirection: up\ntable: orders\ntime: ' +
        'ordered_at\nmeasure: count(*)\n',
    },
  },
];
const ROLES: Array<Role | undefined> = [undefined, 'viewer', 'analyst', 'admin'];

describe('role matrix for writes', () => {
  for (const route of WRITES) {
    for (const role of ROLES) {
      const expected = role === undefined ? 401 : role === 'viewer' ? 403 : 'allowed';
      it(`${route.method} ${route.path} as ${role ?? 'no token'} → ${expected}`, async () => {
        const res = await open.call(route.method, route.path, { role, body: route.body, headers: route.headers });
        if (expected === 'allowed') {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(expected);
          expect(res.body.error.code).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
        }
      });
    }
  }

  it('a wrong token is 401 even where no token is needed', async () => {
    const res = await open.call('GET', '/api/health', { headers: { authorization: 'Bearer not-a-real-token-at-all' } });
    expect(res).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'the bearer token is not valid' } },
    });
  });
});

describe('reads', () => {
  it('are open on a loopback bind, and need a viewer token when required', async () => {
    expect((await open.call('GET', '/api/health')).status).toBe(200);
    expect((await closed.call('GET', '/api/health')).status).toBe(401);
    for (const role of ['viewer', 'analyst', 'admin'] as const)
      expect((await closed.call('GET', '/api/health', { role })).status).toBe(200);
    expect((await closed.call('POST', '/api/metrics/check', { body: { yaml: 'name: x' } })).status).toBe(401);
    expect(
      (await closed.call('POST', '/api/metrics/check', { role: 'viewer', body: { yaml: 'name: x' } })).status,
    ).toBe(200);
  });

  it('whoami tells the role', async () => {
    expect((await open.call('GET', '/api/auth/whoami', { role: 'analyst' })).body).toEqual({
      role: 'analyst',
      reads_need_token: false,
    });
    expect((await closed.call('GET', '/api/auth/whoami', { role: 'viewer' })).body).toEqual({
      role: 'viewer',
      reads_need_token: true,
    });
  });
});

describe('token files', () => {
  it('bearing token create stores only a hash, and the token it prints works', async () => {
    const { spawnSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { TokenStore } = await import('../../api/auth/tokens.ts');
    const file = join(open.dir, 'tokens.json');
    const r = spawnSync(
      process.execPath,
      ['api/bin/bearing.js', 'token', 'create', '--role', 'analyst', '--tokens', file],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^brg_[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(TokenStore.load(file, '').roleOf(token)).toBe('analyst');
    expect(TokenStore.load(file, '').roleOf(`${token}x`)).toBeNull();
  });
});
