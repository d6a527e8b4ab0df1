// Who is asking, for per-caller limits: the presented token (by a hash prefix, never the token),
// else "anonymous". Every caller without a token shares one count: an address says nothing on a
// loopback bind, where 127.0.0.2…127.255.255.254 are all this machine.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';

export function callerOf(c: Context): string {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (token) return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  return 'anonymous';
}

/** Who ran a write, for the import history: the token's role and id, never the token. */
export function whoOf(c: Context, tokens: { identify(token: string): string | null }): string {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  return (token && tokens.identify(token)) || 'anonymous (loopback)';
}
