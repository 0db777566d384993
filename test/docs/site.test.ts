// The built docs site's API reference (generated/site/api, from `npm run generate`) in Debian's
// headless Chromium, served as `npm start` serves it: every operation of the bundled spec is in its
// navigation, search finds an operation by its summary, a person can switch any operation's sample to
// TypeScript and read it, its links work opened on their own, and no request leaves 127.0.0.1, no
// console error; and no page of the site references another host. The rest of the site is checked by
// test/docs/site-pages.test.ts (landing page, console, guides, SDK reference, a shared link's first
// paint) and test/docs/site-layout.test.ts (every kind of page at phone width and under axe): the
// three files run side by side on the run's one Chromium. (Playwright gives each context a fresh
// temporary profile.) Screenshots go to test-output/screenshots/.
//
// Redoc parses the 570 KB spec on every load (seconds of CPU): the tests that read the reference as a
// reader finds it share one page, loaded once (reference() below), each acting on it in turn; a test
// whose subject is a fresh load (a link opened on its own) loads its own.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { auditSite, findRemoteResources, siteDir, specTextUrls } from '../../scripts/site/docs.js';
import { connectChromium } from '../support/browser.js';
import { MENU_GROUP, MENU_ITEM, MENU_OPERATION_LINK, openMenuGroup, poll, shots, TEST_TIMEOUT, useSite } from '../support/site.js';
import { loadSpec, operations, type Operation } from '../support/spec.js';

const doc = loadSpec();
const ops = operations(doc);
const webhookNames = Object.keys((doc.webhooks ?? {}) as object);
const site = useSite({ mockUrl: inject('mockUrl'), connect: () => connectChromium(inject('chromiumWsEndpoint')) });

let shared: Promise<Page> | undefined;
/**
 * The API reference as a reader has it open: loaded once, in a profile of its own (no stored
 * language choice); the tests below that use it run in order and leave it where a reader would be.
 * What it reports (console errors, failed requests) belongs to the test running.
 */
function reference(): Promise<Page> {
  shared ??= site.newContext().then((context) => site.open('/api/index.html', context));
  return shared;
}
// Loaded under the hook's deadline rather than the first test's; what the load reports is the first
// test's to answer for (useSite's afterEach).
beforeAll(async () => {
  await reference();
}, 180_000);

/**
 * Opens every tag group of Redoc's side menu and returns the link of every operation item seen.
 * A click on a group also routes to the group's section, which Redoc then renders (measured: about a
 * second of the page's CPU per group, 18 s for the menu). The menu is what is read here, so while the
 * groups are opened a click on a group's link is kept from routing; the group still opens (its label's
 * own click handler does that). The groups are clicked in the page, all in one task, rather than one
 * Playwright click (scroll into view, wait for two still frames, hit test) and one re-render each.
 */
async function menuOperationLinks(page: Page): Promise<string[]> {
  const groups = page.locator(MENU_GROUP);
  await groups.first().waitFor();
  const count = await groups.count();
  const opened = await page.evaluate(
    ({ group, closed }) => {
      const hold = (e: Event): void => {
        if (e.target instanceof Element && e.target.closest('.menu-item-type-group > a')) e.preventDefault();
      };
      addEventListener('click', hold, true);
      try {
        // The label inside the group's link, where a reader's click lands and its handler listens.
        const labels = [...document.querySelectorAll<HTMLElement>(`${group} > a > [data-testid="menu-item-label"]`)];
        for (const label of labels) if (label.querySelector(closed)) label.click();
        return labels.length;
      } finally {
        removeEventListener('click', hold, true);
      }
    },
    { group: MENU_GROUP, closed: '[data-component-name="icons/ChevronRightIcon/ChevronRightIcon"]' },
  );
  expect(opened).toBe(count);
  // Every group open at once: each shows its operations.
  const links = new Set<string>();
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    await group.locator(MENU_OPERATION_LINK).filter({ visible: true }).first().waitFor();
    for (const href of await group.locator(MENU_OPERATION_LINK).evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))) links.add(href);
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

