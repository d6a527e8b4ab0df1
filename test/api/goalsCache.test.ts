// The heading overview is kept per data version, definitions, goals and as-of date: every one of
// them changing must show on the next request.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('cached heading overview', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('follows a hand edit of the goals file, a saved definition and an as-of at once; otherwise the same', async () => {
    const first = (await s.call('GET', '/api/goals')).body;
    expect((await s.call('GET', '/api/goals')).body).toEqual(first);
    const text = readFileSync(s.goalsFile, 'utf8');
    const goal = first.goals[0];
    writeFileSync(s.goalsFile, text.replace(`target: ${goal.target}`, `target: ${goal.target * 2}`));
    const edited = (await s.call('GET', '/api/goals')).body;
    expect(edited.goals[0].target).toBe(goal.target * 2);
    // The overview's reading is the goal's own, computed anew: the same as the goal page (another
    // cache entry) gives for the edited goal, and twice the target is no easier to reach.
    const page = (await s.call('GET', `/api/goals/${goal.id}`)).body;
    expect(edited.goals[0]).toMatchObject({ status: page.status, arrival_probability: page.arrival_probability });
    if (goal.arrival_probability !== null && goal.target > 0)
      expect(goal.direction === 'up' ? page.arrival_probability <= goal.arrival_probability : true).toBe(true);
    writeFileSync(s.goalsFile, text);
    expect((await s.call('GET', '/api/goals')).body).toEqual(first);
    // A definition saved under a goal's metric changes its label at once.
    const metric = (await s.call('GET', '/api/metrics')).body.metrics.find(
      (m: { name: string }) => m.name === goal.metric,
    );
    const renamed = metric.yaml.replace(/^label: .*$/m, 'label: Renamed for the test');
    expect(
      (await s.call('PUT', `/api/metrics/${goal.metric}`, { role: 'analyst', body: { yaml: renamed } })).status,
    ).toBe(200);
    expect((await s.call('GET', '/api/goals')).body.goals[0].label).toBe('Renamed for the test');
    // Another as-of date is another answer.
    const past = (await s.call('GET', '/api/goals?as_of=2026-06-30')).body;
    expect(past.as_of).toBe('2026-06-30');
  });
});
