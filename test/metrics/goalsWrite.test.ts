// Goals written through the API or the app change only what the edit names: comments, the other
// goals' layout and order, and a goal still being fixed by hand stay as written (real files).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deleteGoal, readGoals, upsertGoal } from '../../metrics/goals.ts';
import { tempDir } from '../helpers/tmp.ts';

const FILE = `# Our goals for 2027. Reviewed every quarter by the growth team.
- id: csat-80
  metric: csat
  target: 0.8   # agreed with support in March
  due: 2027-06-30
  objective: business
  where: { segment: smb }
# Community goals below.
- { id: social, metric: social_engagement_rate, target: 0.59, due: 2027-06-30, objective: community }
`;

describe('the goals file, edited through the API', () => {
  it('keeps comments and untouched goals as written; a create appends; a replace edits in place', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'goals.yaml');
      writeFileSync(file, FILE);
      upsertGoal(file, { id: 'nps-40', metric: 'nps', target: 40, due: '2027-12-31', objective: 'business' }, 'create');
      upsertGoal(
        file,
        { id: 'csat-80', metric: 'csat', target: 0.82, due: '2027-06-30', objective: 'business', owner: 'cx' },
        'replace',
      );
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^# Our goals for 2027\. Reviewed every quarter by the growth team\.\n/);
      expect(text).toContain('# Community goals below.');
      expect(text).toContain('- { id: social, metric: social_engagement_rate, target: 0.59');
      // The replaced goal: the new target on its own line, the filter it no longer has removed.
      expect(text).toMatch(/target: 0\.82/);
      expect(text).not.toContain('segment: smb');
      expect(parse(text)).toEqual([
        { id: 'csat-80', metric: 'csat', target: 0.82, due: '2027-06-30', objective: 'business', owner: 'cx' },
        { id: 'social', metric: 'social_engagement_rate', target: 0.59, due: '2027-06-30', objective: 'community' },
        { id: 'nps-40', metric: 'nps', target: 40, due: '2027-12-31', objective: 'business' },
      ]);
      expect(readGoals(file).problems).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('a deletion removes the goal it names and nothing else, even beside a goal that does not check', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'goals.yaml');
      const broken = '- id: half-written\n  metric: nps\n  target: 40\n  due: 31/12/2027   # fixing this\n';
      writeFileSync(file, FILE + broken);
      expect(readGoals(file).problems).toHaveLength(1);
      deleteGoal(file, 'social');
      const text = readFileSync(file, 'utf8');
      // Before, the file was written back from the goals that checked: the half-written one was lost.
      expect(text).toMatch(/due: 31\/12\/2027 +# fixing this/);
      expect(text).toContain('# agreed with support in March');
      expect((parse(text) as Array<{ id: string }>).map((g) => g.id)).toEqual(['csat-80', 'half-written']);
      expect(() => deleteGoal(file, 'social')).toThrow(/no goal with id "social"/);
      // A file with a problem is not edited through the API: fixed by hand first, as before.
      expect(() =>
        upsertGoal(file, { id: 'n', metric: 'nps', target: 1, due: '2027-12-31', objective: 'business' }, 'create'),
      ).toThrow(/has problems/);
    } finally {
      cleanup();
    }
  });
});
