// The server reads bearing.yaml on each request so an edit shows at once, but parses it again only
// when the file changed (api/settings.ts): an edit of the same size, straight after, still shows.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsOf } from '../../api/settings.ts';
import { workspaceAt } from '../../data/workspace.ts';
import { tempDir } from '../helpers/tmp.ts';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('settings read by the server', () => {
  it('follow every edit of bearing.yaml, and its removal', () => {
    const deps = { workspace: workspaceAt(dir, dir) };
    const file = join(dir, 'bearing.yaml');
    expect(settingsOf(deps).currency).toBe('USD'); // no file: the defaults
    writeFileSync(file, 'currency: EUR\n');
    expect(settingsOf(deps).currency).toBe('EUR');
    expect(settingsOf(deps)).toBe(settingsOf(deps)); // the same reading while nothing changed
    for (const currency of ['BRL', 'GBP', 'JPY', 'EUR']) {
      writeFileSync(file, `currency: ${currency}\n`); // same size, same inode, at once
      expect(settingsOf(deps).currency).toBe(currency);
    }
    writeFileSync(file, 'timezone: Not/AZone\n');
    expect(settingsOf(deps).timezone).toBe('UTC'); // broken: the defaults (`bearing check` names it)
    rmSync(file);
    expect(settingsOf(deps).currency).toBe('USD');
  });
});
