// The first digest on a database that was never read before: changes come from the data's history
// (each goal read as of the month before), every change carries its drivers, check-ins show.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDigest } from '../../api/alerts/run.ts';
import { createCheckin } from '../../data/checkins.ts';
import { Database } from '../../data/db.ts';
import { ensureSchema, currentFacts } from '../../data/schema.ts';
import { SettingsSchema } from '../../data/workspace.ts';
import { Catalog, SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { readGoals, SHIPPED_GOALS_FILE } from '../../metrics/goals.ts';
import { headingOverview } from '../../metrics/heading/heading.ts';
import { SAMPLE_DB } from '../globalSetup.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: Database;
let catalog: Catalog;
const { dir, cleanup } = tempDir();
beforeAll(async () => {
  copyFileSync(SAMPLE_DB, join(dir, 'bearing.duckdb'));
  db = await Database.open(join(dir, 'bearing.duckdb'));
  await db.write(ensureSchema);
  catalog = await Catalog.load(db, SHIPPED_METRICS_DIR);
});
afterAll(() => {
  db?.close();
  cleanup();
});

const ctx = () => ({ db, catalog, goalsFile: SHIPPED_GOALS_FILE, settings: SettingsSchema.parse({}) });

describe('the first digest', () => {
  it('reads changes from history, never "first reading", each with why it moved', async () => {
    await createCheckin(db, { goal: 'nps-40', confidence: 35, text: 'clearing the smb support backlog', author: 'cx' });
    const digest = await makeDigest(ctx(), { since: '2000-01-01' });
    expect(digest.items.filter((i) => i.kind === 'new')).toEqual([]);
    const changes = digest.items.filter((i) => i.kind !== 'note' && i.kind !== 'checkin');
    expect(changes.length).toBeGreaterThan(0);
    // The earlier reading is each goal's heading as of the end of the month before the data's last.
    const asOf = (await currentFacts(db)).as_of!;
    const earlier = new Date(Date.parse(`${asOf.slice(0, 7)}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await headingOverview(db, catalog, readGoals(SHIPPED_GOALS_FILE).goals, { asOf: earlier });
    const seen = new Set<string>();
    for (const item of changes) {
      expect(item.text).toContain(`(since ${earlier}, from history)`);
      // Each goal's first change carries why it moved; its others share it.
      if (seen.has(item.goal)) expect(item.why).toBeUndefined();
      else expect(item.why, item.goal).toMatch(/ (rose|fell|held) /);
      seen.add(item.goal);
      if (item.kind === 'status') {
        const was = past.goals.find((g) => g.id === item.goal)!.status.replace('_', ' ');
        expect(item.text.startsWith(`${was} → `)).toBe(true);
      }
    }
    // The sample's planted fall in smb's NPS: the level shift it makes is named, with smb as why.
    const nps = changes.find((i) => i.goal === 'nps-40');
    expect(nps?.text).toMatch(/^level shift in/);
    expect(nps?.why).toMatch(/smb's own score fell/);
    expect(digest.items.find((i) => i.kind === 'checkin')).toMatchObject({
      goal: 'nps-40',
      text: 'check-in by cx: 35% confident: clearing the smb support backlog',
    });
  });
});
