// One date range for the metric and goal pages, in a real browser at desktop and phone size: chosen
// once, it follows the reader from page to page and into links; each page compares it with the
// period before or a year before, in figures computed here from the API's own answers.
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAndServer, Tabs } from '../helpers/browser.ts';

const live = browserAndServer();
// One kept tab per size, each visit a full load with storage cleared (test/helpers/browser.ts).
const tabs = new Tabs(() => live.browser);
afterAll(() => tabs.close());

const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

type Row = { period: string; value: number | null; complete: boolean };
const RANGE = 'form[aria-label="Date range"]';
const money = (v: number) => `$${Math.round(v).toLocaleString('en-US')}`;
const month = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' });
const addMonths = (iso: string, n: number) => {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 10);
};
const rows = async (query: string): Promise<Row[]> =>
  (await live.server.call('GET', `/api/metrics/revenue/series?${query}`)).body.rows;
const finishedTotal = (xs: Row[]) => xs.filter((r) => r.complete && r.value !== null).reduce((a, r) => a + r.value!, 0);

async function freshPage(size: (typeof SIZES)[number]): Promise<Page> {
  return (await tabs.get({ viewport: { width: size.width, height: size.height }, locale: 'en-US' })).page;
}

describe('the shared date range', () => {
  for (const size of SIZES)
    it(`${size.name}: a metric's range beside the period before, in words and drawn`, async () => {
      const now = finishedTotal(await rows('grain=month&from=2026-01-01&to=2026-06-30'));
      const before = finishedTotal(await rows('grain=month&from=2025-07-01&to=2025-12-31'));
      const change = Math.round(((now - before) / before) * 1000) / 10;
      const page = await freshPage(size);
      await page.goto(`${live.server.url}/metrics/revenue?range=custom&from=2026-01-01&to=2026-06-30`);
      await page.waitForSelector('figure.chart svg.recharts-surface');
      await page.selectOption(`${RANGE} label:has-text("Compare with") select`, 'previous');
      const text = await (await page.waitForSelector('[data-testid="previous-period"]')).textContent();
      expect(text).toBe(
        `This range’s total: ${money(now)}; the period before (Jul 1, 2025 to Dec 31, 2025): ` +
          `${money(before)} — ` +
          `${change > 0 ? '+' : '-'}${Math.abs(change)}%. Over the 6 of 6 periods finished on both sides.`,
      );
      expect(page.url()).toContain('compare=previous');
      await page.waitForSelector('figure.chart .recharts-line.previous path.recharts-curve', { state: 'attached' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      // A new range keeps the chart on screen (marked as updating) until the new answer comes.
      await page.evaluate(() => {
        const w = window as unknown as { chartGone: boolean };
        w.chartGone = false;
        new MutationObserver(() => {
          if (!document.querySelector('figure.chart')) w.chartGone = true;
        }).observe(document.body, { subtree: true, childList: true });
      });
      await page.fill(`${RANGE} label:has-text("From") input`, '2026-03-01');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="series-caption"]')?.textContent?.includes(': 4 periods'),
      );
      expect(await page.evaluate(() => (window as unknown as { chartGone: boolean }).chartGone)).toBe(false);
    }, 60_000);

  it('follows the reader from a metric to a goal and back, and into the links', async () => {
    const asOf: string = (await live.server.call('GET', '/api/health')).body.as_of;
    const from = addMonths(asOf, -5);
    const page = await freshPage(SIZES[0]!);
    await page.goto(`${live.server.url}/metrics/nps`);
    await page.waitForSelector('figure.chart svg.recharts-surface');
    await page.selectOption(`${RANGE} label:has-text("Range") select`, '6m');
    await page.selectOption(`${RANGE} label:has-text("Compare with") select`, 'year');
    await page.waitForURL(/range=6m.*compare=year|compare=year.*range=6m/);
    expect(await page.textContent('[data-testid="range-text"]')).toMatch(
      /^\w{3} 1, \d{4} to \w{3} \d+, \d{4} \(the latest data\)/,
    );
    // To a goal through the app's own links: the goal page opens in the same range.
    await page.click('nav >> text=Heading');
    await page.click('[data-testid="goal-card"][data-goal="retention-90d"] a');
    await page.waitForURL(/\/goals\/retention-90d\?.*range=6m/);
    expect(page.url()).toContain('compare=year');
    expect(await page.inputValue(`${RANGE} label:has-text("Range") select`)).toBe('6m');
    expect(await page.textContent('[data-testid="goal-caption"]')).toContain(`Drawn from ${month(from)}`);
    // The goal's months in range against the same months a year before, from the API's series.
    const goal = (await live.server.call('GET', '/api/goals/retention-90d')).body as {
      series: Row[];
      direction: 'up' | 'down';
    };
    const byMonth = new Map(goal.series.map((p) => [p.period.slice(0, 7), p]));
    const pairs = goal.series
      .filter((p) => p.period.slice(0, 7) >= from.slice(0, 7) && p.period.slice(0, 7) <= asOf.slice(0, 7))
      .map((p) => [p, byMonth.get(addMonths(p.period, -12).slice(0, 7))] as const)
      .filter(([p, q]) => p.complete && p.value !== null && q?.complete && q.value !== null);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [recent, earlier] = [mean(pairs.map(([p]) => p.value!)), mean(pairs.map(([, q]) => q!.value!))];
    const pts = Math.round((recent - earlier) * 1000) / 10;
    const text = await page.textContent('[data-testid="goal-previous"]');
    const sentence = "^This range's average: [\\d.]+%; a year before \\(\\w{3} \\d{4} to \\w{3} \\d{4}\\): [\\d.]+% — ";
    expect(text).toMatch(new RegExp(sentence));
    if (pts !== 0) expect(text).toContain(`${pts > 0 ? '+' : '−'}${Math.abs(pts)} pts`);
    expect(text).toContain(recent > earlier === (goal.direction === 'up') ? 'toward the target' : 'away from');
    expect(text).toContain(`Over the ${pairs.length} of `);
    // A link opened without a range takes the remembered one into its address.
    await page.goto(`${live.server.url}/metrics/revenue`);
    await page.waitForURL(/range=6m/);
    await page.waitForSelector('figure.chart .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value', {
      state: 'attached',
    });
    const shown = await page.$$eval(
      'figure.chart .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value',
      (ticks) => ticks.map((t) => t.textContent),
    );
    expect(shown[0]).toBe(month(from));
    // Back to all time: nothing is carried any more.
    await page.selectOption(`${RANGE} label:has-text("Range") select`, 'all');
    await page.selectOption(`${RANGE} label:has-text("Compare with") select`, '');
    await page.goto(`${live.server.url}/goals/retention-90d`);
    await page.waitForSelector('[data-testid="goal-caption"]');
    expect(page.url()).not.toContain('range=');
    expect(await page.textContent('[data-testid="goal-caption"]')).not.toContain('Drawn from');
  }, 90_000);

  it('an unfinished period drops from both sides of a comparison; dates the wrong way round are named', async () => {
    const asOf: string = (await live.server.call('GET', '/api/health')).body.as_of;
    const from = addMonths(asOf, -2);
    const weeks = await rows(`grain=week&from=${from}&to=${asOf}`);
    const unfinished = weeks.filter((r) => !r.complete).length;
    const page = await freshPage(SIZES[0]!);
    await page.goto(`${live.server.url}/metrics/revenue?grain=week&range=3m&compare=previous`);
    const text = await (await page.waitForSelector('[data-testid="previous-period"]')).textContent();
    expect(text).toContain(`This range’s total: ${money(finishedTotal(weeks))};`);
    expect(text).toContain(`Over the ${weeks.length - unfinished} of ${weeks.length} periods`);
    await page.goto(`${live.server.url}/metrics/revenue?range=custom&from=2026-06-01&to=2026-01-01`);
    expect(await (await page.waitForSelector(`${RANGE} [role="alert"]`)).textContent()).toContain(
      'From (2026-06-01) is after To (2026-01-01)',
    );
    expect(await page.$('.state.error')).toBeNull();
  }, 60_000);
});

describe('the metric chart', () => {
  it('keeps every row-count bar inside the plot, the first and the last included', async () => {
    const page = await freshPage(SIZES[0]!);
    await page.goto(`${live.server.url}/metrics/revenue?grain=quarter&range=12m`);
    await page.waitForSelector('.recharts-bar-rectangle path, .recharts-bar-rectangle rect', { timeout: 60_000 });
    const plot = await page.locator('.recharts-cartesian-grid').first().boundingBox();
    const bars = await page.$$eval('.recharts-bar-rectangle', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right };
      }),
    );
    expect(bars.length).toBeGreaterThan(1);
    for (const b of bars) {
      expect(b.left).toBeGreaterThanOrEqual(plot!.x - 0.5);
      expect(b.right).toBeLessThanOrEqual(plot!.x + plot!.width + 0.5);
    }
  }, 60_000);
});
