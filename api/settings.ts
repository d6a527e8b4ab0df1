// The server's workspace settings (bearing.yaml), read when asked so an edit shows at once; the
// defaults when the server has no workspace. A broken file reads as the defaults here: `bearing
// check` names its problems.
import { statSync } from 'node:fs';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../data/workspace.ts';
import type { AppDeps } from './context.ts';

/**
 * The last reading per file, with the file's identity it came from. Parsing the YAML and checking
 * the time zone (an Intl formatter made each time) cost about 2 ms of the event loop per request,
 * most of a health check's own time; a stat is a few microseconds and still sees every edit.
 */
const readings = new Map<string, { stamp: string; settings: Settings }>();

export function settingsOf(deps: Pick<AppDeps, 'workspace'>): Settings {
  if (!deps.workspace) return DEFAULT_SETTINGS;
  const file = deps.workspace.settingsFile;
  const stamp = stampOf(file);
  const kept = readings.get(file);
  if (kept && stamp !== undefined && kept.stamp === stamp) return kept.settings;
  const { settings } = readSettings(file);
  if (stamp !== undefined) readings.set(file, { stamp, settings });
  return settings;
}

/** What changes when the file does (replaced, rewritten, resized), or undefined when there is none. */
function stampOf(file: string): string | undefined {
  const s = statSync(file, { throwIfNoEntry: false, bigint: true });
  return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
}
