// A marketer on a 390 × 844 phone (and the same pages at 1280 for contrast): the navigation folds
// behind a Menu button, wide tables become stacked cards with every column, a series chart keeps
// one y-axis, and axe finds nothing at any impact level on the main pages at either size.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { allA11yViolations, browserAndServer, Tabs } from '../helpers/browser.ts';

const live = browserAndServer();
// One kept tab per size, each visit a full load (test/helpers/browser.ts): a new context and page
// per visit cost Chromium about 1.4 s of CPU.
const tabs = new Tabs(() => live.browser);
afterAll(() => tabs.close());

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const open = async (size: typeof PHONE): Promise<Page> => (await tabs.get({ viewport: size })).page;

describe('at 200% zoom', () => {
  it('a 1280 × 900 window at 200% zoom (640 × 450 CSS pixels) shows the first goal card at once', async () => {
    const context = await live.browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    try {
      await page.goto(`${live.server.url}/`);
      await page.waitForSelector('[data-testid="goal-card"]');
      const card = await page.locator('[data-testid="goal-card"]').first().boundingBox();
      // Its status and name, at least, above the fold (they were below two rows of links and the counts).
      expect(card!.y + 60).toBeLessThan(450);
      expect(await page.isVisible('button.menu-button')).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(640);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('on a phone', () => {
  it('the navigation folds behind Menu, opens, and folds again once a page is chosen', async () => {
    const page = await open(PHONE);
    await page.goto(`${live.server.url}/`);
    await page.waitForSelector('[data-testid="goal-card"]');
    expect(await page.isVisible('nav[aria-label="Main"] a:has-text("Channels")')).toBe(false);
    expect(await page.getAttribute('button.menu-button', 'aria-expanded')).toBe('false');
    await page.click('button.menu-button');
    expect(await page.getAttribute('button.menu-button', 'aria-expanded')).toBe('true');
    await page.click('nav[aria-label="Main"] a:has-text("Channels")');
    await page.waitForSelector('[data-testid="channel-table"] tbody tr');
    expect(await page.isVisible('nav[aria-label="Main"] a:has-text("Mix")')).toBe(false);
    // On a desktop the links are always there and the button is not.
    const wide = await open(DESKTOP);
    await wide.goto(`${live.server.url}/`);
    await wide.waitForSelector('[data-testid="goal-card"]');
    expect(await wide.isVisible('nav[aria-label="Main"] a:has-text("Channels")')).toBe(true);
    expect(await wide.isVisible('button.menu-button')).toBe(false);
  }, 60_000);

  it('the channels table becomes cards that show every column, each named', async () => {
    const page = await open(PHONE);
    await page.goto(`${live.server.url}/channels`);
    await page.waitForSelector('[data-testid="channel-table"] tbody tr');
    // Each header's own words: a statistical word's explanation (its tooltip) is not part of the name.
    const headers = await page.$$eval('[data-testid="channel-table"] thead th', (th) =>
      th.map((h) => {
        const copy = h.cloneNode(true) as Element;
        for (const tip of copy.querySelectorAll('[role="tooltip"]')) tip.remove();
        return (copy.textContent ?? '').replace(/[▲▼]/g, '').trim();
      }),
    );
    const cells = await page.$$eval('[data-testid="channel-table"] tr[data-channel="social"] > *', (cells) =>
      cells.map((c) => {
        const box = c.getBoundingClientRect();
        return { label: c.getAttribute('data-label'), right: box.right, width: box.width };
      }),
    );
    expect(cells.map((c) => c.label)).toEqual(headers);
    for (const c of cells) {
      expect(c.right).toBeLessThanOrEqual(390);
      expect(c.width).toBeGreaterThan(0);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }, 60_000);

  it('a series chart keeps one y-axis on a phone, two on a desktop', async () => {
    for (const [size, axes] of [
      [PHONE, 1],
      [DESKTOP, 2],
    ] as const) {
      const page = await open(size);
      await page.goto(`${live.server.url}/metrics/revenue`);
      await page.waitForSelector('figure.chart svg.recharts-surface');
      expect(await page.$$eval('figure.chart .recharts-yAxis', (a) => a.length)).toBe(axes);
      // The row-count bars go with their axis: on a phone they would read as revenue.
      const bars = await page.$$eval('figure.chart .recharts-bar-rectangle', (b) => b.length);
      if (axes === 1) expect(bars).toBe(0);
      else expect(bars).toBeGreaterThan(0);
    }
  }, 60_000);

  for (const [name, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const)
    it(`${name}: axe finds nothing at any impact level on the main pages`, async () => {
      const page = await open(size);
      const found: string[] = [];
      for (const [path, ready] of [
        ['/', '[data-testid="goal-card"]'],
        ['/channels', '[data-testid="channel-table"] tbody tr'],
        ['/metrics', '[data-testid="metric-table"]'],
        ['/goals/social-engagement', 'figure.chart svg'],
        ['/goals/nps-40', '[data-testid="drivers-table"]'],
        ['/data', '[data-testid="rows-customers"]'],
        ['/digest', '#digest-title'],
        ['/mix', '[data-testid="evidence-table"] tbody tr'],
        ['/metrics/revenue', 'figure.chart svg'],
      ] as const) {
        await page.goto(`${live.server.url}${path}`);
        await page.waitForSelector(ready, { timeout: 30_000 });
        for (const v of await allA11yViolations(page)) found.push(`${path}: ${v}`);
      }
      expect(found).toEqual([]);
    }, 90_000);
});
