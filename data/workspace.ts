// A user's workspace: one folder holding bearing.yaml (settings), metrics/definitions/,
// metrics/goals.yaml and sources/. Every command and the server find their files through it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
