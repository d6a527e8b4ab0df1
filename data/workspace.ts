// A user's workspace: one folder holding bearing.yaml (settings), metrics/definitions/,
// metrics/goals.yaml and sources/. Every command and the server find their files through it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { BearingError } from './errors.ts';
import {
  type FileProblems,
  formatProblem,
  type Problem,
  parsedValue,
  ProblemReporter,
  reportIssues,
} from './problems.ts';
import { YamlSource } from './yamlSource.ts';

export interface Workspace {
  root: string;
  settingsFile: string;
  sourcesDir: string;
}

/** The workspace at `root` (or BEARING_WORKSPACE, or `fallback`); sources may move with BEARING_SOURCES_DIR. */
export function workspaceAt(root: string | undefined, fallback: string): Workspace {
  const dir = resolve(root ?? process.env.BEARING_WORKSPACE ?? fallback);
  return {
    root: dir,
    settingsFile: join(dir, 'bearing.yaml'),
    sourcesDir: resolve(process.env.BEARING_SOURCES_DIR ?? join(dir, 'sources')),
  };
}

const isTimeZone = (name: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return /^[A-Za-z0-9_+\-/]+$/.test(name);
  } catch {
    return false;
  }
};

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function isCron(pattern: string): boolean {
  try {
    return new Cron(pattern).nextRun() !== null;
  } catch {
    return false;
  }
}

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the NAME of an environment variable (secrets never go in this file)');

export const RULES = ['status_change', 'probability_drop', 'shift', 'stale_data', 'milestone_missed'] as const;
export type RuleName = (typeof RULES)[number];

const Rule = z.union([z.enum(RULES), z.strictObject({ probability_drop: z.number().gt(0).lt(1) })]);

const Delivery = z.union([
  z.strictObject({
    webhook: z.strictObject({
      /** The variable holding the URL (a Slack incoming webhook, or any endpoint taking JSON). */
      url_env: envName,
      format: z.enum(['slack', 'json']).default('slack'),
    }),
  }),
  z.strictObject({
    email: z.strictObject({
      to: z.array(z.email()).min(1),
      from: z.email(),
      /** The variable holding an SMTP URL such as smtps://user:pass@smtp.example.com:465. */
      smtp_url_env: envName,
    }),
  }),
]);

export const AlertsSchema = z.strictObject({
  /** Cron expression (minute hour day month weekday), in the workspace time zone. */
  schedule: z
    .string()
    .max(100)
    .refine(isCron, 'expected a cron expression such as "0 8 * * 1" (minute hour day month weekday)')
    .default('0 8 * * *'),
  rules: z.array(Rule).min(1).default(['status_change', 'shift', 'stale_data', 'milestone_missed']),
  deliver: z.array(Delivery).default([]),
});
export type AlertSettings = z.infer<typeof AlertsSchema>;

export const SettingsSchema = z.strictObject({
  timezone: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone such as America/Sao_Paulo or Europe/Berlin')
    .default('UTC'),
  currency: z
    .string()
    .refine((c) => CURRENCIES.has(c), 'expected an ISO 4217 currency code such as USD, EUR or BRL')
    .default('USD'),
  churn: z
    .strictObject({
      inactive_after_days: z.number().int('expected a whole number of days').min(1).max(3650).optional(),
    })
    .optional(),
  alerts: AlertsSchema.optional(),
  // The media-mix model's ROI prior per channel: KPI per unit of spend, and how sure (its sd).
  mix: z
    .strictObject({
      priors: z
        .record(
          z.string(),
          z.strictObject({ roi: z.number(), sd: z.number().gt(0, 'expected a standard deviation above 0') }),
        )
        .default({}),
    })
    .optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** bearing.yaml read and checked; problems name the line and column. A missing file means the defaults. */
export function readSettings(file: string): { settings: Settings; problems: Problem[] } {
  if (!existsSync(file)) return { settings: DEFAULT_SETTINGS, problems: [] };
  const reporter = new ProblemReporter();
  const report: FileProblems = reporter.forFile(new YamlSource('bearing.yaml', readFileSync(file, 'utf8')));
  const raw = parsedValue(report) ?? {};
  const parsed = SettingsSchema.safeParse(raw === null ? {} : raw);
  if (!parsed.success) {
    reportIssues(report, [], parsed.error.issues as never);
    return { settings: DEFAULT_SETTINGS, problems: reporter.problems };
  }
  return { settings: parsed.data, problems: reporter.problems };
}

/** Settings a command can run with, or a bad-config error naming every problem. */
export function settingsOrFail(file: string): Settings {
  const { settings, problems } = readSettings(file);
  if (problems.length)
    throw new BearingError('bad-config', `bearing.yaml has problems: ${problems.map(formatProblem).join('; ')}`);
  return settings;
}
