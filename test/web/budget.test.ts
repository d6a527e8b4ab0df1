// The Budget page in a real browser on the sample world: every channel in money on one KPI, a
// scenario (20% of tv to paid_search) answered with its range, the plan exported as CSV and XLSX
// and printed to PDF at A4 and Letter (page count and text checked); at 1280 and 390 px, axe clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { browserAndServer, SCREENSHOTS, seriousA11yViolations, Tabs } from '../helpers/browser.ts';

const live = browserAndServer();
// One kept tab for the file, each visit a full load with storage cleared (test/helpers/browser.ts).
const tabs = new Tabs(() => live.browser);
afterAll(() => tabs.close());

/** Every page's text of a PDF, and how many pages it has. */
async function pdfText(data: Buffer): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(data) }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
  }
  return { pages: doc.numPages, text: text.replace(/\s+/g, ' ') };
}

describe('Budget page', () => {
  it('answers "move 20% of tv to paid_search" in money with a range, exports it and prints one page', async () => {
    const { page, errors } = await tabs.get();
    await page.goto(`${live.server.url}/budget`);
    await page.waitForSelector('[data-testid="budget-table"] tbody tr', { timeout: 90_000 });
    expect(await page.$$eval('[data-testid="budget-table"] tbody tr', (r) => r.length)).toBe(9);
    expect(await page.textContent('[data-testid="budget-sentences"]')).toMatch(
      /Each \$1 on tv brought \$\d+\.\d\d \(\$\d+\.\d\d to \$\d+\.\d\d\) of total revenue over /,
    );
    expect(await page.textContent('[data-testid="budget-summary"]')).toMatch(/^\$[\d,]+ spent across 9 channels/);
    expect(await page.$('[data-testid="budget-chart"] svg')).not.toBeNull();
    // The default question is the CFO's: 20% of tv to paid_search, over the next quarter.
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.waitForSelector('[data-testid="budget-plan-table"] tbody tr', { timeout: 60_000 });
    const sentence = await page.textContent('[data-testid="budget-plan-sentence"]');
    expect(sentence).toMatch(/Total revenue over \d{4}-Q[1-4]: \$[\d,]+ at today’s spend of \$[\d,]+;/);
    expect(sentence).toMatch(/\(change −\u2060\$[\d,]+, −\u2060\$[\d,]+ to [−+]\u2060\$[\d,]+\)/);
    const cells = await page.$$eval('[data-testid="budget-plan-table"] tbody tr[data-channel="tv"] td', (t) =>
      t.map((c) => Number((c.textContent ?? '').replace(/[^\d.]/g, ''))),
    );
    expect(cells[1]! / cells[0]!).toBeCloseTo(0.8, 3);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'budget.png'), fullPage: true });

    const csv = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    const lines = readFileSync((await csv[0].path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    const cols = 'kpi period_from period_to channel kind spend_today spend_proposed min max kpi_change kpi_change_low';
    expect(lines[0]).toBe([...cols.split(' '), 'kpi_change_high'].map((c) => `"${c}"`).join(','));
    expect(lines).toHaveLength(11);
    const total = lines
      .at(-1)!
      .split(',')
      .map((f) => f.replace(/^"|"$/g, ''));
    expect(total[3]).toBe('total');
    expect(Number(total[6])).toBeCloseTo(Number(total[5]), 1);
    const xlsx = await Promise.all([page.waitForEvent('download'), page.click('text=Export XLSX')]);
    expect(
      readFileSync((await xlsx[0].path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    await page.emulateMedia({ media: 'print' });
    for (const format of ['A4', 'Letter'] as const) {
      const { pages, text } = await pdfText(await page.pdf({ format, printBackground: true }));
      expect(pages, format).toBe(1);
      expect(text).toMatch(/Budget/);
      expect(text).toMatch(/Each \$1 on tv brought/);
      expect(text).toMatch(/Total revenue over \d{4}-Q[1-4]:/);
      // The screen's controls stay off paper.
      expect(text).not.toMatch(/Export CSV|Print summary|Sign in/);
    }
    expect(errors).toEqual([]);
  }, 180_000);

  it('reaches a KPI target for the least spend, or says it is out of reach', async () => {
    const { page, errors } = await tabs.get();
    await page.goto(`${live.server.url}/budget`);
    await page.waitForSelector('[data-testid="budget-table"] tbody tr', { timeout: 90_000 });
    await page.getByLabel('Reach a target for the least spend').check();
    // A target just under today's expected KPI: met for less than today's spend.
    const today = (
      await live.server.call('POST', '/api/budget/plan', {
        body: { kpi: 'total_revenue', period: '2027-Q1', moves: [] },
      })
    ).body;
    await page.fill('[data-testid="budget-target"]', String(Math.round(today.kpi_current * 0.99)));
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.waitForSelector('[data-testid="budget-plan-table"] tbody tr', { timeout: 60_000 });
    expect(await page.textContent('#plan-result-title')).toMatch(/the least spend for the target/);
    const totals = await page.$$eval('[data-testid="budget-plan-table"] tfoot tr:first-child td', (t) =>
      t.map((c) => Number((c.textContent ?? '').replace(/[^\d.]/g, ''))),
    );
    expect(totals[1]).toBeLessThan(totals[0]!);
    expect(await page.$('[data-testid="budget-target-missed"]')).toBeNull();
    // Ten times today's: no spend within the limits reaches it, and the page says so.
    await page.fill('[data-testid="budget-target"]', String(Math.round(today.kpi_current * 10)));
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.waitForSelector('[data-testid="budget-target-missed"]', { timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 120_000);

  it('on a 390 px phone nothing scrolls sideways and the plan reads as cards', async () => {
    const { page, errors } = await tabs.get();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${live.server.url}/budget`);
    await page.waitForSelector('[data-testid="budget-table"] tbody tr', { timeout: 90_000 });
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await page.waitForSelector('[data-testid="budget-plan-table"] tbody tr', { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('the Channels what-if answers in money for revenue, and says why it is absent for a score', async () => {
    const { page, errors } = await tabs.get();
    await page.goto(`${live.server.url}/channels?outcome=revenue`);
    await page.waitForSelector('[data-testid="whatif-result"][data-stale="false"]', { timeout: 90_000 });
    expect(await page.textContent('[data-testid="whatif-result"]')).toMatch(
      /Expected change: [+−]\u2060\$[\d,.]+ revenue/,
    );
    expect(await page.textContent('[data-testid="whatif-table"] thead')).toMatch(/Incremental revenue now → after/);
    await page.goto(`${live.server.url}/channels?outcome=nps`);
    await page.waitForSelector('[data-testid="whatif-absent"]', { timeout: 90_000 });
    expect(await page.getAttribute('[data-testid="whatif-absent"] a', 'href')).toBe('/budget');
    expect(errors).toEqual([]);
  }, 180_000);
});
