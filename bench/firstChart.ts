// How long a reader waits for the first chart: Debian's Chromium (playwright-core) opens the app
// from a fresh profile, as a first visit does, and the time is the page's own clock from the start
// of navigation to the first drawn line: the heading's first sparkline, and a goal page's chart.
import { chromium } from 'playwright-core';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
    const page = await context.newPage();
    await page.goto(`${url}${path}`, { waitUntil: 'commit' });
    await page.waitForSelector(drawn, { state: 'attached', timeout: 30_000 });
    const ms = await page.evaluate(() => performance.now());
    await context.close();
    return ms;
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
