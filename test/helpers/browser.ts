// Debian's Chromium driven by playwright-core (no browser download), with the flags this
// machine's closed network needs.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.ts';

export const SCREENSHOTS = 'test-output';
const require = createRequire(import.meta.url);

// Debian's headless shell (package chromium-headless-shell, the same engine without the desktop
// browser around it) where installed: about a quarter less CPU a page than `chromium --headless`
// (the 11 browser test files: 186 → 146 s of browser CPU), which the suite's two cores are short of.
// The full browser otherwise; the bench's first-chart timing always uses the full browser, as a user would.
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(process.env.CHROME_EXTRA ? process.env.CHROME_EXTRA.split(' ') : []),
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

export interface TabOptions {
  viewport?: { width: number; height: number };
  /** A role's token in local storage before the app's code runs, on every load. */
  token?: string;
  locale?: string;
  timezoneId?: string;
}

/**
 * One tab per kind of visit (viewport, token, locale, time zone) for a whole test file, each visit a
 * page load in it. A new page cost Chromium about 3.3 s of CPU here (a renderer process started,
 * the app's code compiled again), a load in a kept one about 0.5 s: nine of the app's pages, 30 s
 * against 4.5 s (docs/performance.md). Every visit is a full load, as from a link or a bookmark:
 * the app keeps nothing in memory between them, and local and session storage are cleared, so a
 * visit sees only what the server holds. A test that leaves the page changed in a way a load does
 * not undo (a fixed clock, routes, listeners of its own) opens its own page instead.
 */
export class Tabs {
  private readonly tabs = new Map<string, Promise<{ page: Page; errors: { current: string[] } }>>();
  constructor(private readonly browser: () => Browser) {}

  /** The kept tab of these options, cleared, with a fresh list of its console errors. */
  async get(options: TabOptions = {}): Promise<WatchedPage> {
    const { width, height } = options.viewport ?? { width: 1280, height: 900 };
    const viewport = { width, height };
    const key = JSON.stringify([viewport, options.token ?? null, options.locale ?? null, options.timezoneId ?? null]);
    let tab = this.tabs.get(key);
    if (!tab) {
      tab = this.open({ ...options, viewport });
      this.tabs.set(key, tab);
    }
    const { page, errors } = await tab;
    if (page.url().startsWith('http'))
      await page.evaluate(() => {
        localStorage.clear();
        sessionStorage.clear();
      });
    // No stop at about:blank between visits: the app's pages send Cross-Origin-Opener-Policy, so
    // leaving one for about:blank and coming back each started a new renderer process (two per
    // visit, about 0.7 s of CPU each); the next visit's load replaces the page just the same.
    await page.setViewportSize(viewport);
    await page.emulateMedia({ media: null });
    errors.current = [];
    return { page, errors: errors.current };
  }

  private async open(options: TabOptions & { viewport: { width: number; height: number } }) {
    // bypassCSP only so the test can inject axe; the app itself runs under the real CSP headers.
    const context = await this.browser().newContext({
      bypassCSP: true,
      viewport: options.viewport,
      acceptDownloads: true,
      locale: options.locale,
      timezoneId: options.timezoneId,
    });
    if (options.token)
      await context.addInitScript((token) => {
        if (location.protocol.startsWith('http')) localStorage.setItem('bearing-token', token);
      }, options.token);
    const page = await context.newPage();
    const errors = { current: [] as string[] };
    page.on('console', (m) => {
      if (m.type() === 'error') errors.current.push(m.text());
    });
    page.on('pageerror', (e) => errors.current.push(e.message));
    return { page, errors };
  }

  async close(): Promise<void> {
    for (const tab of this.tabs.values()) await (await tab.catch(() => undefined))?.page.context().close();
    this.tabs.clear();
  }
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
