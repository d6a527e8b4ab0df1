// Alerts delivered to a real HTTP receiver and a real SMTP server on loopback: raised once per
// change, retried with backoff, recorded; and the digest of what changed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDigest, runAlerts } from '../../api/alerts/run.ts';
import { listAlerts } from '../../data/alerts.ts';
import { Database } from '../../data/db.ts';
import { ensureSchema } from '../../data/schema.ts';
import { SettingsSchema } from '../../data/workspace.ts';
import { formatDigest } from '../../metrics/alerts/digest.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { SHIPPED_GOALS_FILE } from '../../metrics/goals.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { tempDir } from '../helpers/tmp.ts';

let dir: string;
let cleanup: () => void;
let db: Database;
let catalog: Catalog;
let goalsFile: string;
let hook: Server;
let smtp: SMTPServer;
const received: Array<{ body: unknown }> = [];
const mails: Array<{ to: string; data: string }> = [];
let failNext = 0;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  copyFileSync(SAMPLE_DB, join(dir, 'bearing.duckdb'));
  goalsFile = join(dir, 'goals.yaml');
  copyFileSync(SHIPPED_GOALS_FILE, goalsFile);
  db = await Database.open(join(dir, 'bearing.duckdb'));
  await db.write(ensureSchema);
  catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
  hook = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ body: JSON.parse(text) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c) => (data += c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  process.env.TEST_ALERT_HOOK = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  process.env.TEST_ALERT_SMTP = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?requireTLS=false`;
});
afterAll(async () => {
  db.close();
  await new Promise((r) => hook.close(r));
  await new Promise<void>((r) => smtp.close(() => r()));
  cleanup();
});

const settings = SettingsSchema.parse({
  alerts: {
    schedule: '0 8 * * 1',
    rules: ['status_change', { probability_drop: 0.1 }, 'shift', 'milestone_missed'],
    deliver: [
      { webhook: { url_env: 'TEST_ALERT_HOOK', format: 'slack' } },
      { email: { to: ['team@example.com'], from: 'bearing@example.com', smtp_url_env: 'TEST_ALERT_SMTP' } },
    ],
  },
});
const ctx = () => ({ db, catalog, goalsFile, settings });

function setTarget(id: string, target: number) {
  const goals = parse(readFileSync(goalsFile, 'utf8')) as Array<{ id: string; target: number }>;
  writeFileSync(goalsFile, stringify(goals.map((g) => (g.id === id ? { ...g, target } : g))));
}

describe('alerts', () => {
  it('takes the first run as the baseline: nothing is sent', async () => {
    expect(await runAlerts(ctx())).toEqual({ changes: 0, sent: 0, failed: 0 });
    expect(received).toHaveLength(0);
  });

  it('sends a status change to the webhook (Slack format) and by email, once', async () => {
    setTarget('social-engagement', 0.95);
    const run = await runAlerts(ctx(), { backoffMs: 10 });
    expect(run.changes).toBeGreaterThanOrEqual(1);
    expect(run.failed).toBe(0);
    expect(received).toHaveLength(1);
    const text = (received[0]!.body as { text: string }).text;
    expect(text).toMatch(/on course → off course/);
    // Each alert carries why its goal's metric moved (its drivers in words).
    expect(text).toMatch(/Why: Social engagement rate (rose|fell|held)/);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('team@example.com');
    expect(mails[0]!.data).toMatch(/Subject: Bearing: \d+ goal change/);
    const again = await runAlerts(ctx(), { backoffMs: 10 });
    expect(again).toEqual({ changes: 0, sent: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const rows = await db.read((s) => listAlerts(s));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(new Set(rows.map((r) => r.target))).toEqual(new Set(['webhook:TEST_ALERT_HOOK', 'email:team@example.com']));
  });

  it('retries with backoff, records the attempts, and keeps a failure to retry at the next run', async () => {
    setTarget('social-engagement', 0.55);
    failNext = 1;
    await runAlerts(ctx(), { backoffMs: 10, attempts: 3 });
    const hookRows = (await db.read((s) => listAlerts(s))).filter((r) => r.target.startsWith('webhook'));
    expect(hookRows[0]).toMatchObject({ status: 'sent', attempts: 2 });
    setTarget('social-engagement', 0.95);
    failNext = 3;
    const failed = await runAlerts(ctx(), { backoffMs: 10, attempts: 3 });
    expect(failed.failed).toBeGreaterThan(0);
    const stuck = (await db.read((s) => listAlerts(s))).find((r) => r.target.startsWith('webhook'))!;
    expect(stuck).toMatchObject({ status: 'failed', attempts: 3, last_error: 'the webhook answered 500' });
    const retried = await runAlerts(ctx(), { backoffMs: 10, attempts: 3 });
    expect(retried.sent).toBeGreaterThan(0);
    expect((await db.read((s) => listAlerts(s))).find((r) => r.id === stuck.id)).toMatchObject({
      status: 'sent',
      attempts: 4,
    });
  });
});

describe('digest', () => {
  it('says what changed since a date, in every format', async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const digest = await makeDigest(ctx(), { since });
    expect(digest.goals).toHaveLength(8);
    expect(digest.items.length).toBeGreaterThan(0);
    expect(formatDigest(digest, 'markdown')).toMatch(/^# Bearing digest: what changed since/);
    expect(formatDigest(digest, 'html')).toMatch(/^<h1>Bearing digest/);
    expect(JSON.parse(formatDigest(digest, 'json')).goals).toHaveLength(8);
    expect(formatDigest(digest, 'text')).toContain('Every goal now:');
    // Two goals on NPS (everyone, and the enterprise segment) are told apart by their filter.
    const labels = digest.goals.map((g) => g.label);
    expect(labels).toContain('Net Promoter Score (segment enterprise)');
    expect(new Set(labels).size).toBe(labels.length);
  });
});
