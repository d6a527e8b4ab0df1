// Alerts exactly once and never leaking, against real receivers on loopback: a slow receiver, two
// runs at once, the same change repeated, a kill -9 of the real binary after the receiver took the
// message, secrets in a failing URL, Slack and Markdown control sequences, redirects, and SMTP
// without TLS. Each case failed before the outbox (api/alerts/run.ts).
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { deliver } from '../../api/alerts/deliver.ts';
import { runAlerts } from '../../api/alerts/run.ts';
import { listAlerts } from '../../data/alerts.ts';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { SettingsSchema } from '../../data/workspace.ts';
import { formatDigest } from '../../metrics/alerts/digest.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SHIPPED_GOALS_FILE } from '../../metrics/goals.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { BIN } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** An HTTP receiver whose behaviour each test sets; it records every request it got. */
function receiver() {
  const got: Array<{ path: string; key: string | undefined; body: string }> = [];
  let handler: Handler = (_req, res) => res.writeHead(200).end('ok');
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', key: req.headers['idempotency-key'] as string | undefined, body });
      handler(req, res, body);
    });
  });
  return {
    got,
    set: (h: Handler) => (handler = h),
    start: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(urlOf(server)))),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const hook = receiver();
let hookUrl = '';
const { dir, cleanup } = tempDir();
const goalsFile = join(dir, 'goals.yaml');
let db: Database;
let catalog: Catalog;

function setTarget(id: string, target: number) {
  const goals = parse(readFileSync(goalsFile, 'utf8')) as Array<{ id: string; target: number }>;
  writeFileSync(goalsFile, stringify(goals.map((g) => (g.id === id ? { ...g, target } : g))));
}
const settings = SettingsSchema.parse({
  alerts: {
    schedule: '0 8 * * 1',
    rules: ['status_change'],
    deliver: [{ webhook: { url_env: 'TEST_ONCE_HOOK', format: 'json' } }],
  },
});
const ctx = () => ({ db, catalog, goalsFile, settings });

beforeAll(async () => {
  hookUrl = await hook.start();
  process.env.TEST_ONCE_HOOK = `${hookUrl}/hook`;
  copyFileSync(SHIPPED_GOALS_FILE, goalsFile);
  copyFileSync(SAMPLE_DB, join(dir, 'bearing.duckdb'));
  db = await Database.open(join(dir, 'bearing.duckdb'));
  await db.write(ensureSchema);
  catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
  setTarget('social-engagement', 0.55);
  await runAlerts(ctx()); // the baseline reading
}, 120_000);
afterAll(async () => {
  db?.close();
  await hook.stop();
  cleanup();
});
beforeEach(() => {
  hook.got.length = 0;
  hook.set((_req, res) => res.writeHead(200).end('ok'));
});

const keysOf = (got: Array<{ key: string | undefined }>) => new Set(got.map((g) => g.key));

