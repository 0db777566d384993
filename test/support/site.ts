// What the docs site's browser tests (test/docs/site*.test.ts) share: the built site served as
// `npm start` serves it (the try-it console pointed at the run's mock), the run's Chromium, fresh
// contexts whose requests are all recorded, and every console error, page error, failed request and
// HTTP error of every page they open, each owned by the test that was running when it happened.
// Each file calls `useSite()` once at its top level: it registers the hooks that start and stop all
// this and that fail a test with problems, or the file when a request left 127.0.0.1.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { serveSite, siteDir } from '../../scripts/site/docs.js';
import type { StaticServer } from '../../scripts/site/static-server.js';
import { root } from '../docs/support.js';

export const shots = path.join(root, 'test-output', 'screenshots');
// Sized for a loaded 2-core machine: Redoc and Swagger UI parse a 570 KB spec in the page.
export const UI_TIMEOUT = 60_000;
export const TEST_TIMEOUT = 180_000;

/** One page of each kind the site has. */
export const PAGE_KINDS = [
  ['landing page', '/index.html'],
  ['guide', '/guides/pagination.html'],
  ['SDK guide', '/guides/sdk.html'],
  ['decisions', '/decisions.html'],
  ['changelog', '/changelog.html'],
  ['API reference', '/api/index.html'],
  ['SDK reference', '/sdk/functions/createPartnerClient.html'],
  ['try-it console', '/console/index.html'],
] as const;

/** Pages of a test that are independent of each other load this many at a time. */
export const TABS = 3;

/** Redoc's side menu. */
export const MENU_ITEM = '[data-component-name="Menu/MenuItem"]';
export const MENU_GROUP = `${MENU_ITEM}.menu-item-type-group`;
export const MENU_OPERATION_LINK = `${MENU_ITEM}.menu-item-type-operation > a`;

/** Polls until the value matches, with a deadline that a busy machine meets. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: UI_TIMEOUT, interval: 100 });

export function isLocal(url: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/** Runs `fn` on every item, at most `limit` at a time; resolves in the items' order. */
export async function eachLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Opens a tag group of Redoc's side menu, unless it is open already, and waits for its operations.
 * Redoc shows a group's state by its chevron (right: closed, down: open); a click on an open group
 * closes it, so only a closed one is clicked.
 */
export async function openMenuGroup(group: Locator): Promise<void> {
  const toggle = group.locator(':scope > a');
  const closed = toggle.locator('[data-component-name="icons/ChevronRightIcon/ChevronRightIcon"]');
  if ((await closed.count()) > 0) await toggle.click();
  await group.locator(MENU_OPERATION_LINK).filter({ visible: true }).first().waitFor();
}

export interface Site {
  /** The served site; set once the file's beforeAll has run. */
  readonly server: StaticServer;
  readonly browser: Browser;
  /** The first context (desktop, 1400 x 900), for tests that need no profile of their own. */
  readonly context: BrowserContext;
  /** A fresh browser profile (no stored language choice, no stored key) whose requests are all recorded. */
  newContext(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Opens a page of the site in `context` (the first one by default), its problems recorded. */
  open(pathname: string, context?: BrowserContext): Promise<Page>;
  /** Records the problems of a page opened otherwise. */
  watch(page: Page, label: string): Page;
  /** Takes the problems a test caused on purpose out of the list; returns how many there were. */
  expected(match: (problem: string) => boolean): number;
}

/**
 * Registers the file's hooks: serve the site (the console told `mockUrl`), connect to the run's
 * browser with `connect` (each file calls `connectChromium` itself, test/scripts/projects.test.ts),
 * check after each test that it caused no problem, and after all that no request left 127.0.0.1.
 */
export function useSite(opts: { mockUrl: string; connect: () => Promise<Browser> }): Site {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const requests: string[] = [];
  const problems: string[] = [];

  const site: Site = {
    get server() {
      if (!server) throw new Error('the site is not served yet (useSite\'s beforeAll has not run)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('no browser yet (useSite\'s beforeAll has not run)');
      return browser;
    },
    get context() {
      if (!contexts[0]) throw new Error('no context yet (useSite\'s beforeAll has not run)');
      return contexts[0];
    },
    async newContext(viewport = { width: 1400, height: 900 }) {
      const context = await site.browser.newContext({ viewport });
      context.setDefaultTimeout(UI_TIMEOUT);
      context.setDefaultNavigationTimeout(UI_TIMEOUT);
      context.on('request', (req) => requests.push(req.url()));
      contexts.push(context);
      return context;
    },
    watch(page, label) {
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error on ${label}: ${msg.text()} (${msg.location().url})`);
      });
      page.on('pageerror', (err) => problems.push(`page error on ${label}: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`failed request on ${label}: ${req.url()}`));
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()} on ${label}: ${res.url()}`);
      });
      return page;
    },
    async open(pathname, context) {
      const page = site.watch(await (context ?? site.context).newPage(), pathname);
      await page.goto(`${site.server.url}${pathname}`, { waitUntil: 'load' });
      return page;
    },
    expected(match) {
      const kept = problems.filter((p) => !match(p));
      const removed = problems.length - kept.length;
      problems.splice(0, problems.length, ...kept);
      return removed;
    },
  };

  beforeAll(async () => {
    if (!existsSync(path.join(siteDir, 'api', 'index.html'))) {
      throw new Error('generated/site/api/index.html is missing: run `npm run generate` first');
    }
    await mkdir(shots, { recursive: true });
    // As `npm start` serves it: the console is told the URL of the running mock.
    server = await serveSite({ port: 0, mockUrl: opts.mockUrl });
    browser = await opts.connect();
    await site.newContext();
  }, 240_000);

  afterEach(() => {
    // Each test owns the problems it caused.
    const found = problems.splice(0);
    expect(found).toEqual([]);
  });

  afterAll(async () => {
    // A page kept open across tests (a file's shared page) reports here what happened after the last test.
    const late = problems.splice(0);
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    expect(late).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !isLocal(u))).toEqual([]);
  }, 60_000);

  return site;
}
