// The app when things fail, in a real browser at desktop and phone size: a server that stops (a
// page not yet visited says so instead of going white; figures on screen are marked out of date;
// a note that cannot be saved says why), and the Channels day boxes that used to fight the user.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS, seriousA11yViolations, Tabs } from '../helpers/browser.ts';
import { startTestServer, TEST_TOKENS, type TestServer } from '../helpers/server.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

// The tests on the running server below visit in a kept tab per size, each visit a full load with
// storage cleared (test/helpers/browser.ts); the ones that stop a server or fix the clock open their own.
const tabs = new Tabs(() => browser);
afterAll(() => tabs.close());
const keptAt = async (size: (typeof SIZES)[number]): Promise<Page> =>
  (await tabs.get({ viewport: { width: size.width, height: size.height } })).page;

async function pageAt(size: (typeof SIZES)[number], options: { timezoneId?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: size, bypassCSP: true, ...options });
  return context.newPage();
}

describe('when the server stops', () => {
  for (const size of SIZES)
    it(`${size.name}: figures marked out of date, a note says why it was not saved, no white page`, async () => {
      const s: TestServer = await startTestServer({ web: true });
      const page = await pageAt(size);
      try {
        await page.goto(`${s.url}/`);
        await page.waitForSelector('[data-testid="goal-card"] a');
        await page.click('[data-testid="goal-card"] a');
        await page.waitForSelector('form[aria-label="Add a note"]');
        expect(await page.$('[data-testid="offline-banner"]')).toBeNull();
        await s.close();
        await page.fill('form[aria-label="Add a note"] input[type="text"]', 'Campaign paused');
        await page.click('form[aria-label="Add a note"] button[type="submit"]');
        const alert = await page.waitForSelector('form[aria-label="Add a note"] [role="alert"]');
        expect(await alert.textContent()).toMatch(/^Cannot reach the Bearing server: .*Nothing was changed\.$/);
        // The goal's figures stay, said to be out of date.
        const banner = await page.waitForSelector('[data-testid="offline-banner"]');
        expect(await banner.textContent()).toMatch(
          /cannot be reached\. Figures on screen are from .* may be out of date/,
        );
        expect(await page.$('[data-testid="goal-chart"], .recharts-surface')).not.toBeNull();
        // A page whose code was never fetched: a message and a way out, not a white screen.
        if (size.width <= 600) await page.click('button.menu-button');
        await page.click('nav[aria-label="Main"] a:has-text("Mix")');
        const error = await page.waitForSelector('[data-testid="page-error"]');
        expect(await error.textContent()).toMatch(/This page could not be shown.*could not be fetched/);
        expect(await page.$('[data-testid="page-error"] button:has-text("Reload the app")')).not.toBeNull();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
        await page.screenshot({ path: join(SCREENSHOTS, `offline-${size.name}.png`), fullPage: true });
        expect(await seriousA11yViolations(page)).toEqual([]);
      } finally {
        await page.context().close();
      }
    }, 60_000);
});

// One running server for the rest of the file (the describe above stops its own).
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ web: true });
}, 60_000);
afterAll(() => s?.close());

