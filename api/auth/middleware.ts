// Who may do what: reads are open on a loopback bind unless BEARING_AUTH=required (or the server
// listens beyond loopback), then they need a viewer token; every write needs analyst or admin.
import type { Context, MiddlewareHandler } from 'hono';
import { BearingError } from '../../data/errors.ts';
import { RANK, type Role, type TokenStore } from './tokens.ts';

export interface AuthSettings {
  tokens: TokenStore;
  /** Whether reads need a token too. */
  readsNeedToken: boolean;
}

// POST routes that compute without writing anything.
const READ_POSTS = [
  /\/metrics\/check$/,
  /\/metrics\/preview$/,
  /\/channels\/what-if$/,
  /\/mix\/optimize$/,
  /\/budget\/plan$/,
];
// Routes that read or write the server's own files, or remove all data: admin only.
const ADMIN_ONLY = [/\/sources\/check$/, /^PUT .*\/sources\//, /^DELETE .*\/sample$/];

export function neededRole(method: string, path: string): Role | null {
  if (ADMIN_ONLY.some((r) => r.test(path) || r.test(`${method} ${path}`))) return 'admin';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'viewer';
  if (method === 'POST' && READ_POSTS.some((r) => r.test(path))) return 'viewer';
  return 'analyst';
}

export function authorize(settings: AuthSettings): MiddlewareHandler<{ Variables: { role: Role | null } }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const role = token ? settings.tokens.roleOf(token) : null;
    if (token && !role) throw new BearingError('unauthorized', 'the bearer token is not valid');
    c.set('role', role);
    const needed = neededRole(c.req.method, c.req.path);
    const open = needed === 'viewer' && !settings.readsNeedToken;
    if (needed && !open) {
      if (!role)
        throw new BearingError(
          'unauthorized',
          `this needs a bearer token with the ${needed} role (Authorization: Bearer …); create one with "bearing ` +
            `token create --role ${needed}"`,
        );
      if (RANK[role] < RANK[needed])
        throw new BearingError('forbidden', `the ${role} role cannot do this; it needs ${needed} or higher`);
    }
    await next();
  };
}

/**
 * A read whose parameters make it expensive (a new bootstrap seed, more draws: each a fresh fit)
 * needs a role: an anonymous page elsewhere must not be able to loop over seeds.
 */
export function requireRole(c: Context, needed: Role, what: string, hint = ''): void {
  const role = (c.get as (key: string) => Role | null | undefined)('role') ?? null;
  if (role && RANK[role] >= RANK[needed]) return;
  throw new BearingError(
    role ? 'forbidden' : 'unauthorized',
    `${what} needs a bearer token with the ${needed} role (Authorization: Bearer …)${hint}`,
  );
}
