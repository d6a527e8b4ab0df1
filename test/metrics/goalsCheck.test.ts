// bearing check covers goals.yaml like a definition: every problem at file:line:column, exit 1;
// a clean goals file passes. Through the real binary.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_METRICS_DIR } from '../../metrics/catalog.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const BROKEN = `- id: retention-goal
  metric: retention_90d
  target: 90
  due: 2027-06-30
- id: ghost
  metric: vanity_clicks
  target: 10
  due: 2027-06-30
- id: regional
  metric: revenue
  target: 1000
  due: 2027-06-30
  where: { shoe_size: "42" }
- id: late-milestone
  metric: nps
  target: 40
  due: 2027-06-30
  milestones:
    - { date: 2027-12-31, target: 35 }
- id: bad-date
  metric: nps
  target: 40
  due: 31/12/2027
- id: bad-date
  metric: vanity_views
  target: 400
  due: 2027-13-01
`;

describe('bearing check on goals.yaml', () => {
  it('names each problem at its line and column and exits 1; a clean file passes', () => {
    const ws = makeWorkspace();
    try {
      const defs = join(ws.dir, 'metrics/definitions');
      for (const m of ['retention_90d', 'revenue', 'nps'])
        copyFileSync(join(SHIPPED_METRICS_DIR, `${m}.yaml`), join(defs, `${m}.yaml`));
      ws.write('metrics/goals.yaml', BROKEN);
      const r = ws.bearing('check', '--metrics', defs);
      expect(r.status).toBe(1);
      const out = r.stdout;
      expect(out).toMatch(
        /goals\.yaml:3:\d+: 0\.target: a ratio metric takes values from 0 to 1 \(got 90\); write a share as 0\.9/,
      );
      expect(out).toMatch(/goals\.yaml:6:\d+: 1\.metric: metric "vanity_clicks" does not exist/);
      expect(out).toMatch(/goals\.yaml:13:\d+: 2\.where\.shoe_size: "shoe_size" is not a dimension of revenue/);
      expect(out).toMatch(/goals\.yaml:\d+:\d+: 3\.milestones: .*due/);
      expect(out).toMatch(/goals\.yaml:23:\d+: 4\.due: expected a date/);
      // A bad date does not hide the same goal's unknown metric, nor a repeated id: all at once.
      expect(out).toMatch(/goals\.yaml:24:\d+: 5\.id: goal id "bad-date" is used twice/);
      expect(out).toMatch(/goals\.yaml:25:\d+: 5\.metric: metric "vanity_views" does not exist/);
      expect(out).toMatch(/goals\.yaml:27:\d+: 5\.due: expected a date/);
      // In the file's order, as an editor lists them.
      const lines = [...out.matchAll(/goals\.yaml:(\d+):/g)].map((m) => Number(m[1]));
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      expect(lines.length).toBeGreaterThanOrEqual(8);
      ws.write('metrics/goals.yaml', '- { id: fine, metric: retention_90d, target: 0.9, due: 2027-06-30 }\n');
      const ok = ws.bearing('check', '--metrics', defs);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    } finally {
      ws.cleanup();
    }
  });
});
