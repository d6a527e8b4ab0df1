// Goals made, edited and deleted in the app with an analyst token, written to the goals file (a copy
// in the test server's folder); a refused goal shows the server's reason and writes nothing.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { browserAndServer, openPage, seriousA11yViolations } from '../helpers/browser.ts';
import { TEST_TOKENS } from '../helpers/server.ts';

const live = browserAndServer();
const goalsInFile = () => parse(readFileSync(live.server.goalsFile, 'utf8')) as Array<Record<string, unknown>>;

async function signedIn(): Promise<Page> {
  const { page } = await openPage(live.browser);
  await page.addInitScript((token) => localStorage.setItem('bearing-token', token), TEST_TOKENS.analyst);
  return page;
}

describe('goals in the app', () => {
  it('a new goal from the Heading, edited on its page, then deleted', async () => {
    const page = await signedIn();
    try {
      const before = goalsInFile().length;
      await page.goto(`${live.server.url}/`);
      await page.click('button:has-text("New goal")');
      await page.fill('form[aria-label="New goal"] label:has-text("Id") input', 'csat-smb');
      await page.selectOption('form[aria-label="New goal"] label:has-text("Metric") select', 'csat');
      // A share written as a percent is refused with the checker's own words, and nothing is written.
      await page.fill('form[aria-label="New goal"] label:has-text("Target") input', '85');
      await page.fill('form[aria-label="New goal"] label:has-text("Due") input', '2027-09-30');
      await page.selectOption('form[aria-label="New goal"] label:has-text("Only where") select', 'segment');
      await page.fill('form[aria-label="New goal"] label:has-text("is") input', 'smb');
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.click('button:has-text("Add the goal")');
      await page.waitForSelector('[data-testid="goal-form-error"]');
      expect(await page.textContent('[data-testid="goal-form-error"]')).toMatch(/write a share as 0\.9, not 90/);
      expect(goalsInFile()).toHaveLength(before);
      await page.fill('form[aria-label="New goal"] label:has-text("Target") input', '0.85');
      // A milestone on the way, and the goal's own least rows a month.
      await page.click('form[aria-label="New goal"] button:has-text("Add a milestone")');
      await page.fill('[data-testid="milestones"] label:has-text("Milestone 1 date") input', '2027-03-31');
      await page.fill('[data-testid="milestones"] .milestone-row label:has-text("Target") input', '0.8');
      await page.fill('form[aria-label="New goal"] label:has-text("Fewest rows") input', '40');
      await page.click('button:has-text("Add the goal")');
      await page.waitForURL('**/goals/csat-smb');
      await page.waitForSelector('h1:has-text("Customer satisfaction")');
      expect(goalsInFile().find((g) => g.id === 'csat-smb')).toMatchObject({
        metric: 'csat',
        target: 0.85,
        due: '2027-09-30',
        where: { segment: 'smb' },
        milestones: [{ date: '2027-03-31', target: 0.8 }],
        min_n: 40,
      });
      await page.click('button:has-text("Edit goal")');
      const edit = 'form[aria-label="Edit the goal"]';
      await page.fill(`${edit} label:has-text("Target") input`, '0.82');
      // A milestone after the due date is refused with the checker's words, and nothing is written.
      await page.click(`${edit} button:has-text("Add a milestone")`);
      await page.fill('[data-testid="milestones"] label:has-text("Milestone 2 date") input', '2027-12-31');
      await page.fill('[data-testid="milestones"] .milestone-row:nth-of-type(2) label:has-text("Target") input', '0.9');
      await page.click('button:has-text("Save the goal")');
      await page.waitForSelector('[data-testid="goal-form-error"]');
      expect(await page.textContent('[data-testid="goal-form-error"]')).toMatch(/on or before the due date/);
      expect(goalsInFile().find((g) => g.id === 'csat-smb')?.target).toBe(0.85);
      // Moved before the first: written in date order; the first milestone and min_n are kept.
      await page.fill('[data-testid="milestones"] label:has-text("Milestone 2 date") input', '2027-01-31');
      await page.click('button:has-text("Save the goal")');
      await page.waitForSelector(`${edit}`, { state: 'detached' });
      expect(goalsInFile().find((g) => g.id === 'csat-smb')).toMatchObject({
        target: 0.82,
        milestones: [
          { date: '2027-01-31', target: 0.9 },
          { date: '2027-03-31', target: 0.8 },
        ],
        min_n: 40,
      });
      // Removing one in the app removes it from the file; nothing else changes.
      await page.click('button:has-text("Edit goal")');
      await page.click(`${edit} button:has-text("Remove milestone 1")`);
      await page.click('button:has-text("Save the goal")');
      await page.waitForSelector(`${edit}`, { state: 'detached' });
      expect(goalsInFile().find((g) => g.id === 'csat-smb')).toMatchObject({
        target: 0.82,
        milestones: [{ date: '2027-03-31', target: 0.8 }],
        min_n: 40,
      });
      page.once('dialog', (d) => void d.accept());
      await page.click('button:has-text("Delete goal")');
      await page.waitForURL(`${live.server.url}/`);
      expect(goalsInFile().find((g) => g.id === 'csat-smb')).toBeUndefined();
      expect(goalsInFile()).toHaveLength(before);
    } finally {
      await page.context().close();
    }
  }, 90_000);
});

