// Bearer tokens with roles. Only SHA-256 hashes are stored (tokens are 256-bit random, so a
// fast hash is enough); comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../data/atomicFile.ts';
import { z } from 'zod';
import { BearingError } from '../../data/errors.ts';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

const StoredToken = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  label: z.string().optional(),
  created_at: z.string(),
});
const TokenFile = z.object({ tokens: z.array(StoredToken) });
type StoredToken = z.infer<typeof StoredToken>;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export class TokenStore {
  private constructor(
    private entries: Array<{ id: string; role: Role; hash: Buffer; label?: string }>,
    private readonly source?: { file: string; env?: string },
  ) {}
  private readonly ephemeral: Array<{ id: string; role: Role; hash: Buffer }> = [];
  private seen = { mtimeMs: -1, size: -1, checkedAt: 0 };

  /** Tokens from BEARING_TOKENS ("role:token,role:token") and from the tokens file. */
  static load(file: string, env = process.env.BEARING_TOKENS): TokenStore {
    const entries: Array<{ id: string; role: Role; hash: Buffer; label?: string }> = [];
    for (const [i, pair] of (env ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .entries()) {
      const at = pair.indexOf(':');
      const role = pair.slice(0, at) as Role;
      const token = pair.slice(at + 1);
      if (at <= 0 || !ROLES.includes(role) || token.length < 16) {
        throw new BearingError(
          'bad-config',
          `BEARING_TOKENS entry ${i + 1} must be role:token with a role of ${ROLES.join(', ')} and a token of at ` +
            `least 16 characters`,
        );
      }
      entries.push({ id: `env-${i + 1}`, role, hash: sha256(token) });
    }
    for (const t of readTokenFile(file))
      entries.push({ id: t.id, role: t.role, hash: Buffer.from(t.hash, 'hex'), label: t.label });
    const store = new TokenStore(entries, { file, env });
    store.seen = { ...fileStamp(file), checkedAt: Date.now() };
    return store;
  }

  /**
   * Tokens created (bearing token create) or revoked (removed from the file) while the server runs
   * take effect within a second: the file is re-read when its size or time changes. A file that
   * cannot be read keeps the tokens known before, and says so in the log.
   */
  private refresh(): void {
    if (!this.source || Date.now() - this.seen.checkedAt < RELOAD_CHECK_MS) return;
    const stamp = fileStamp(this.source.file);
    this.seen.checkedAt = Date.now();
    if (stamp.mtimeMs === this.seen.mtimeMs && stamp.size === this.seen.size) return;
    try {
      this.entries = TokenStore.load(this.source.file, this.source.env).entries;
      this.seen = { ...stamp, checkedAt: Date.now() };
    } catch (error) {
      console.error(`[bearing] tokens file not reloaded: ${(error as Error).message}`);
    }
  }

  /** A token that lives only as long as this process (the server's token for the CLI beside it). */
  addEphemeral(role: Role, label: string): string {
    const token = `brg_${randomBytes(32).toString('base64url')}`;
    this.ephemeral.push({ id: label, role, hash: sha256(token) });
    return token;
  }

  get size(): number {
    return this.entries.length + this.ephemeral.length;
  }

  /**
   * Who a presented token is, for the import history and a note's author: its label when it was
   * created with one (bearing token create --label), its role and its id; never the token.
   */
  identify(token: string): string | null {
    this.refresh();
    const presented = sha256(token);
    const e = [...this.entries, ...this.ephemeral].find((x) => timingSafeEqual(presented, x.hash));
    if (!e) return null;
    const label = 'label' in e && e.label ? `${e.label}, ` : '';
    return `${label}${e.role} (token ${e.id})`;
  }

  /** The role of a presented token, or null. Every stored hash is compared, in constant time. */
  roleOf(token: string): Role | null {
    this.refresh();
    const presented = sha256(token);
    let found: Role | null = null;
    for (const e of [...this.entries, ...this.ephemeral]) {
      if (timingSafeEqual(presented, e.hash) && (!found || RANK[e.role] > RANK[found])) found = e.role;
    }
    return found;
  }
}

const RELOAD_CHECK_MS = 1000;

function fileStamp(file: string): { mtimeMs: number; size: number } {
  try {
    const s = statSync(file);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return { mtimeMs: 0, size: 0 };
  }
}

function readTokenFile(file: string): StoredToken[] {
  if (!existsSync(file)) return [];
  const parsed = TokenFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new BearingError('bad-config', `${file} is not a Bearing tokens file: ${parsed.error.issues[0]?.message}`);
  return parsed.data.tokens;
}

/** Create a token, store its hash (atomically), and return the token: it is shown only once. */
export function createToken(file: string, role: Role, label?: string): string {
  const token = `brg_${randomBytes(32).toString('base64url')}`;
  const tokens = readTokenFile(file);
  tokens.push({
    id: randomBytes(6).toString('hex'),
    role,
    hash: sha256(token).toString('hex'),
    label,
    created_at: new Date().toISOString(),
  });
  writeFileAtomic(file, `${JSON.stringify({ tokens }, null, 2)}\n`, 0o600);
  return token;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
