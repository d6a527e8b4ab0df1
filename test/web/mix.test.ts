// The Mix page in a real browser on Meta Robyn's weekly demo file, synced through a sources file:
// one sentence per channel, the table, fit and contribution charts, a curve per channel, the
// optimiser's plan; at desktop and 390 px; accessible.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, SCREENSHOTS, seriousA11yViolations } from '../helpers/browser.ts';
import { WEEKLY_REVENUE, writeRobynSources } from '../helpers/robyn.ts';
import { startTestServer, TEST_TOKENS, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let browser: Browser;
const PAGE = '/mix?kpi=weekly_revenue&controls=competitor_sales_B%2Cevents';

beforeAll(async () => {
  s = await startTestServer({ data: 'empty', web: true });
  writeRobynSources(join(s.dir, 'sources'));
  expect((await s.call('POST', '/api/sync', { role: 'analyst', body: {} })).status).toBe(200);
  const yaml = WEEKLY_REVENUE;
  expect((await s.call('PUT', '/api/metrics/weekly_revenue', { role: 'analyst', body: { yaml } })).status).toBe(200);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('Mix page', () => {
  it('reads each channel in a sentence, shows the fit, curves and contributions, and optimises a budget', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${s.url}${PAGE}`);
    await page.waitForSelector('[data-testid="mix-table"]', { timeout: 60_000 });
    const sentences = await page.textContent('[data-testid="mix-sentences"]');
    expect(sentences).toMatch(
      /Each extra \$1(\.00)? in tv returns \d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\) in weekly_revenue/,
    );
    expect(sentences).toMatch(/not told apart from no effect/);
    expect(await page.$$eval('[data-testid="mix-table"] tbody tr', (r) => r.length)).toBe(5);
    expect(await page.$$eval('[data-testid="mix-curves"] figure', (f) => f.length)).toBe(5);
    // One y scale for every channel's curve: a channel at no effect is not drawn as steep as TV.
    const tops = await page.$$eval('[data-testid="mix-curves"] figure', (figures) =>
      figures.map(
        (f) => [...f.querySelectorAll('.recharts-yAxis .recharts-cartesian-axis-tick-value')].at(-1)?.textContent,
      ),
    );
    expect(new Set(tops).size).toBe(1);
    expect(await page.textContent('[data-testid="mix-fit"]')).toMatch(/R² 0\.\d{3}; the last 13 weeks held out/);
    // Whether to trust the fit, in words: the held-out weeks, streaks in what is left, two runs agreeing.
    const checks = await page.$$eval('[data-testid="mix-fit-checks"] li', (li) => li.map((x) => x.textContent ?? ''));
    expect(checks[0]).toMatch(
      /^(OK|Read with care): Forecasting the last 13 weeks it never saw, it was off by [\d.]+%/,
    );
    expect(
      checks.some((c) => /Two independent runs of 200 refits each|moves between two independent runs/.test(c)),
    ).toBe(true);
    // On a phone each cell is named from its header: the word, not the word's explanation.
    expect(await page.getAttribute('[data-testid="mix-table"] tbody tr td:nth-child(5)', 'data-label')).toBe(
      'mROI (95% CI)',
    );
    await page.click('[data-testid="mix-optimizer"] button[type="submit"]');
    await page.waitForSelector('[data-testid="mix-plan"] tbody tr');
    expect(await page.textContent('[data-testid="mix-plan"] caption')).toMatch(
      /today [\d,]+; with this plan [\d,]+ \(/,
    );
    // Every method side by side: no customer is known here, so each channel has the mix model alone.
    await page.waitForSelector('[data-testid="evidence-table"] tbody tr', { timeout: 60_000 });
    expect(
      await page.$$eval('[data-testid="evidence-table"] tbody tr', (rows) => rows.map((r) => r.dataset.verdict)),
    ).toEqual(Array(5).fill('one method'));
    await page.screenshot({ path: join(SCREENSHOTS, 'mix.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('at 390 × 844: nothing scrolls sideways, curves stack', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${s.url}${PAGE}`);
    await page.waitForSelector('[data-testid="mix-curves"] svg.recharts-surface', { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'phone-mix.png'), fullPage: true });
    await context.close();
  }, 120_000);

  it('a KPI without data or an unknown one says why; with none tagged mix it asks for one', async () => {
    const { page } = await openPage(browser);
    // The shipped store_revenue (tagged mix, so the page opens on it) has no rows here: it says so.
    await page.goto(`${s.url}/mix`);
    await page.waitForSelector('text=needs at least 52 complete weeks of store_revenue', { timeout: 30_000 });
    // With no definition tagged mix, the page asks for a KPI.
    for (const shipped of ['store_revenue', 'store_signups'])
      expect((await s.call('DELETE', `/api/metrics/${shipped}`, { role: 'analyst' })).status).toBe(200);
    await page.goto(`${s.url}/mix`);
    await page.waitForSelector('text=Choose the KPI the media should explain');
    await page.goto(`${s.url}/mix?kpi=nope`);
    await page.waitForSelector('text=no metric named "nope"', { timeout: 30_000 });
  }, 60_000);

  // Last: adding and deleting a lift test are writes, and the fit the other tests read would be
  // computed again after each.
  it('an analyst adds a lift test from the page; it is listed beside what the model says, then deleted', async () => {
    const { page, errors } = await openPage(browser);
    await page.addInitScript((token) => localStorage.setItem('bearing-token', token), TEST_TOKENS.analyst);
    await page.goto(`${s.url}${PAGE}`);
    await page.waitForSelector('[data-testid="experiment-form"]', { timeout: 60_000 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    const form = '[data-testid="experiment-form"]';
    await page.fill(`${form} label:has-text("Id") input`, 'geo-tv-1');
    await page.selectOption(`${form} select`, 'tv');
    await page.fill(`${form} label:has-text("From") input`, '2018-03-05');
    await page.fill(`${form} label:has-text("To") input`, '2018-04-29');
    await page.fill(`${form} label:has-text("Lift") input`, '2500000');
    await page.fill(`${form} label:has-text("Standard error") input`, '900000');
    await page.click(`${form} button[type="submit"]`);
    await page.waitForSelector('[data-testid="mix-experiments"] li:has-text("geo-tv-1")', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="mix-experiments"]')).toMatch(
      /the model says [\d,]+ \([\d,]+–[\d,]+\)/,
    );
    // The test and the model are now judged side by side in the evidence table too.
    await page.waitForSelector('[data-testid="evidence-table"] tr[data-channel="tv"]:has-text("geo-tv-1")');
    expect(['agree', 'disagree']).toContain(
      await page.getAttribute('[data-testid="evidence-table"] tr[data-channel="tv"]', 'data-verdict'),
    );
    await page.click('button[aria-label="Delete experiment geo-tv-1"]');
    await page.waitForSelector('text=No lift tests on weekly_revenue yet', { timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 180_000);
});
