// The built docs site's pages other than the API reference (generated/site, from `npm run generate`)
// in Debian's headless Chromium, served as `npm start` serves it (the try-it console pointed at the
// test run's mock): the landing page links everything, the console sends requests to the mock and
// shows what came back, guides and the SDK reference are linked both ways, no kind of page (the
// API reference included) is wider than a phone or has a serious axe violation, and no request leaves
// 127.0.0.1, no console error. The API reference's own tests are test/docs/site.test.ts's; both files
// run side by side on the run's one Chromium. Screenshots go to test-output/screenshots/.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { listGuides } from '../../scripts/site/docs.js';
import { connectChromium } from '../support/browser.js';
import { eachLimit, MENU_ITEM, PAGE_KINDS, poll, shots, TEST_TIMEOUT, useSite } from '../support/site.js';
import { loadSpec, operations, type Operation } from '../support/spec.js';
import { TEST_ENV } from './support.js';

// axe-core (pinned in package.json) is injected from node_modules: no network.
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ops = operations(loadSpec());
const mockUrl = inject('mockUrl');
const site = useSite({ mockUrl, connect: () => connectChromium(inject('chromiumWsEndpoint')) });
/** Pages of a test that are independent of each other load this many at a time. */
const TABS = 3;

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

describe('docs site (generated/site): its pages in headless Chromium', { timeout: TEST_TIMEOUT }, () => {
  it('the landing page links the API reference, the console, the SDK reference, the spec and every guide, all served', async () => {
    const page = await site.open('/');
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
      const res = await page.request.get(new URL(link, `${site.server.url}/`).href);
      expect(res.status(), link).toBe(200);
    }
    await page.screenshot({ path: path.join(shots, 'landing.png'), fullPage: true });
    await page.close();
  });

  it('the try-it console shows the mock\'s 401 without a key, then 200 with status, headers and body for a Partner and an Organization request', async () => {
    const page = await site.open('/console/index.html', await site.newContext());
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
    expect(site.expected((p) => p.includes(`${mockUrl}${consoleOps[0]!.path}`) && p.includes('401'))).toBeGreaterThan(0);

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
    await eachLimit([...(await listGuides()), ...(await listGuides(undefined, ['sdk.md']))], TABS, async (guide) => {
      const page = await site.open(`/guides/${guide.page}`);
      await poll(() => page.locator('h1').first().innerText()).toBe(guide.title);
      expect(await page.locator('pre code').count(), guide.page).toBeGreaterThan(0);
      await page.close();
    });
    const sdk = await site.open('/sdk/index.html');
    await poll(() => sdk.content()).toContain('createPartnerClient');
    await sdk.screenshot({ path: path.join(shots, 'sdk.png') });
    await sdk.close();
  });

  it('the SDK reference has the site navigation on every page, relative, back to the landing page, guides, API reference, console and the sandbox guide', async () => {
    const page = await site.open('/sdk/functions/createPartnerClient.html');
    const nav = page.locator('nav.bullseye-site-nav a');
    await nav.first().waitFor();
    const hrefs = await nav.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^[a-z]+:|^\//i.test(h))).toEqual([]);
    const targets = hrefs.map((h) => new URL(h, page.url()));
    expect(targets.map((u) => u.pathname + u.hash)).toEqual(['/index.html', '/api/index.html', '/console/index.html', '/sdk/index.html', '/guides/sandbox.html', '/index.html#guides']);
    for (const url of targets) expect((await page.request.get(url.href)).status(), url.pathname).toBe(200);
    // A person goes back to the guides from the SDK's front page.
    await page.goto(`${site.server.url}/sdk/index.html`);
    await page.locator('nav.bullseye-site-nav').getByRole('link', { name: 'Guides' }).click();
    await poll(() => page.url()).toBe(`${site.server.url}/index.html#guides`);
    await page.close();
  });

  it('at phone width (390 px) no kind of page is wider than the screen; guide code has highlighting and a copy button', async () => {
    const phone = await site.newContext({ width: 390, height: 844 });
    const widths = await eachLimit(PAGE_KINDS, TABS, async ([kind, pathname]) => {
      const page = await site.open(pathname, phone);
      await page.locator('body').waitFor();
      if (kind === 'API reference') await page.locator(MENU_ITEM).first().waitFor({ state: 'attached' });
      if (kind === 'try-it console') await page.locator('.opblock-tag').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${kind} (${pathname}) is ${width} px wide at 390 px`).toBeLessThanOrEqual(390);
      if (kind === 'SDK guide') {
        await page.screenshot({ path: path.join(shots, 'phone-sdk-guide.png') });
        expect(await page.locator('pre code.hljs .hljs-keyword').count()).toBeGreaterThan(0);
        const copy = page.getByRole('button', { name: 'Copy code to the clipboard' }).first();
        await copy.waitFor();
        expect(await page.getByRole('button', { name: 'Copy code to the clipboard' }).count()).toBe(await page.locator('main pre').count());
      }
      await page.close();
      return `${kind} ${width}`;
    });
    console.log(`widths at 390 px: ${widths.join(', ')}`);
  }, 180_000);

  it('axe-core (WCAG 2 A and AA) finds no serious or critical violation on any kind of page', async () => {
    const failures: string[] = [];
    const report = await eachLimit(PAGE_KINDS, TABS, async ([kind, pathname]) => {
      const page = await site.open(pathname);
      if (kind === 'API reference') await page.locator(MENU_ITEM).first().waitFor();
      if (kind === 'try-it console') await page.locator('.opblock-tag').first().waitFor();
      await page.addScriptTag({ path: AXE_SCRIPT });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: `${v.nodes[0]?.target.join(' ') ?? ''}: ${(v.nodes[0] as { failureSummary?: string } | undefined)?.failureSummary ?? ''}` }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      for (const v of bad) failures.push(`${kind}: ${v.id} (${v.impact}) on ${v.nodes} elements, e.g. ${v.first}`);
      await page.close();
      return `${kind} ${bad.length}`;
    });
    console.log(`axe serious/critical violations: ${report.join(', ')}`);
    expect(failures).toEqual([]);
  }, 240_000);
});
