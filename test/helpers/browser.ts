// Debian's Chromium driven by playwright-core (no browser download), with the flags this
// machine's closed network needs.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.ts';

export const SCREENSHOTS = 'test-output';
const require = createRequire(import.meta.url);

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  errors: string[];
}

export async function openPage(browser: Browser): Promise<WatchedPage> {
  // bypassCSP only so the test can inject axe; the app itself runs under the real CSP headers.
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

export async function seriousA11yViolations(page: Page): Promise<string[]> {
  return a11yViolations(page, ['serious', 'critical']);
}

/** Every axe violation, whatever its impact (minor and moderate too). */
export const allA11yViolations = (page: Page) => a11yViolations(page, ['minor', 'moderate', 'serious', 'critical']);

async function a11yViolations(page: Page, impacts: string[]): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map(
      (v) =>
        `${v.id} (${v.impact}) at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

/**
 * A browser and a server with the web app for a whole test file (or describe): started before its
 * tests, closed after them. Read `browser` and `server` inside the tests.
 */
export function browserAndServer(): { readonly browser: Browser; readonly server: TestServer } {
  const live = {} as { browser: Browser; server: TestServer };
  beforeAll(async () => {
    live.browser = await launchBrowser();
    live.server = await startTestServer({ web: true });
  }, 60_000);
  afterAll(async () => {
    await live.browser?.close();
    await live.server?.close();
  });
  return live;
}