describe('the Channels day boxes and the note date', () => {
  for (const size of SIZES)
    it(`${size.name}: a box can be cleared and retyped; the link follows without a history step per key`, async () => {
      const page = await keptAt(size);
      await page.goto(`${s.url}/channels`);
      await page.waitForSelector('[data-testid="channel-table"] tbody tr');
      const box = 'label:has-text("Exposure window") input';
      const before = await page.evaluate(() => history.length);
      await page.fill(box, '');
      await page.waitForSelector('text=a whole number of days from 1 to 365');
      // The last good table stays while the box holds nothing usable.
      await page.waitForTimeout(700);
      expect(await page.$$('[data-testid="channel-table"] tbody tr')).not.toHaveLength(0);
      await page.type(box, '45', { delay: 60 });
      expect(await page.inputValue(box)).toBe('45');
      await page.waitForURL(/window=45/);
      await page.waitForSelector('[data-testid="channel-table"] tbody tr');
      expect(await page.evaluate(() => history.length)).toBe(before);
      // A link with an impossible window says so and uses the default.
      await page.goto(`${s.url}/channels?window=0`);
      await page.waitForSelector('text=The link’s window 0 is out of range; the defaults are used.');
      await page.waitForSelector('[data-testid="channel-table"] tbody tr');
      expect(await page.inputValue(box)).toBe('30');
      // A signup range narrows the cohorts; the caption says which, and the spend months follow.
      const all = Number(
        (await page.textContent('[data-testid="channel-table"] caption'))!.match(/^([\d,]+)/)![1]!.replace(/,/g, ''),
      );
      await page.fill('label:has-text("Signed up from") input', '2025-01-01');
      await page.fill('label:has-text("Signed up from") ~ label input', '2025-06-30');
      await page.waitForSelector(
        '[data-testid="channel-table"] caption:has-text("signed up from Jan 1, 2025 to Jun 30, 2025")',
      );
      const some = Number(
        (await page.textContent('[data-testid="channel-table"] caption'))!.match(/^([\d,]+)/)![1]!.replace(/,/g, ''),
      );
      expect(some).toBeGreaterThan(0);
      expect(some).toBeLessThan(all);
      expect(page.url()).toMatch(/from=2025-01-01.*to=2025-06-30/);
    }, 60_000);

  it('a note’s date is the browser’s own day (evening in Los Angeles is not tomorrow)', async () => {
    const page = await pageAt(SIZES[0]!, { timezoneId: 'America/Los_Angeles' });
    try {
      // 03:00 UTC on 24 November is 19:00 on 23 November in Los Angeles.
      await page.clock.setFixedTime(new Date('2026-11-24T03:00:00Z'));
      await page.goto(`${s.url}/`);
      await page.waitForSelector('[data-testid="goal-card"] a');
      await page.click('[data-testid="goal-card"] a');
      await page.waitForSelector('form[aria-label="Add a note"]');
      expect(await page.inputValue('form[aria-label="Add a note"] input[type="date"]')).toBe('2026-11-23');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});

describe('notes', () => {
  for (const size of SIZES)
    it(`${size.name}: added on a goal, signed, on its metric too, reachable by Tab, edited, deleted`, async () => {
      const page = await keptAt(size);
      const text = `Retention push (${size.name})`;
      await page.goto(`${s.url}/goals/retention-90d`);
      const form = 'form[aria-label="Add a note"]';
      await page.waitForSelector(form);
      // Without a token the server refuses, and the page says how to sign in.
      await page.fill(`${form} input[type="text"]`, text);
      await page.click(`${form} button[type="submit"]`);
      expect(await (await page.waitForSelector(`${form} [role="alert"]`)).textContent()).toMatch(
        /sign in with an analyst token/,
      );
      await page.evaluate((token) => localStorage.setItem('bearing-token', token), TEST_TOKENS.analyst);
      await page.reload();
      await page.waitForSelector(form);
      await page.fill(`${form} input[type="date"]`, '2026-06-10');
      await page.fill(`${form} input[type="text"]`, text);
      await page.click(`${form} button[type="submit"]`);
      const item = await page.waitForSelector(`[data-testid="notes"] li:has-text("${text}")`);
      expect(await item.textContent()).toContain('analyst (token env-2)');
      // The marker is a link a keyboard reaches, read out with the note.
      const marker = `a.annotation-marker[aria-label="Note, ${'Jun 10, 2026'}: ${text}"]`;
      await page.waitForSelector(marker, { state: 'attached' });
      await page.focus(marker);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).toBe('annotation-marker');
      // A goal's note shows on its metric's series too.
      await page.goto(`${s.url}/metrics/retention_90d?from=2026-01-01`);
      await page.waitForSelector(`[data-testid="notes"] li:has-text("${text}")`);
      await page.waitForSelector('svg a.annotation-marker', { state: 'attached' });
      // Edit, then delete, from the list.
      await page.click(`button[aria-label="Edit: ${text}"]`);
      await page.fill('form[aria-label^="Edit the note"] input[type="text"]', `${text}, moved`);
      await page.click('form[aria-label^="Edit the note"] button[type="submit"]');
      await page.waitForSelector(`[data-testid="notes"] li:has-text("${text}, moved")`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.click(`button[aria-label="Delete: ${text}, moved"]`);
      await page.waitForSelector(`[data-testid="notes"] li:has-text("${text}")`, { state: 'detached' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    }, 90_000);
});