describe('a goal past its due date', () => {
  it('reads as closed: its due month’s value, no pace, no chance, no plan; beside an unread one', async () => {
    const goal = { id: 'csat-closed', metric: 'csat', target: 0.95, due: '2026-06-30' };
    const made = await live.server.call('POST', '/api/goals', { body: goal, role: 'analyst' });
    expect(made.status).toBe(201);
    const typo = { id: 'typo-region', metric: 'csat', target: 0.8, due: '2027-06-30', where: { region: 'Europe' } };
    expect((await live.server.call('POST', '/api/goals', { body: typo, role: 'analyst' })).status).toBe(201);
    const page = await signedIn();
    try {
      const api = (await live.server.call('GET', '/api/goals/csat-closed')).body;
      expect(api.status).toBe('missed');
      expect(api.projection.interval).toEqual([api.position.value, api.position.value]);
      await page.goto(`${live.server.url}/`);
      const card = '[data-goal="csat-closed"]';
      await page.waitForSelector(`${card} [data-status]`);
      expect(await page.textContent(card)).toMatch(/Missed: Jun 2026, the due period, closed at/);
      expect(await page.$(`${card} [data-testid="pace"]`)).toBeNull();
      // The balance's parts add up to its whole: the closed goal and the unread one are counted.
      const balance = (await page.textContent('[data-testid="balance-business"]'))!;
      const total = Number(balance.match(/^(\d+) business goals/)![1]);
      const parts = [
        ...balance.matchAll(/(\d+) (?:on course or arrived|drifting|off course|without signal|met|missed)/g),
      ];
      expect(parts.reduce((a, m) => a + Number(m[1]), 0)).toBe(total);
      expect(balance).toMatch(/1 missed/);
      // A goal that cannot be read says why once on its card (the sentence and the pace line said it twice).
      const typo = '[data-goal="typo-region"]';
      expect(await page.textContent(typo)).toMatch(/No data where region is "Europe": region holds/);
      expect((await page.textContent(typo))!.match(/no data where/gi)).toHaveLength(1);
      await page.goto(`${live.server.url}/goals/csat-closed`);
      await page.waitForSelector('[data-testid="at-due"]');
      const closedAt = (api.position.value * 100).toFixed(1);
      expect(await page.textContent('[data-testid="at-due"]')).toBe(`${closedAt}% (closed)`);
      expect(await page.textContent('[data-testid="probability"]')).toMatch(/the due period closed \(missed\)/);
      expect(await page.$('[data-testid="plan"]')).toBeNull();
      // The unread goal's page says why once, and shows no empty figures ("— (—, n = )").
      await page.goto(`${live.server.url}/goals/typo-region`);
      await page.waitForSelector('[data-testid="reading"]');
      expect(await page.textContent('[data-testid="reading"]')).toMatch(/^No data where region is "Europe"/);
      const muted = await page.$$eval('p.muted', (ps) => ps.map((p) => p.textContent ?? ''));
      expect(muted.filter((t) => /no data where/i.test(t))).toEqual([]);
      expect(await page.textContent('[data-testid="chart-empty"]')).toMatch(/Nothing to draw yet/);
      expect(await page.textContent('dl.facts')).not.toMatch(/n = \)|\(—\)/);
    } finally {
      await page.context().close();
      await live.server.call('DELETE', '/api/goals/csat-closed', { role: 'analyst' });
      await live.server.call('DELETE', '/api/goals/typo-region', { role: 'analyst' });
    }
  }, 60_000);
});
