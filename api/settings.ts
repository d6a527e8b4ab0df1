// The server's workspace settings (bearing.yaml), read when asked so an edit shows at once; the
// defaults when the server has no workspace. A broken file reads as the defaults here: `bearing
// check` names its problems.
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../data/workspace.ts';
import type { AppDeps } from './context.ts';

export function settingsOf(deps: Pick<AppDeps, 'workspace'>): Settings {
  return deps.workspace ? readSettings(deps.workspace.settingsFile).settings : DEFAULT_SETTINGS;
}
