// Figures a reader can trust at a glance, in a real browser at desktop and phone size: each goal
// card says how the latest period moved against the one before (in words, not colour alone), and
// lifts follow the reader's locale like the money beside them.
import { afterAll, describe, expect, it } from 'vitest';
import { browserAndServer, seriousA11yViolations, Tabs } from '../helpers/browser.ts';
import { TEST_TOKENS } from '../helpers/server.ts';

const live = browserAndServer();
// One kept tab per size for the tests that only visit (test/helpers/browser.ts).
const tabs = new Tabs(() => live.browser);
afterAll(() => tabs.close());

const SIZES = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

type Goal = {
  id: string;
  unit: string;
  direction: 'up' | 'down';
  series: Array<{ period: string; value: number | null; complete: boolean }>;
};

describe('readability', () => {
  for (const size of SIZES)
    it(`${size.name}: every card says the change since the period before, better or worse`, async () => {
      const goals: Goal[] = (await live.server.call('GET', '/api/goals')).body.goals;
      const page = await (
        await live.browser.newContext({ viewport: size, bypassCSP: true, locale: 'en-US' })
      ).newPage();
      try {
        await page.goto(`${live.server.url}/`);
        await page.waitForSelector('[data-testid="goal-card"]');
        const shown = Object.fromEntries(
          await page.$$eval('[data-testid="goal-card"]', (cards) =>
            cards.map((c) => [c.getAttribute('data-goal'), c.querySelector('[data-testid="since-last"]')?.textContent]),
          ),
        );
        let checked = 0;
        for (const g of goals) {
          const done = g.series.filter((p) => p.complete && p.value !== null);
          if (done.length < 2) continue;
          const [prev, last] = done.slice(-2) as [(typeof done)[0], (typeof done)[0]];
          const delta = last.value! - prev.value!;
          const word = delta === 0 ? 'unchanged' : delta > 0 === (g.direction === 'up') ? 'better' : 'worse';
          expect(shown[g.id], g.id).toMatch(new RegExp(` since \\w{3} \\d{4} \\(${word}\\)$`));
          if (g.unit === 'ratio') {
            const points = Math.round(delta * 1000) / 10;
            if (points !== 0) expect(shown[g.id]).toContain(`${points > 0 ? '+' : '−'}${Math.abs(points)} pts`);
          }
          // A score (NPS) moves by its difference in points, never by a percentage of a number near zero.
          if (g.unit === 'score') {
            const diff = Math.round(delta * 10) / 10;
            expect(shown[g.id]).toMatch(new RegExp(`^${diff > 0 ? '\\+' : '−'}${Math.abs(diff)} pts since`));
          }
          checked++;
        }
        expect(checked).toBeGreaterThanOrEqual(6);
        expect(await seriousA11yViolations(page)).toEqual([]);
      } finally {
        await page.context().close();
      }
    }, 60_000);

  it('under de-DE the lifts use a decimal comma, like the money beside them', async () => {
    const page = await (await live.browser.newContext({ viewport: SIZES[0]!, locale: 'de-DE' })).newPage();
    try {
      await page.goto(`${live.server.url}/channels`);
      await page.waitForSelector('[data-testid="channel-table"] tbody tr');
      const text = await page.textContent('[data-testid="channel-table"] tbody');
      expect(text).toMatch(/[+−±]\d+,\d pts/);
      expect(text).not.toMatch(/[+−±]\d+\.\d pts/);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});

describe('the definition editor', () => {
  for (const size of SIZES)
    it(`${size.name}: line numbers match the checker's, the bad line marked; a saved new metric opens`, async () => {
      const context = await live.browser.newContext({ viewport: size, bypassCSP: true });
      await context.addInitScript((token) => localStorage.setItem('bearing-token', token), TEST_TOKENS.analyst);
      const page = await context.newPage();
      const name = `typed_in_${size.name}`;
      try {
        await page.goto(`${live.server.url}/metrics/new`);
        await page.waitForSelector('[data-testid="problems"] .ok-text');
        // A description longer than the box: it must not wrap, or every line number below it would be off.
        const long = 'What it measures, said at length so the line is far wider than a phone. '.repeat(3).trim();
        const broken =
          `name: ${name}\nlabel: Typed in\ndescription: ${long}\nunit: count\ndirection: up\ntable: orders\n` +
          'time: ordered_at\nmeasure: sum(amout)\n';
        await page.fill('#definition-yaml', broken);
        await page.waitForSelector('[data-testid="problems"] .problems li');
        expect(await page.textContent('[data-testid="problems"] .problems li')).toMatch(/^Line 8, column 14: measure/);
        expect(
          await page.$$eval('[data-testid="gutter"] .bad', (d) => d.map((x) => x.getAttribute('data-line'))),
        ).toEqual(['8']);
        // Line 8 of the gutter sits level with line 8 of the text.
        const [gutterTop, textTop, lineHeight] = await page.evaluate(() => {
          const row = document.querySelector('[data-testid="gutter"] [data-line="8"]')!.getBoundingClientRect().top;
          const area = document.querySelector('#definition-yaml') as HTMLTextAreaElement;
          const style = getComputedStyle(area);
          const top = area.getBoundingClientRect().top + Number.parseFloat(style.paddingTop);
          return [row, top + 7 * Number.parseFloat(style.lineHeight), Number.parseFloat(style.lineHeight)];
        });
        expect(Math.abs(gutterTop - textTop)).toBeLessThan(lineHeight / 2);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
        await page.fill('#definition-yaml', broken.replace('amout', 'amount'));
        await page.waitForSelector('[data-testid="problems"] .ok-text');
        await page.click(`button:has-text("Save ${name}.yaml")`);
        await page.waitForURL(new RegExp(`/metrics/${name}$`));
        await page.waitForSelector('h1:has-text("Typed in")');
        expect(await seriousA11yViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);
});

describe('unfinished periods', () => {
  for (const size of SIZES)
    it(`${size.name}: a breakdown leaves the unfinished quarter out and says so`, async () => {
      const { page } = await tabs.get({ viewport: size });
      await page.goto(`${live.server.url}/metrics/revenue?grain=quarter&by=segment`);
      await page.waitForSelector('[data-testid="breakdown-caption"]');
      expect(await page.textContent('[data-testid="breakdown-caption"]')).toMatch(
        /Oct 2026 is not finished yet and left out until complete\.$/,
      );
    }, 60_000);
});

describe('sign-in prompts on write forms', () => {
  for (const size of SIZES)
    it(`${size.name}: saving a definition without a token says how to sign in, not "401"`, async () => {
      const { page } = await tabs.get({ viewport: size });
      await page.goto(`${live.server.url}/metrics/new`);
      await page.waitForSelector('[data-testid="problems"] .ok-text');
      await page.click('button:has-text("Save my_metric.yaml")');
      const alert = await page.waitForSelector('.editor [role="alert"]');
      expect(await alert.textContent()).toBe(
        'This needs an analyst token: sign in (top right) with one and try again.',
      );
    }, 60_000);
});

describe('axis titles', () => {
  for (const size of SIZES)
    it(`${size.name}: no axis title overlaps a tick label on the series and goal charts`, async () => {
      const { page } = await tabs.get({ viewport: size });
      for (const path of ['/metrics/revenue?grain=quarter', '/metrics/revenue?grain=week', '/goals/retention-90d']) {
        await page.goto(`${live.server.url}${path}`);
        await page.waitForSelector('figure.chart .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
        const found = await page.$$eval('figure.chart svg.recharts-surface', (charts) =>
          charts.map((chart) => {
            const titles = [...chart.querySelectorAll('.recharts-label')].map((t) => t.getBoundingClientRect());
            const ticks = [...chart.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((t) =>
              t.getBoundingClientRect(),
            );
            const hit = (a: DOMRect, b: DOMRect) =>
              a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            return { titles: titles.length, overlaps: titles.filter((t) => ticks.some((k) => hit(t, k))).length };
          }),
        );
        expect(
          found.some((f) => f.titles > 0),
          path,
        ).toBe(true);
        expect(
          found.map((f) => f.overlaps),
          path,
        ).toEqual(found.map(() => 0));
      }
    }, 60_000);
});
