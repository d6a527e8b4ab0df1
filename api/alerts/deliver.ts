// Sending alerts: a webhook (Slack-compatible or plain JSON) or an email through nodemailer.
// Secrets (the webhook URL, the SMTP URL) come from environment variables the settings name, and
// never reach a stored error: whatever a failure says is scrubbed of the URL and its parts.
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
  /** The delivery's idempotency key: the same on every try of the same message. */
  key: string;
}

function secret(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} is not set`);
  return value;
}

/** Generous: a slow receiver that answers late has most likely taken the message. */
const TIMEOUT_MS = 30_000;

/** Slack reads `<…>` as links and mentions (`<!channel>`) and `&` as an entity: its own escapes. */
export const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A failure the receiver reported before taking the message: safe to try again at once. */
class NotTaken extends Error {}

async function sendWebhook(t: Extract<Target, { webhook: unknown }>, message: Message, timeoutMs: number) {
  const body =
    t.webhook.format === 'slack'
      ? {
          text: `*${slackEscape(message.title)}*\n${message.lines.map((l) => `• ${slackEscape(l)}`).join('\n')}`,
        }
      : { title: message.title, changes: message.lines, idempotency_key: message.key };
  let res: Response;
  try {
    res = await fetch(secret(t.webhook.url_env), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': message.key },
      body: JSON.stringify(body),
      // A redirect may lead anywhere, another service included: never followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Refused or unreachable: nothing was taken. A time-out is not retried at once (see deliver).
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'ECONNRESET')
      throw new NotTaken(`the webhook could not be reached (${cause})`);
    if ((error as Error).name === 'TimeoutError')
      throw new Error(`the webhook did not answer within ${timeoutMs / 1000} s`);
    throw error;
  }
  await res.body?.cancel();
  if (res.status >= 300 && res.status < 400)
    throw new Error(`the webhook answered a redirect (${res.status}); redirects are not followed`);
  if (res.status === 429 || res.status >= 500) throw new NotTaken(`the webhook answered ${res.status}`);
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

/**
 * The SMTP connection's options from its URL. TLS is required (STARTTLS, or smtps://) unless the
 * URL says `?requireTLS=false`: credentials never cross the network in clear by default.
 */
export function smtpOptions(raw: string, timeoutMs = TIMEOUT_MS) {
  const url = new URL(raw);
  const secure = url.protocol === 'smtps:';
  const plainAllowed = url.searchParams.get('requireTLS') === 'false';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && !plainAllowed,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

async function sendEmail(t: Extract<Target, { email: unknown }>, message: Message, timeoutMs: number) {
  const transport = nodemailer.createTransport(smtpOptions(secret(t.email.smtp_url_env), timeoutMs));
  const domain = t.email.from.split('@')[1] ?? 'bearing.local';
  try {
    await transport.sendMail({
      from: t.email.from,
      to: t.email.to,
      subject: message.title,
      text: message.lines.map((l) => `- ${l}`).join('\n'),
      // The same on every try: a mail system that keeps Message-IDs drops a repeat.
      messageId: `<${message.key}@${domain}>`,
      headers: { 'X-Bearing-Idempotency-Key': message.key },
    });
  } finally {
    transport.close();
  }
}

/**
 * A failure's message as it may be stored and shown to every reader: its first line, with the
 * target's secret, any part of it (user, password, host) and any URL taken out.
 */
export function scrub(message: string, secretValue: string | undefined): string {
  let text = message.split('\n')[0]!;
  const parts: string[] = [];
  if (secretValue) {
    parts.push(secretValue);
    try {
      const url = new URL(secretValue);
      parts.push(url.password, decodeURIComponent(url.password), url.username, decodeURIComponent(url.username));
      parts.push(url.pathname.length > 1 ? url.pathname : '', url.search);
    } catch {
      // not a URL: the whole value is enough
    }
  }
  for (const part of parts.filter((p) => p.length >= 3)) text = text.split(part).join('…');
  text = text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '<url>');
  return text.slice(0, 300);
}

/**
 * Send with retries: up to `attempts` tries, waiting `backoffMs`, then twice that, between them,
 * but only while the receiver has said it did not take the message (refused, 429, 5xx). After a
 * time-out or any other failure the message may have been taken: it is left to the next run,
 * under the same idempotency key. Returns how many tries it took and the last error, scrubbed.
 */
export async function deliver(
  target: Target,
  message: Message,
  options: { attempts?: number; backoffMs?: number; timeoutMs?: number } = {},
): Promise<{ ok: boolean; attempts: number; error?: string }> {
  const max = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  let wait = options.backoffMs ?? 500;
  const secretValue = process.env['webhook' in target ? target.webhook.url_env : target.email.smtp_url_env];
  let error = '';
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      if ('webhook' in target) await sendWebhook(target, message, timeoutMs);
      else await sendEmail(target, message, timeoutMs);
      return { ok: true, attempts: attempt };
    } catch (e) {
      error = scrub(e instanceof Error ? e.message : String(e), secretValue);
      const retry = e instanceof NotTaken || (e as { code?: string }).code === 'ECONNECTION';
      if (!retry) return { ok: false, attempts: attempt, error };
      if (attempt < max) await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
  return { ok: false, attempts: max, error };
}
