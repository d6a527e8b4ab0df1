import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

// Writes need the analyst role; reads are open on loopback.
const call = (method: string, path: string, body?: unknown) => s.call(method, path, { body, role: 'analyst' });

describe('the sample world’s shipped goals tell a real story', () => {
  it('each lands on its intended status, with business/community balance', async () => {
    const { status, body } = await call('GET', '/api/goals');
    expect(status).toBe(200);
    const statuses = Object.fromEntries(body.goals.map((g: { id: string; status: string }) => [g.id, g.status]));
    expect(statuses).toEqual({
      'retention-90d': 'drifting',
      // 3% likely to get down to 2.3% by the due month: off course at 30% or less.
      'monthly-churn': 'off_course',
      'nps-40': 'off_course',
      'csat-80': 'off_course',
      // 31% likely (2026-12-06): drifting, near the line.
      'revenue-per-customer': 'drifting',
      // 59% likely: its band is wide (the series' own errors, the early ramp included).
      'repeat-purchase': 'drifting',
      'enterprise-nps': 'arrived',
      'social-engagement': 'on_course',
    });
    expect(body.balance).toEqual({
      business: { goals: 7, on_course: 0, drifting: 3, off_course: 3, arrived: 1, no_signal: 0, met: 0, missed: 0 },
      community: { goals: 1, on_course: 1, drifting: 0, off_course: 0, arrived: 0, no_signal: 0, met: 0, missed: 0 },
    });
  });

  it('GET /api/goals/:id has the series, trend line, projection band to the due date and a reading', async () => {
    const { body } = await call('GET', '/api/goals/social-engagement');
    expect(body.series.length).toBeGreaterThan(30);
    expect(body.trend).toHaveLength(12);
    expect(body.band.at(-1).period).toBe('2027-06-01');
    expect(
      body.band.every((b: { low: number; value: number; high: number }) => b.low <= b.value && b.value <= b.high),
    ).toBe(true);
    expect(body.heading.ci[0]).toBeGreaterThan(0);
    expect(body.reading).toMatch(
      new RegExp(
        '^\\d+% likely to reach 59\\.0% by Jun 2027; could land .*Needs \\+[\\d.]+ pts a month; on its forecast ' +
          '\\+[\\d.]+ pts a month to the due date \\(.+\\); the last 12 months ran \\+[\\d.]+ pts \\(95% CI',
      ),
    );
    expect(body.projection.interval[0]).toBeLessThan(body.projection.value);
    expect(body.arrival_probability).toBeGreaterThanOrEqual(0.7);
    expect(body.forecast).toMatchObject({ period: '2027-06-01', value: body.projection.value });
    expect(body.summary).not.toMatch(/σ|interval/);
  });
});

