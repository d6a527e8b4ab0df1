// Sending alerts: a webhook (Slack-compatible or plain JSON) or an email through nodemailer.
// Secrets (the webhook URL, the SMTP URL) come from environment variables the settings name.
import nodemailer from 'nodemailer';
import type { AlertSettings } from '../../data/workspace.ts';

export type Target = AlertSettings['deliver'][number];

/** A target's name in the alerts table: never the secret itself. */
export function targetName(t: Target): string {
  return 'webhook' in t ? `webhook:${t.webhook.url_env}` : `email:${t.email.to.join(',')}`;
}

export interface Message {
  title: string;
  lines: string[];
}

function secret(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} is not set`);
  return value;
}

const TIMEOUT_MS = 10_000;

async function sendWebhook(t: Extract<Target, { webhook: unknown }>, message: Message): Promise<void> {
  const body =
    t.webhook.format === 'slack'
      ? { text: `*${message.title}*\n${message.lines.map((l) => `• ${l}`).join('\n')}` }
      : { title: message.title, changes: message.lines };
  const res = await fetch(secret(t.webhook.url_env), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

async function sendEmail(t: Extract<Target, { email: unknown }>, message: Message): Promise<void> {
  const transport = nodemailer.createTransport(secret(t.email.smtp_url_env), {
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: t.email.from,
      to: t.email.to,
      subject: message.title,
      text: message.lines.map((l) => `- ${l}`).join('\n'),
    });
  } finally {
    transport.close();
  }
}

/**
 * Send with retries: up to `attempts` tries, waiting `backoffMs`, then twice that, between them.
 * Returns how many tries it took and the last error.
 */
export async function deliver(
  target: Target,
  message: Message,
  options: { attempts?: number; backoffMs?: number } = {},
): Promise<{ ok: boolean; attempts: number; error?: string }> {
  const max = options.attempts ?? 3;
  let wait = options.backoffMs ?? 500;
  let error = '';
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      if ('webhook' in target) await sendWebhook(target, message);
      else await sendEmail(target, message);
      return { ok: true, attempts: attempt };
    } catch (e) {
      error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      if (attempt < max) await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
  return { ok: false, attempts: max, error };
}
