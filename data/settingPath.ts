// A path a command takes from its flag, else from a setting in the environment, else a default:
// when it is not what is needed, the error names where it came from (a flag is a usage mistake,
// exit 2; a setting is the server's configuration, exit 1).
import { resolve } from 'node:path';
import { BearingError } from './errors.ts';

export function settingPath(explicit: string | undefined, flag: string, env: string, fallback: string) {
  const path = resolve(explicit ?? process.env[env] ?? fallback);
  const from = explicit !== undefined ? flag : process.env[env] ? env : 'the default';
  return {
    path,
    /** The error for this path, `problem` saying what it is instead ("which is not a folder …"). */
    refuse: (problem: string) =>
      new BearingError(explicit !== undefined ? 'usage' : 'bad-config', `${from} names ${path}, ${problem}`),
  };
}
