// Check-ins on goals: written with an analyst token and signed by it, listed newest first, the
// latest of each goal for the cards; bad input refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('check-ins', () => {
  it('needs a token to write, and is signed by it whatever the body says', async () => {
    const anonymous = await s.call('POST', '/api/goals/nps-40/checkins', { body: { confidence: 40, text: 'x' } });
    expect(anonymous.status).toBe(401);
    const spoofed = await s.call('POST', '/api/goals/nps-40/checkins', {
      role: 'analyst',
      body: { confidence: 40, text: 'x', author: 'the ceo' },
    });
    expect(spoofed.status).toBe(400);
    const first = await s.call('POST', '/api/goals/nps-40/checkins', {
      role: 'analyst',
      body: { confidence: 40, text: 'support backlog first' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ goal: 'nps-40', confidence: 40, text: 'support backlog first' });
    expect(first.body.author).toMatch(/analyst/);
    const second = await s.call('POST', '/api/goals/nps-40/checkins', {
      role: 'analyst',
      body: { confidence: 55, text: '  backlog halved  ' },
    });
    expect(second.body.text).toBe('backlog halved');
    const list = await s.call('GET', '/api/goals/nps-40/checkins');
    expect(list.body.checkins.map((c: { confidence: number }) => c.confidence)).toEqual([55, 40]);
    const latest = await s.call('GET', '/api/checkins');
    expect(latest.body.checkins).toEqual([expect.objectContaining({ goal: 'nps-40', confidence: 55 })]);
  });

  it('refuses a confidence outside 0–100, an empty text and an unknown goal', async () => {
    const high = await s.call('POST', '/api/goals/nps-40/checkins', {
      role: 'analyst',
      body: { confidence: 140, text: 'a' },
    });
    expect(high.status).toBe(400);
    expect(JSON.stringify(high.body)).toMatch(/confidence.*expected a whole number from 0 to 100/);
    const empty = await s.call('POST', '/api/goals/nps-40/checkins', {
      role: 'analyst',
      body: { confidence: 50, text: ' ' },
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/say what you are doing about it/);
    const unknown = await s.call('POST', '/api/goals/nope/checkins', {
      role: 'analyst',
      body: { confidence: 50, text: 'a' },
    });
    expect(unknown.status).toBe(404);
    expect((await s.call('GET', '/api/goals/nope/checkins')).status).toBe(404);
  });
});
