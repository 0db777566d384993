// The built docs site (generated/site, from `npm run generate`) in Debian's headless Chromium, served
// as `npm start` serves it (the try-it console pointed at the test run's mock): every operation of
// the bundled spec is in the API reference's navigation, search finds an operation by its summary,
// a person can switch any operation's sample to TypeScript and read it, the console sends requests
// to the mock and shows what came back, guides and the SDK reference are linked both ways, and no
// request leaves 127.0.0.1, no console error. (Playwright gives Chromium a fresh temporary profile.)
// Screenshots go to test-output/screenshots/.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditSite, findRemoteResources, listGuides, redocRoute, serveSite, siteDir, specTextUrls } from '../../scripts/site/docs.js';
import type { StaticServer } from '../../scripts/site/static-server.js';
import { connectChromium } from '../support/browser.js';
import { loadSpec, operations, type Operation } from '../support/spec.js';
import { root, TEST_ENV } from './support.js';

const shots = path.join(root, 'test-output', 'screenshots');
// axe-core (pinned in package.json) is injected from node_modules: no network.
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** One page of each kind the site has. */
const PAGE_KINDS = [
  ['landing page', '/index.html'],
  ['guide', '/guides/pagination.html'],
  ['SDK guide', '/guides/sdk.html'],
  ['decisions', '/decisions.html'],
  ['changelog', '/changelog.html'],
  ['API reference', '/api/index.html'],
  ['SDK reference', '/sdk/functions/createPartnerClient.html'],
  ['try-it console', '/console/index.html'],
] as const;
const doc = loadSpec();
const ops = operations(doc);
const webhookNames = Object.keys((doc.webhooks ?? {}) as object);
const mockUrl = inject('mockUrl');

// Sized for a loaded 2-core machine: Redoc and Swagger UI parse a 570 KB spec in the page.
const UI_TIMEOUT = 60_000;
const TEST_TIMEOUT = 180_000;

let server: StaticServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const requests: string[] = [];
const problems: string[] = [];

function isLocal(url: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/** Polls until the value matches, with a deadline that a busy machine meets. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: UI_TIMEOUT, interval: 100 });

/** A fresh browser profile (no stored language choice, no stored key) whose requests are all recorded. */
async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(UI_TIMEOUT);
  context.on('request', (req) => requests.push(req.url()));
  contexts.push(context);
  return context;
}

async function open(pathname: string, context?: BrowserContext): Promise<Page> {
  const page = await (context ?? contexts[0]!).newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${pathname}: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${pathname}: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`failed request on ${pathname}: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} on ${pathname}: ${res.url()}`);
  });
  await page.goto(`${server.url}${pathname}`, { waitUntil: 'load' });
  return page;
}

/** Takes the problems a test caused on purpose out of the list; returns how many there were. */
function expected(match: (problem: string) => boolean): number {
  const kept = problems.filter((p) => !match(p));
  const removed = problems.length - kept.length;
  problems.splice(0, problems.length, ...kept);
  return removed;
}

/** Opens every tag group of Redoc's side menu in turn and returns the link of every operation item seen. */
async function menuOperationLinks(page: Page): Promise<string[]> {
  const groups = page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group');
  await groups.first().waitFor();
  const operationLinks = '[data-component-name="Menu/MenuItem"].menu-item-type-operation > a';
  const links = new Set<string>();
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    const toggle = group.locator(':scope > a');
    // This group's own operations (those of groups opened before are already on screen).
    const own = group.locator(operationLinks);
    const shown = own.filter({ visible: true });
    await toggle.click();
    // A click closes a group that was already open (Redoc opens the one the URL points at): click
    // again until its operations show, slowly enough for a busy machine to render in between.
    await expect
      .poll(async () => {
        if ((await shown.count()) === 0) await toggle.click();
        return shown.count();
      }, { timeout: UI_TIMEOUT, interval: 2_000 })
      .toBeGreaterThan(0);
    for (const href of await own.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))) links.add(href);
  }
  return [...links];
}

