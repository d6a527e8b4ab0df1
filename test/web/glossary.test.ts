// Statistical words explained where they appear: focusing "q-value" on the Channels page shows its
// one line, the Mix table's mROI header carries its own, and /glossary lists every word.
import { afterAll, describe, expect, it } from 'vitest';
import { GLOSSARY } from '../../web/src/lib/glossary.ts';
import { browserAndServer, seriousA11yViolations, Tabs } from '../helpers/browser.ts';

const live = browserAndServer();
// One kept tab for the file, each visit a full load with storage cleared (test/helpers/browser.ts).
const tabs = new Tabs(() => live.browser);
afterAll(() => tabs.close());

describe('words explained', () => {
  it('a word shows its meaning on focus, and the glossary lists every word', async () => {
    const { page, errors } = await tabs.get();
    await page.goto(`${live.server.url}/channels`);
    await page.waitForSelector('[data-testid="term-list"]', { timeout: 90_000 });
    const word = page.locator('[data-testid="term-list"] .term-word', { hasText: 'q-value' });
    const tip = page.locator('[data-testid="term-list"] .term', { hasText: 'q-value' }).locator('[role="tooltip"]');
    expect(await tip.isVisible()).toBe(false);
    await word.focus();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe(GLOSSARY['q-value'].short);
    // The word is described by its tooltip for screen readers too.
    expect(await word.getAttribute('aria-describedby')).toBe(await tip.getAttribute('id'));
    expect(await seriousA11yViolations(page)).toEqual([]);
    // On a phone, no open tip widens the page, whichever word it belongs to.
    await page.setViewportSize({ width: 390, height: 844 });
    // The charts follow a new width when their resize observers fire, a frame or more later (on a busy
    // machine the page still read 1,155 px wide just after the resize): wait until the page itself fits.
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { timeout: 30_000 });
    const words = page.locator('[data-testid="term-list"] .term-word');
    for (let i = 0; i < (await words.count()); i++) {
      await words.nth(i).focus();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `word ${i}`).toBeLessThanOrEqual(390);
    }
    await page.click('[data-testid="term-list"] a[href="/glossary"]');
    await page.waitForSelector('[data-testid="glossary"]');
    const terms = await page.$$eval('[data-testid="glossary"] dt', (d) => d.map((x) => x.textContent));
    expect(terms).toEqual(Object.values(GLOSSARY).map((e) => e.term));
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('each page opens with what it is for in a decision', async () => {
    const { page, errors } = await tabs.get();
    const opening: Record<string, RegExp> = {
      '/channels': /^Which channels change what customers do, and what each change costs/,
      '/mix': /^Where the next dollar of TV, OOH, print or search returns most/,
      '/budget': /^Every channel in money on one KPI, and what moving money between them would do/,
      '/metrics': /^What every number on the other pages means/,
      '/digest': /^Which goals changed course since a date, and why/,
      '/data': /^Whether the numbers are fresh enough to decide on/,
    };
    for (const [path, words] of Object.entries(opening)) {
      await page.goto(`${live.server.url}${path}`);
      const first = page.locator('main h1 ~ p, main .page-head ~ p.intro, main .page-head p').first();
      await first.waitFor({ timeout: 90_000 });
      expect((await first.textContent())!.trim().replace(/\s+/g, ' '), path).toMatch(words);
    }
    expect(errors).toEqual([]);
  }, 180_000);
});