describe('docs site (generated/site): the API reference in headless Chromium', { timeout: TEST_TIMEOUT }, () => {
  it('the API reference lists every operation of generated/openapi.json in its navigation, and links the console', async () => {
    const page = await reference();
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
      await poll(() => page.locator(MENU_ITEM, { hasText: section }).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(shots, 'api-navigation.png') });
    // The introduction sends readers to the console.
    const consoleLink = page.getByRole('link', { name: 'try-it console' }).first();
    const href = new URL((await consoleLink.getAttribute('href')) ?? '', page.url());
    expect(href.pathname).toBe('/console/index.html');
    expect((await page.request.get(href.href)).status()).toBe(200);
  }, 90_000);

  it('search finds an operation by its summary and opens it, with its code samples visible', async () => {
    const summaries = ops.map((op) => String(op.op.summary ?? ''));
    const target = ops.find((op, i) => summaries[i] && summaries.filter((s) => s === summaries[i]).length === 1 && op.hasRequestBody) ?? ops[0]!;
    const summary = String(target.op.summary);
    const page = await reference();
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
  });

  it('a person picks TypeScript above the sample and reads the SDK call, for operations of both APIs, the copy button clear of the code', async () => {
    const page = await reference();
    const checked: string[] = [];
    for (const op of [...sampleOperations('partner'), ...sampleOperations('organization')]) {
      const factory = op.api === 'partner' ? 'createPartnerClient' : 'createOrganizationClient';
      // As a person gets there: the operation's group in the side menu, then the operation.
      const tag = String((op.op.tags as string[])[0]);
      const link = page.locator(`${MENU_OPERATION_LINK}[href$="/${op.operationId.toLowerCase()}"]`);
      if (!(await link.isVisible())) {
        await page.locator(`${MENU_GROUP} > a`).filter({ has: page.getByText(tag, { exact: true }) }).first().click();
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
  });

  // Provenance note (openapi/DECISIONS.md, D11): generated at bundle time by scripts/redocly/provenance.js.
  it('shows the provenance note on partial and inferred operations, and none on documented ones', async () => {
    const pick = (level: string) => ops.find((op) => op.op['x-provenance'] === level)!;
    const page = await reference();
    for (const [level, note] of [['inferred', 'Inferred operation.'], ['partial', 'Partly documented.'], ['documented', '']] as const) {
      const target = pick(level);
      // Redoc's route of an operation: #/<tag as a slug>/<operationId in lower case>.
      const tag = String((target.op.tags as string[])[0]).toLowerCase().replace(/\s+/g, '-');
      await page.goto(`${site.server.url}/api/index.html#/${tag}/${target.operationId.toLowerCase()}`);
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
  }, 90_000);

  it('the API reference\'s links work opened on their own: hash routes, no root paths, and a shared link opens its section', async () => {
    const page = await reference();
    await page.locator(MENU_ITEM).first().waitFor();
    // At least one tag group open, so operation links are rendered too (the navigation test opens them all).
    await openMenuGroup(page.locator(MENU_GROUP).first());
    const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    // Redoc writes root paths (`/partner-account`): 404s in a new tab. Each must be a hash route.
    expect(hrefs.filter((h) => h.startsWith('/') && !h.startsWith('//'))).toEqual([]);
    const routes = [...new Set(hrefs.filter((h) => h.startsWith('#/')))];
    // The introduction's sections, every tag group and the open group's operations.
    expect(routes.length).toBeGreaterThan(20);
    // Opened in a new tab: a section of the introduction, a tag and an operation show their heading.
    const targets = [routes.find((r) => r === '#/section/scopes'), routes.find((r) => /^#\/[^/]+$/.test(r) && !r.includes('section')), routes.find((r) => r.split('/').length === 3 && !r.includes('section'))];
    expect(targets.every(Boolean)).toBe(true);
    // The three tabs load side by side, as a reader's would.
    await Promise.all(
      (targets as string[]).map(async (route) => {
        const tab = await site.open(`/api/index.html${route}`);
        const id = route.slice(2);
        const target = tab.locator(`[data-section-id="${id}" i], [id="${id}" i]`).first();
        await target.waitFor();
        await poll(() => target.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; })).toBe(true);
        await tab.close();
      }),
    );
    // The site header is above the reference, back to the rest of the site.
    expect(await page.locator('header.site-nav a').evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toContain('../index.html');
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