/** Two operations of one API: the first, and the first with both a body and a path parameter (or a body). */
function sampleOperations(api: Operation['api']): Operation[] {
  const own = ops.filter((op) => op.api === api);
  const withBody = own.find((op) => op.hasRequestBody && op.path.includes('{')) ?? own.find((op) => op.hasRequestBody);
  return [...new Set([own[0], withBody].filter((op): op is Operation => op !== undefined))];
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The Swagger UI operation block of an operation, found by the operationId it shows. */
function consoleOperation(page: Page, op: Operation): Locator {
  return page.locator('.opblock').filter({ has: page.getByText(op.operationId, { exact: true }) });
}

/** Sends an operation from the console as a person does; returns what it shows under "Server response". */
async function executeInConsole(page: Page, op: Operation): Promise<{ status: string; headers: string; body: string }> {
  const tag = String((op.op.tags as string[])[0]);
  const block = consoleOperation(page, op);
  if (!(await block.isVisible())) await page.locator('.opblock-tag').filter({ has: page.getByText(tag, { exact: true }) }).first().click();
  if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').click();
  // Once open, the block offers "Try it out", or "Cancel" when it is already in try-it mode.
  await block.getByRole('button', { name: /^(Try it out|Cancel)$/ }).waitFor();
  const tryIt = block.getByRole('button', { name: 'Try it out' });
  if (await tryIt.isVisible()) await tryIt.click();
  // The answer to an earlier send goes first, so what is read below is this send's.
  const clear = block.getByRole('button', { name: 'Clear' });
  if (await clear.isVisible()) {
    await clear.click();
    await block.locator('.live-responses-table').waitFor({ state: 'detached' });
  }
  await block.getByRole('button', { name: 'Execute' }).click();
  const live = block.locator('.live-responses-table tbody');
  const status = live.locator('.response-col_status').first();
  await status.waitFor();
  const section = (title: string): Locator => live.locator('div', { has: page.locator('h5', { hasText: title }) }).locator('pre').first();
  return { status: (await status.innerText()).trim(), headers: await section('Response headers').innerText(), body: await section('Response body').innerText() };
}

beforeAll(async () => {
  if (!existsSync(path.join(siteDir, 'api', 'index.html'))) {
    throw new Error('generated/site/api/index.html is missing: run `npm run generate` first');
  }
  await mkdir(shots, { recursive: true });
  // As `npm start` serves it: the console is told the URL of the running mock.
  server = await serveSite({ port: 0, mockUrl });
  browser = await connectChromium(inject('chromiumWsEndpoint'));
  await newContext();
}, 240_000);

afterEach(() => {
  // Each test owns the problems it caused.
  const found = problems.splice(0);
  expect(found).toEqual([]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => !isLocal(u))).toEqual([]);
}, 60_000);