describe('goals are files, editable through the API', () => {
  const goal = {
    id: 'latam-retention',
    metric: 'retention_90d',
    target: 0.92,
    due: '2027-12-31',
    where: { region: 'latam' },
    owner: 'lifecycle',
    objective: 'business',
  };

  it('POST writes the goal to the YAML file, PUT replaces it, DELETE removes it', async () => {
    const created = await call('POST', '/api/goals', goal);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'latam-retention', where: { region: 'latam' } });
    expect(parse(readFileSync(s.goalsFile, 'utf8')).at(-1)).toEqual(goal);
    expect((await call('POST', '/api/goals', goal)).status).toBe(409);
    const replaced = await call('PUT', '/api/goals/latam-retention', { ...goal, target: 0.9 });
    expect(replaced.status).toBe(200);
    expect(parse(readFileSync(s.goalsFile, 'utf8')).at(-1).target).toBe(0.9);
    expect((await call('DELETE', '/api/goals/latam-retention')).body).toEqual({ deleted: 'latam-retention' });
    expect(parse(readFileSync(s.goalsFile, 'utf8')).map((g: { id: string }) => g.id)).not.toContain('latam-retention');
    expect((await call('DELETE', '/api/goals/latam-retention')).status).toBe(404);
  });

  it('a filter value no row holds reads no_signal naming the values that do, on the card too', async () => {
    const typo = { id: 'typo-region', metric: 'csat', target: 0.8, due: '2027-06-30', where: { region: 'Europe' } };
    expect((await call('POST', '/api/goals', typo)).status).toBe(201);
    try {
      const { body } = await call('GET', '/api/goals/typo-region');
      expect(body.status).toBe('no_signal');
      // The sample's regions, whichever order their sizes put them in.
      expect(body.reading).toMatch(/^No data where region is "Europe": region holds "\w+"(, "\w+")+ \(check/);
      for (const region of ['na', 'emea', 'apac', 'latam']) expect(body.reading).toContain(`"${region}"`);
      expect(body.summary).toBe(body.reading);
      // A value that is there keeps the usual reading.
      const there = await call('GET', '/api/goals/enterprise-nps');
      expect(there.body.reading).not.toMatch(/No data where/);
    } finally {
      await call('DELETE', '/api/goals/typo-region');
    }
  });

  it('an invalid goal is never written', async () => {
    const before = readFileSync(s.goalsFile, 'utf8');
    const unknownMetric = await call('POST', '/api/goals', { ...goal, metric: 'vanity_clicks' });
    expect(unknownMetric.status).toBe(422);
    expect(unknownMetric.body.error.message).toMatch(/metric "vanity_clicks" does not exist/);
    const badDim = await call('POST', '/api/goals', { ...goal, where: { shoe_size: '42' } });
    expect(badDim.body.error.message).toMatch(/"shoe_size" is not a dimension of retention_90d/);
    const badDate = await call('POST', '/api/goals', { ...goal, due: '31/12/2027' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toMatch(/due: expected a date YYYY-MM-DD/);
    // A retention share written as a percent can never be reached: refused as the checker refuses it.
    const percent = await call('POST', '/api/goals', { ...goal, target: 93 });
    expect(percent.status).toBe(422);
    expect(percent.body.error.message).toMatch(
      /target: a ratio metric takes values from 0 to 1 .*write a share as 0\.9/,
    );
    expect(readFileSync(s.goalsFile, 'utf8')).toBe(before);
  });
});

describe('annotations: the why beside the number', () => {
  it('round-trip over HTTP and come back with the series and goals they touch', async () => {
    const created = await call('POST', '/api/annotations', {
      date: '2026-09-15',
      text: 'Community AMA series launched',
      metric: 'social_engagement_rate',
      author: 'CEO',
    });
    expect(created.status).toBe(201);
    // Signed by the token that wrote it, whatever the body says.
    expect(created.body.author).toBe('analyst (token env-2)');
    const id = created.body.id;
    const series = await call('GET', '/api/metrics/social_engagement_rate/series?from=2026-01-01');
    expect(series.body.annotations.map((a: { text: string }) => a.text)).toEqual(['Community AMA series launched']);
    const other = await call('GET', '/api/metrics/nps/series?from=2026-01-01');
    expect(other.body.annotations).toEqual([]);
    const goal = await call('GET', '/api/goals/social-engagement');
    expect(goal.body.annotations.map((a: { id: number }) => a.id)).toEqual([id]);
    const edited = await call('PUT', `/api/annotations/${id}`, {
      date: '2026-09-16',
      text: 'AMA series launched (moved)',
      metric: 'social_engagement_rate',
    });
    expect(edited.body).toMatchObject({ id, date: '2026-09-16', text: 'AMA series launched (moved)' });
    expect((await call('DELETE', `/api/annotations/${id}`)).body).toEqual({ deleted: id });
    expect((await call('GET', '/api/annotations')).body.annotations).toEqual([]);
    expect((await call('DELETE', `/api/annotations/${id}`)).status).toBe(404);
  });

  it('a goal’s note shows on its metric too; an unsigned note is signed by its writer; edits keep it', async () => {
    const res = await s.call('POST', '/api/annotations', {
      role: 'analyst',
      body: { date: '2026-08-03', text: 'Retention push started', metric: 'retention_90d', goal: 'retention-90d' },
    });
    expect(res.status).toBe(201);
    expect(res.body.author).toBe('analyst (token env-2)');
    const onMetric = await call('GET', '/api/metrics/retention_90d/series?from=2026-01-01');
    expect(onMetric.body.annotations.map((a: { text: string }) => a.text)).toEqual(['Retention push started']);
    const elsewhere = await call('GET', '/api/metrics/nps/series?from=2026-01-01');
    expect(elsewhere.body.annotations).toEqual([]);
    const edited = await s.call('PUT', `/api/annotations/${res.body.id}`, {
      role: 'analyst',
      body: { date: '2026-08-04', text: 'Retention push started (moved)' },
    });
    expect(edited.body).toMatchObject({
      date: '2026-08-04',
      metric: 'retention_90d',
      goal: 'retention-90d',
      author: 'analyst (token env-2)',
    });
    // Another writer may not rewrite it or sign it; an admin may edit it, and the author stays.
    const path = `/api/annotations/${res.body.id}`;
    const body = { date: '2026-08-04', text: 'rewritten', author: 'CEO' };
    expect((await s.call('PUT', path, { role: 'admin', body })).body.author).toBe('analyst (token env-2)');
    await s.call('POST', '/api/annotations', { role: 'admin', body: { date: '2026-08-05', text: 'admin note' } });
    const adminNote = (await call('GET', '/api/annotations')).body.annotations.find(
      (a: { text: string }) => a.text === 'admin note',
    );
    const refused = await s.call('PUT', `/api/annotations/${adminNote.id}`, { role: 'analyst', body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/changing a note written by admin \(token env-3\) needs .* admin role/);
    expect((await s.call('DELETE', `/api/annotations/${adminNote.id}`, { role: 'analyst' })).status).toBe(403);
    expect((await s.call('DELETE', `/api/annotations/${adminNote.id}`, { role: 'admin' })).status).toBe(200);
    expect((await s.call('DELETE', path, { role: 'analyst' })).status).toBe(200);
  });

  it('rejects an empty note with the field named', async () => {
    const res = await call('POST', '/api/annotations', { date: '2026-09-15', text: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid json: text: write what happened');
  });
});

describe('goals before any data is imported', () => {
  it('read no_signal with the reason, instead of failing', async () => {
    const empty = await startTestServer({ data: 'empty' });
    try {
      const { status, body } = await empty.call('GET', '/api/goals');
      expect(status).toBe(200);
      expect(body.goals.length).toBeGreaterThan(0);
      expect(new Set(body.goals.map((g: { status: string }) => g.status))).toEqual(new Set(['no_signal']));
      expect(body.goals[0].reading).toMatch(/^no data yet: import CSV files/);
    } finally {
      await empty.close();
    }
  });
});