describe('alerts exactly once', () => {
  it('a slow receiver gets one copy per run, and the retry carries the same idempotency key', async () => {
    setTarget('social-engagement', 0.95);
    hook.set((_req, res) => setTimeout(() => res.writeHead(200).end('late'), 900));
    const first = await runAlerts(ctx(), { timeoutMs: 300, backoffMs: 10, attempts: 3 });
    expect(first.failed).toBe(1);
    expect(hook.got).toHaveLength(1); // not one per retry
    hook.set((_req, res) => res.writeHead(200).end('ok'));
    const second = await runAlerts(ctx(), { backoffMs: 10 });
    expect(second).toEqual({ changes: 0, sent: 1, failed: 0 });
    expect(hook.got).toHaveLength(2);
    expect(keysOf(hook.got).size).toBe(1);
    expect(hook.got[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('two runs at once send each change once and neither fails', async () => {
    setTarget('social-engagement', 0.55);
    const both = await Promise.all([runAlerts(ctx(), { backoffMs: 10 }), runAlerts(ctx(), { backoffMs: 10 })]);
    expect(both.map((r) => r.changes).sort()).toEqual([0, 1]);
    expect(hook.got).toHaveLength(1);
  });

  it('the same change repeated is a new alert each time it happens', async () => {
    // arrived → off course → arrived → off course: three changes, three messages.
    for (const target of [0.95, 0.55, 0.95]) {
      setTarget('social-engagement', target);
      expect((await runAlerts(ctx(), { backoffMs: 10 })).changes).toBe(1);
    }
    expect(hook.got).toHaveLength(3);
    expect(keysOf(hook.got).size).toBe(3);
    const bodies = hook.got.map((g) => (JSON.parse(g.body) as { changes: string[] }).changes.join());
    expect(bodies.filter((b) => /arrived → off course/.test(b))).toHaveLength(2);
  });

  it('never stores the webhook URL, its password or its path in an error', async () => {
    const secretUrl = `http://hookuser:S3cretHookPassw0rd@${hookUrl.slice(7)}/XXSECRETXX`;
    process.env.TEST_ONCE_HOOK = secretUrl;
    try {
      setTarget('social-engagement', 0.55);
      const run = await runAlerts(ctx(), { backoffMs: 10, attempts: 1 });
      expect(run.failed).toBe(1);
      const stored = JSON.stringify(await db.read((s) => listAlerts(s)));
      for (const part of ['S3cretHookPassw0rd', 'hookuser', 'XXSECRETXX', hookUrl.slice(7)])
        expect(stored).not.toContain(part);
      expect(stored).toMatch(/"status":"failed"/);
    } finally {
      process.env.TEST_ONCE_HOOK = `${hookUrl}/hook`;
    }
    expect((await runAlerts(ctx(), { backoffMs: 10 })).sent).toBe(1);
  });
});

describe('what reaches a receiver', () => {
  const target = { webhook: { url_env: 'TEST_ONCE_HOOK', format: 'slack' as const } };

  it('escapes Slack control sequences in a label', async () => {
    const lines = ['<!channel> <https://evil.example|Re-enter your password> & co'];
    expect((await deliver(target, { title: 'T <@U1>', lines, key: 'k1' })).ok).toBe(true);
    const text = (JSON.parse(hook.got[0]!.body) as { text: string }).text;
    expect(text).not.toMatch(/<[!@h]/);
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil.example|Re-enter your password&gt; &amp; co');
  });

  it('does not follow a redirect to another service', async () => {
    hook.set((req, res) => {
      if (req.url === '/hook') res.writeHead(307, { location: `${hookUrl}/elsewhere` }).end();
      else res.writeHead(200).end('ok');
    });
    const outcome = await deliver(target, { title: 'T', lines: ['x'], key: 'k2' }, { backoffMs: 10 });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'the webhook answered a redirect (307); redirects are not followed',
    });
    expect(hook.got.map((g) => g.path)).toEqual(['/hook']);
  });

  it('escapes Markdown in the digest: no image, link or heading from a note', () => {
    const text = '![](http://evil.example/pixel) [x](javascript:alert(1)) # Heading <img src=x>';
    const digest = {
      since: '2026-11-01',
      made_at: '2026-11-08',
      first_reading: false,
      items: [{ kind: 'note', goal: null, label: 'Note', text }],
      goals: [],
    };
    const md = formatDigest(digest as unknown as Parameters<typeof formatDigest>[0], 'markdown');
    expect(md).not.toContain('![](');
    expect(md).not.toContain('](javascript');
    expect(md).not.toContain('<img');
    expect(md).toContain('\\!\\[\\]\\(http://evil\\.example/pixel\\)');
  });
});

describe('SMTP', () => {
  it('never sends credentials over a connection without TLS unless the URL allows it', async () => {
    let authAttempts = 0;
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        authAttempts++;
        callback(null, { user: 'u' });
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    try {
      const port = (smtp.server.address() as AddressInfo).port;
      process.env.TEST_ONCE_SMTP = `smtp://mailuser:MailPassw0rd@127.0.0.1:${port}`;
      const email = { email: { to: ['a@example.com'], from: 'b@example.com', smtp_url_env: 'TEST_ONCE_SMTP' } };
      const refused = await deliver(email, { title: 'T', lines: ['x'], key: 'k3' }, { backoffMs: 10, attempts: 1 });
      expect(refused.ok).toBe(false);
      expect(authAttempts).toBe(0);
      expect(refused.error).not.toContain('MailPassw0rd');
      process.env.TEST_ONCE_SMTP = `smtp://mailuser:MailPassw0rd@127.0.0.1:${port}?requireTLS=false`;
      expect((await deliver(email, { title: 'T', lines: ['x'], key: 'k4' }, { attempts: 1 })).ok).toBe(true);
      expect(authAttempts).toBe(1);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('kill -9 after the receiver took the message', () => {
  it('sends it again only after the lease ran out, under the same key', async () => {
    const ws = tempDir();
    const killedHook = receiver();
    try {
      const url = await killedHook.start();
      const goals = join(ws.dir, 'goals.yaml');
      copyFileSync(goalsFile, goals);
      copyFileSync(SAMPLE_DB, join(ws.dir, 'bearing.duckdb'));
      writeFileSync(
        join(ws.dir, 'bearing.yaml'),
        stringify({ alerts: { schedule: '0 8 * * 1', rules: ['status_change'], deliver: [target()] } }),
      );
      const env = { ...process.env, BEARING_WORKSPACE: ws.dir, KILL_HOOK: `${url}/hook` };
      const args = ['alerts', 'run', '--goals', goals, '--metrics', SHIPPED_METRICS_DIR];
      const alertsRun = (lease: number) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...env, BEARING_ALERT_LEASE_SECONDS: String(lease) },
          stdio: 'ignore',
        });
        return { child, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
      };
      expect(await alertsRun(60).exited).toBe(0); // baseline
      const flip = parse(readFileSync(goals, 'utf8')) as Array<{ id: string; target: number }>;
      const current = flip.find((g) => g.id === 'social-engagement')!.target;
      writeFileSync(
        goals,
        stringify(flip.map((g) => (g.id === 'social-engagement' ? { ...g, target: current > 0.7 ? 0.55 : 0.95 } : g))),
      );
      const victim = alertsRun(600);
      killedHook.set(() => victim.child.kill('SIGKILL')); // the message is in; the sender dies before recording it
      await victim.exited;
      expect(killedHook.got).toHaveLength(1);
      killedHook.set((_req, res) => res.writeHead(200).end('ok'));
      expect(await alertsRun(600).exited).toBe(0); // within the lease: not sent again
      expect(killedHook.got).toHaveLength(1);
      // Ten minutes later, as far as the lease can tell: its end moved into the past.
      const file = await Database.open(join(ws.dir, 'bearing.duckdb'));
      await file.write((s) =>
        s.run(`UPDATE deliveries SET lease_until = '2000-01-01T00:00:00.000Z' WHERE status = 'sending'`),
      );
      file.close();
      expect(await alertsRun(600).exited).toBe(0);
      expect(killedHook.got).toHaveLength(2);
      expect(keysOf(killedHook.got).size).toBe(1);
      expect(await alertsRun(600).exited).toBe(0);
      expect(killedHook.got).toHaveLength(2);
    } finally {
      await killedHook.stop();
      ws.cleanup();
    }
  }, 120_000);

  const target = () => ({ webhook: { url_env: 'KILL_HOOK', format: 'json' } });
});