describe('docs site (generated/site) in headless Chromium', { timeout: TEST_TIMEOUT }, () => {
  it('the landing page links the API reference, the console, the SDK reference, the spec and every guide, all served', async () => {
    const page = await open('/');
    await poll(() => page.title()).toBe('Bullseye API documentation');
    const links = await page.locator('main a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    const guides = await listGuides();
    expect(links).toEqual(
      expect.arrayContaining([
        'api/index.html',
        'console/index.html',
        'sdk/index.html',
        'guides/sdk.html',
        'openapi.json',
        'openapi.yaml',
        ...guides.map((g) => `guides/${g.page}`),
      ]),
    );
    for (const link of new Set(links)) {
      const res = await page.request.get(new URL(link, `${server.url}/`).href);
      expect(res.status(), link).toBe(200);
    }
    await page.screenshot({ path: path.join(shots, 'landing.png'), fullPage: true });
    await page.close();
  });

  it('the API reference lists every operation of generated/openapi.json in its navigation, and links the console', async () => {
    const page = await open('/api/index.html');
    const links = await menuOperationLinks(page);
    const slugs = new Set(links.map((href) => href.split('/').pop()?.toLowerCase()));
    const missing = ops.filter((op) => !slugs.has(op.operationId.toLowerCase())).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(missing).toEqual([]);
    // Operations plus webhooks, each listed once.
    expect(new Set(links).size).toBe(ops.length + webhookNames.length);
    // Each has a static preview for a shared link, under exactly the route Redoc gives it.
    const previews = await page.locator('.op-preview').evaluateAll((els) => els.map((e) => `#${e.getAttribute('data-preview-route')}`));
    expect(previews.sort()).toEqual([...new Set(links)].sort());
    // The introduction's sections are in the navigation too.
    for (const section of ['Authentication', 'Scopes', 'Rate limits', 'Errors', 'Pagination', 'Webhooks']) {
      await poll(() => page.locator('[data-component-name="Menu/MenuItem"]', { hasText: section }).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(shots, 'api-navigation.png') });
    // The introduction sends readers to the console.
    const consoleLink = page.getByRole('link', { name: 'try-it console' }).first();
    const href = new URL((await consoleLink.getAttribute('href')) ?? '', page.url());
    expect(href.pathname).toBe('/console/index.html');
    expect((await page.request.get(href.href)).status()).toBe(200);
    await page.close();
    // 18 tag groups are opened one by one: 1–3 s each on a loaded 2-core machine.
  }, 90_000);

  it('search finds an operation by its summary and opens it, with its code samples visible', async () => {
    const summaries = ops.map((op) => String(op.op.summary ?? ''));
    const target = ops.find((op, i) => summaries[i] && summaries.filter((s) => s === summaries[i]).length === 1 && op.hasRequestBody) ?? ops[0]!;
    const summary = String(target.op.summary);
    const page = await open('/api/index.html');
    await page.locator('[data-testid="search-trigger"]').click();
    const input = page.getByPlaceholder('Search docs...');
    await input.fill(summary);
    const result = page.locator('[data-component-name="Search/SearchItem"]', { hasText: target.path }).first();
    await result.waitFor();
    await poll(() => result.innerText()).toContain(summary.split(' ').slice(0, 3).join(' '));
    await page.screenshot({ path: path.join(shots, 'search.png') });
    await result.click();
    await poll(() => page.url()).toMatch(new RegExp(`/${target.operationId.toLowerCase()}$`));
    const curl = page.getByText(`curl --request ${target.method.toUpperCase()}`).first();
    await curl.waitFor({ state: 'visible' });
    expect(await curl.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'operation-samples.png') });
    await page.close();
  });

  it('a person picks TypeScript above the sample and reads the SDK call, for operations of both APIs, the copy button clear of the code', async () => {
    const page = await open('/api/index.html', await newContext());
    const checked: string[] = [];
    for (const op of [...sampleOperations('partner'), ...sampleOperations('organization')]) {
      const factory = op.api === 'partner' ? 'createPartnerClient' : 'createOrganizationClient';
      // As a person gets there: the operation's group in the side menu, then the operation.
      const tag = String((op.op.tags as string[])[0]);
      const link = page.locator(`[data-component-name="Menu/MenuItem"].menu-item-type-operation > a[href$="/${op.operationId.toLowerCase()}"]`);
      if (!(await link.isVisible())) {
        await page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a').filter({ has: page.getByText(tag, { exact: true }) }).first().click();
      }
      await link.click();
      const section = page.locator(`[data-section-id$="/${op.operationId.toLowerCase()}"]`).first();
      const panel = section.locator('.panel-request-samples').first();
      await panel.scrollIntoViewIfNeeded();
      // The language menu above the sample, then TypeScript.
      await panel.getByRole('button', { name: /^(curl|TypeScript|Payload)$/ }).click();
      await page.getByRole('menuitem', { name: 'TypeScript', exact: true }).click();
      const code = panel.locator('pre').first();
      await poll(() => code.innerText()).toContain(`${factory}(`);
      const text = await code.innerText();
      expect(text, op.operationId).toContain(`import { ${factory} } from '@bullseye/api';`);
      expect(text, op.operationId).toContain(`client.${op.method.toUpperCase()}('${op.path}'`);
      expect(await code.isVisible()).toBe(true);
      // Long lines wrap: nothing of the call is hidden past the panel's edge.
      expect(await code.evaluate((e) => e.scrollWidth <= e.clientWidth), `${op.operationId}: the sample scrolls sideways`).toBe(true);
      // Nothing of the code is under the copy button.
      const copy = panel.locator('[data-component-name="CodeBlock/CodeBlock"] [data-testid="copy-button"]').first();
      const [codeBox, copyBox] = [await code.boundingBox(), await copy.boundingBox()];
      expect(codeBox && copyBox, op.operationId).toBeTruthy();
      expect(overlaps(codeBox!, copyBox!), `${op.operationId}: the copy button covers the code`).toBe(false);
      checked.push(`${op.api}:${op.operationId}`);
      if (checked.length === 1) await panel.screenshot({ path: path.join(shots, 'typescript-sample.png') });
    }
    expect(checked.filter((c) => c.startsWith('partner:')).length).toBeGreaterThanOrEqual(2);
    expect(checked.filter((c) => c.startsWith('organization:')).length).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('the try-it console shows the mock\'s 401 without a key, then 200 with status, headers and body for a Partner and an Organization request', async () => {
    const page = await open('/console/index.html', await newContext());
    // The server the console targets is the running mock, whatever its port.
    await poll(() => page.locator('.servers select').first().inputValue()).toBe(mockUrl);
    // The picker shows the URL itself, not a server variable's raw `{mock}`.
    expect(await page.locator('.servers').first().innerText()).not.toContain('{');
    const consoleOps = (['partner', 'organization'] as const).map(
      (api) => ops.find((o) => o.api === api && o.method === 'get' && !o.hasRequiredParameter && !o.path.includes('{') && o.successStatus === 200)!,
    );

    // No key yet: the mock's 401, shown as it came.
    const unauthorized = await executeInConsole(page, consoleOps[0]!);
    expect(unauthorized.status).toBe('401');
    expect(JSON.parse(unauthorized.body)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    // That 401 is what this step asked for; Chromium reports it as a failed load.
    expect(expected((p) => p.includes(`${mockUrl}${consoleOps[0]!.path}`) && p.includes('401'))).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const dialog = page.locator('.dialog-ux');
    for (const [scheme, key] of [
      ['PartnerApiKey', TEST_ENV.BULLSEYE_PARTNER_API_KEY],
      ['OrganizationApiKey', TEST_ENV.BULLSEYE_API_KEY],
    ] as const) {
      const box = dialog.locator('.auth-container', { hasText: scheme });
      await box.locator('input').fill(key);
      await box.getByRole('button', { name: 'Apply credentials' }).click();
    }
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    for (const op of consoleOps) {
      const sent = page.waitForResponse((res) => res.url() === `${mockUrl}${op.path}`);
      const shown = await executeInConsole(page, op);
      const response = await sent;
      const [header, key] = op.api === 'partner' ? ['x-partner-api-key', TEST_ENV.BULLSEYE_PARTNER_API_KEY] : ['x-api-key', TEST_ENV.BULLSEYE_API_KEY];
      expect(await response.request().headerValue(header), op.operationId).toBe(key);
      expect(shown.status, op.operationId).toBe('200');
      expect(shown.headers, op.operationId).toMatch(/x-ratelimit-limit: \d+/);
      expect(JSON.parse(shown.body), op.operationId).toEqual(await response.json());
      if (op.api === 'partner') await consoleOperation(page, op).screenshot({ path: path.join(shots, 'console-200.png') });
    }
    await page.close();
  });

  it('every guide, the SDK guide and the SDK reference render without errors', async () => {
    for (const guide of [...(await listGuides()), ...(await listGuides(undefined, ['sdk.md']))]) {
      const page = await open(`/guides/${guide.page}`);
      await poll(() => page.locator('h1').first().innerText()).toBe(guide.title);
      expect(await page.locator('pre code').count()).toBeGreaterThan(0);
      await page.close();
    }
    const sdk = await open('/sdk/index.html');
    await poll(() => sdk.content()).toContain('createPartnerClient');
    await sdk.screenshot({ path: path.join(shots, 'sdk.png') });
    await sdk.close();
  });

  // Provenance note (openapi/DECISIONS.md, D11): generated at bundle time by scripts/redocly/provenance.js.
  it('shows the provenance note on partial and inferred operations, and none on documented ones', async () => {
    const pick = (level: string) => ops.find((op) => op.op['x-provenance'] === level)!;
    const page = await open('/api/index.html');
    for (const [level, note] of [['inferred', 'Inferred operation.'], ['partial', 'Partly documented.'], ['documented', '']] as const) {
      const target = pick(level);
      // Redoc's route of an operation: #/<tag as a slug>/<operationId in lower case>.
      const tag = String((target.op.tags as string[])[0]).toLowerCase().replace(/\s+/g, '-');
      await page.goto(`${server.url}/api/index.html#/${tag}/${target.operationId.toLowerCase()}`);
      // Redoc's own section (the page also holds a static preview of each operation).
      const section = page.locator(`#redoc [id$="/${target.operationId}" i]`).first();
      await section.waitFor();
      const text = await section.innerText();
      if (note) {
        const shown = section.getByText(note).first();
        await shown.waitFor({ state: 'visible' });
        expect(text).toContain(String(target.op['x-provenance-decision']));
      } else {
        expect(text).not.toMatch(/Inferred operation\.|Partly documented\./);
      }
    }
    await page.screenshot({ path: path.join(shots, 'provenance-note.png') });
    await page.close();
  }, 90_000);

  it('the SDK reference has the site navigation on every page, relative, back to the landing page, guides, API reference, console and the sandbox guide', async () => {
    const page = await open('/sdk/functions/createPartnerClient.html');
    const nav = page.locator('nav.bullseye-site-nav a');
    await nav.first().waitFor();
    const hrefs = await nav.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^[a-z]+:|^\//i.test(h))).toEqual([]);
    const targets = hrefs.map((h) => new URL(h, page.url()));
    expect(targets.map((u) => u.pathname + u.hash)).toEqual(['/index.html', '/api/index.html', '/console/index.html', '/sdk/index.html', '/guides/sandbox.html', '/index.html#guides']);
    for (const url of targets) expect((await page.request.get(url.href)).status(), url.pathname).toBe(200);
    // A person goes back to the guides from the SDK's front page.
    await page.goto(`${server.url}/sdk/index.html`);
    await page.locator('nav.bullseye-site-nav').getByRole('link', { name: 'Guides' }).click();
    await poll(() => page.url()).toBe(`${server.url}/index.html#guides`);
    await page.close();
  });

  it('the API reference\'s links work opened on their own: hash routes, no root paths, and a shared link opens its section', async () => {
    const page = await open('/api/index.html');
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
    // One tag group open, so operation links are rendered too (the navigation test opens them all).
    await page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a').first().click();
    await page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-operation > a').first().waitFor();
    const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    // Redoc writes root paths (`/partner-account`): 404s in a new tab. Each must be a hash route.
    expect(hrefs.filter((h) => h.startsWith('/') && !h.startsWith('//'))).toEqual([]);
    const routes = [...new Set(hrefs.filter((h) => h.startsWith('#/')))];
    // The introduction's sections, every tag group and the open group's operations.
    expect(routes.length).toBeGreaterThan(20);
    // Opened in a new tab: a section of the introduction, a tag and an operation show their heading.
    const targets = [routes.find((r) => r === '#/section/scopes'), routes.find((r) => /^#\/[^/]+$/.test(r) && !r.includes('section')), routes.find((r) => r.split('/').length === 3 && !r.includes('section'))];
    expect(targets.every(Boolean)).toBe(true);
    for (const route of targets as string[]) {
      const tab = await open(`/api/index.html${route}`);
      const id = route.slice(2);
      const target = tab.locator(`[data-section-id="${id}" i], [id="${id}" i]`).first();
      await target.waitFor();
      await poll(() => target.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; })).toBe(true);
      await tab.close();
    }
    // The site header is above the reference, back to the rest of the site.
    expect(await page.locator('header.site-nav a').evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toContain('../index.html');
    await page.close();
  }, 120_000);

  it('at phone width (390 px) no kind of page is wider than the screen; guide code has highlighting and a copy button', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    phone.on('request', (req) => requests.push(req.url()));
    contexts.push(phone);
    const widths: string[] = [];
    for (const [kind, pathname] of PAGE_KINDS) {
      const page = await open(pathname, phone);
      await page.locator('body').waitFor();
      if (kind === 'API reference') await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ state: 'attached' });
      if (kind === 'try-it console') await page.locator('.opblock-tag').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      widths.push(`${kind} ${width}`);
      expect(width, `${kind} (${pathname}) is ${width} px wide at 390 px`).toBeLessThanOrEqual(390);
      if (kind === 'SDK guide') {
        await page.screenshot({ path: path.join(shots, 'phone-sdk-guide.png') });
        expect(await page.locator('pre code.hljs .hljs-keyword').count()).toBeGreaterThan(0);
        const copy = page.getByRole('button', { name: 'Copy code to the clipboard' }).first();
        await copy.waitFor();
        expect(await page.getByRole('button', { name: 'Copy code to the clipboard' }).count()).toBe(await page.locator('main pre').count());
      }
      await page.close();
    }
    console.log(`widths at 390 px: ${widths.join(', ')}`);
  }, 180_000);

  it('axe-core (WCAG 2 A and AA) finds no serious or critical violation on any kind of page', async () => {
    const report: string[] = [];
    const failures: string[] = [];
    for (const [kind, pathname] of PAGE_KINDS) {
      const page = await open(pathname);
      if (kind === 'API reference') await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
      if (kind === 'try-it console') await page.locator('.opblock-tag').first().waitFor();
      await page.addScriptTag({ path: AXE_SCRIPT });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: `${v.nodes[0]?.target.join(' ') ?? ''}: ${(v.nodes[0] as { failureSummary?: string } | undefined)?.failureSummary ?? ''}` }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      report.push(`${kind} ${bad.length}`);
      for (const v of bad) failures.push(`${kind}: ${v.id} (${v.impact}) on ${v.nodes} elements, e.g. ${v.first}`);
      await page.close();
    }
    console.log(`axe serious/critical violations: ${report.join(', ')}`);
    expect(failures).toEqual([]);
  }, 240_000);

  // The figure against the 1.5 s goal is `npm run bench:docs`'s (bench/docs-paint.ts): on a loaded
  // machine one run can take longer, so this test asserts the behaviour and prints the figure.
  it('an operation opened from a shared link over a throttled network (10 Mbit/s, 40 ms) paints its preview first, then Redoc\'s page; the reference served compressed', async () => {
    const target = ops.find((op) => op.operationId === 'listPartnerOrganizations') ?? ops[0]!;
    const route = redocRoute(String((target.op.tags as string[])[0]), target.operationId);
    const context = await newContext();
    const page = await context.newPage();
    // The server compresses once per file: warm it, as a deployed site's CDN would be.
    const warm = await page.request.get(`${server.url}/api/index.html`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(warm.headers()['content-encoding']).toBe('gzip');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: (10_000_000 / 8), uploadThroughput: (10_000_000 / 8) });
    let transferred = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (transferred += e.encodedDataLength));
    // Element Timing gives the frame in which the preview's heading was painted, even while the
    // page's main thread is busy running Redoc.
    await page.addInitScript(() => {
      const w = window as unknown as { __painted?: number };
      new PerformanceObserver((list) => {
        // Only the preview headings carry `elementtiming`, and only the one shown is ever painted.
        for (const e of list.getEntries() as unknown as { renderTime: number }[]) w.__painted ??= e.renderTime;
      }).observe({ type: 'element', buffered: true });
    });
    await page.goto(`${server.url}/api/index.html#${route}`, { waitUntil: 'commit' });
    const redoc = page.locator(`#redoc [data-section-id="${route}"] h2`);
    await redoc.waitFor({ state: 'visible' });
    const redocMs = await page.evaluate(() => performance.now());
    const previewMs = await page.evaluate(() => (window as unknown as { __painted?: number }).__painted);
    console.log(`first paint of ${target.operationId} at 10 Mbit/s, 40 ms: preview ${Math.round(previewMs ?? -1)} ms, Redoc's page by ${Math.round(redocMs)} ms (goal < 1500 ms; ${Math.round(transferred / 1024)} KB transferred)`);
    expect(previewMs, 'the preview of the linked operation was painted').toBeGreaterThan(0);
    expect(previewMs!).toBeLessThan(redocMs);
    // Once Redoc has rendered the operation, its page replaces the preview.
    await expect.poll(() => page.locator(`.op-preview[data-preview-route="${route}"]`).isVisible(), { timeout: UI_TIMEOUT }).toBe(false);
    expect(await redoc.isVisible()).toBe(true);
    // The reference travels compressed: what a throttled reader downloads is a quarter of the page or less.
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path.join(siteDir, 'api', 'index.html')));
    expect(transferred).toBeLessThan(size / 3);
    await page.close();
  }, 120_000);

  it('no page of the site references a resource on another host or links the docs server by an absolute URL', async () => {
    expect(await auditSite(siteDir, await specTextUrls(doc))).toEqual([]);
    const api = await readFile(path.join(siteDir, 'api', 'index.html'), 'utf8');
    expect(api).not.toContain('cdn.redoc.ly');
    expect(api.length).toBeGreaterThan(100_000);
    // An absolute link to 127.0.0.1 or localhost is wrong as soon as DOCS_PORT differs.
    const entries = await readdir(siteDir, { withFileTypes: true, recursive: true });
    const absolute: string[] = [];
    for (const e of entries.filter((f) => f.isFile() && f.name.endsWith('.html'))) {
      const file = path.join(e.parentPath, e.name);
      for (const m of (await readFile(file, 'utf8')).matchAll(/href="(https?:\/\/(?:127\.0\.0\.1|localhost)[^"]*)"/g)) absolute.push(`${path.relative(siteDir, file)}: ${m[1]}`);
    }
    expect(absolute).toEqual([]);
  });
});

describe('findRemoteResources', () => {
  it('finds scripts, styles, images and fonts on other hosts, and ignores text and local URLs', () => {
    const html = `<script src="https://cdn.example.com/a.js"></script><link rel="stylesheet" href="//fonts.example.com/f.css">
      <img src='https://img.example.com/x'><style>@font-face{src:url(https://f.example.com/f.woff2)}</style>
      <script>const logo = \`https://cdn.example.com/logo.svg\`;</script>
      <a href="https://docs.example.com/page">text link</a> <p>https://api.example.com/v1/items</p>
      <img src="http://127.0.0.1:8080/local.png"> <img src="data:image/png;base64,AAAA">
      <pre>"logoUrl": "https://cdn.acme.com/logo.png"</pre>`;
    expect(findRemoteResources(html, new Set(['https://cdn.acme.com/logo.png']))).toEqual([
      '//fonts.example.com/f.css',
      'https://cdn.example.com/a.js',
      'https://cdn.example.com/logo.svg',
      'https://f.example.com/f.woff2',
      'https://img.example.com/x',
    ]);
  });
});
