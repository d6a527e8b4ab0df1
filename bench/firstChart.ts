// How long a reader waits for the first chart: Debian's Chromium (playwright-core) opens the app
// from a fresh profile, as a first visit does, and the time is the page's own clock from the start
// of navigation to the first drawn line: the heading's first sparkline, and a goal page's chart.
// The moment is taken inside the page (a MutationObserver installed before any script runs), not
// when the test driver notices: the driver's polling and round trip added 50–400 ms to every figure.
import { chromium } from 'playwright-core';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs in the page before its own scripts: notes when `selector` first matches. A string, not a
 * function, because the bench's TypeScript loader adds helpers to functions that the page lacks.
 */
const watchFor = (selector: string) => `
  new MutationObserver(() => {
    if (window.__drawnAt === undefined && document.querySelector(${JSON.stringify(selector)}))
      window.__drawnAt = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });`;

export async function firstChart(
  url: string,
  goal: string,
  runs = 5,
): Promise<{ heading_ms: number; goal_ms: number }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const time = async (path: string, drawn: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: watchFor(drawn) });
    const page = await context.newPage();
    await page.goto(`${url}${path}`, { waitUntil: 'commit' });
    const ms = await page.waitForFunction(() => (window as unknown as { __drawnAt?: number }).__drawnAt, null, {
      timeout: 30_000,
    });
    const at = Number(await ms.jsonValue());
    await context.close();
    return at;
  };
  try {
    const heading: number[] = [];
    const chart: number[] = [];
    for (let i = 0; i < runs; i++) {
      heading.push(await time('/', '.sparkline svg path.spark-line[d^="M"]'));
      chart.push(await time(`/goals/${goal}`, 'figure.chart svg.recharts-surface .recharts-line path'));
    }
    return { heading_ms: Math.round(median(heading)), goal_ms: Math.round(median(chart)) };
  } finally {
    await browser.close();
  }
}
