// The Mix page across geos in a real browser, on Google Meridian's 40-geo demo file synced
// through a sources file: the fit in words, each geo's ROI in a table that scrolls in its box on a
// phone, and the API's answer beside Meridian's published intervals.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, SCREENSHOTS, seriousA11yViolations } from '../helpers/browser.ts';
import { GEO_REVENUE, MERIDIAN_ROI, writeMeridianSources } from '../helpers/meridian.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let browser: Browser;
const CONTROLS = 'competitor_sales_control,sentiment_score_control';
const PAGE = `/mix?kpi=geo_revenue&controls=${encodeURIComponent(CONTROLS)}`;

beforeAll(async () => {
  s = await startTestServer({ data: 'empty', web: true });
  writeMeridianSources(join(s.dir, 'sources'));
  expect((await s.call('POST', '/api/sync', { role: 'analyst', body: {} })).status).toBe(200);
  const yaml = GEO_REVENUE;
  expect((await s.call('PUT', '/api/metrics/geo_revenue', { role: 'analyst', body: { yaml } })).status).toBe(200);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('Mix page across geos', () => {
  it('says it was fitted across the geos, lists each geo’s ROI, and agrees with Meridian’s intervals', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${s.url}${PAGE}`);
    await page.waitForSelector('[data-testid="mix-table"]', { timeout: 90_000 });
    expect(await page.textContent('[data-testid="mix-fit"]')).toMatch(
      /Fitted across 40 geos: .* Geos compared per head of population\. R² of the national total 0\.\d{3}/,
    );
    await page.click('[data-testid="mix-geos"] summary');
    expect(await page.$$eval('[data-testid="mix-geos"] tbody tr', (r) => r.length)).toBe(40);
    expect(await page.textContent('[data-testid="mix-geos"] tbody tr')).toMatch(/^Geo0(\d+\.\d\d \([\d.]+–[\d.]+\)|—)/);
    await page.screenshot({ path: join(SCREENSHOTS, 'mix-geo.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    // The same answer from the API (the page's request, cached): four of five intervals at least
    // overlap the 90% intervals Meridian published for this file.
    const r = await s.call('GET', `/api/mix?kpi=geo_revenue&controls=${encodeURIComponent(CONTROLS)}`);
    expect(r.status).toBe(200);
    const overlapping = r.body.channels.filter((c: { channel: string; roi_ci: [number, number] }) => {
      const [lo, hi] = MERIDIAN_ROI[c.channel]!;
      return c.roi_ci[0] <= hi && lo <= c.roi_ci[1];
    });
    expect(overlapping.length).toBeGreaterThanOrEqual(4);
    // Read from how geos differ week by week, most channels are told apart from no effect.
    expect(r.body.channels.filter((c: { roi_ci: [number, number] }) => c.roi_ci[0] > 0).length).toBeGreaterThan(2);
  }, 180_000);

  it('at 390 × 844 the geo table scrolls in its box, never the page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}${PAGE}`);
      await page.waitForSelector('[data-testid="mix-geos"] summary', { timeout: 90_000 });
      await page.click('[data-testid="mix-geos"] summary');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SCREENSHOTS, 'phone-mix-geo.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
