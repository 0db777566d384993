// The built docs site (generated/site, from `npm run generate`) in Debian's headless Chromium:
// every operation of the bundled spec is in the API reference's navigation, search finds an
// operation by its summary, code samples are visible, guides and the SDK reference are linked, and
// no request leaves 127.0.0.1, no console error. (Playwright gives Chromium a fresh temporary profile.) Screenshots go to test-output/screenshots/.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditSite, findRemoteResources, listGuides, siteDir, specTextUrls } from '../../scripts/lib/docs.js';
import { serveStatic, type StaticServer } from '../../scripts/lib/static-server.js';
import { loadSpec, operations } from '../support/spec.js';
import { root } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = path.join(root, 'test-output', 'screenshots');
const doc = loadSpec();
const ops = operations(doc);
const webhookNames = Object.keys((doc.webhooks ?? {}) as object);

let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
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

async function open(pathname: string): Promise<Page> {
  const page = await context.newPage();
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

/** Opens every tag group of Redoc's side menu in turn and returns the link of every operation item seen. */
async function menuOperationLinks(page: Page): Promise<string[]> {
  const groups = page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a');
  await groups.first().waitFor();
  const items = page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-operation > a');
  const links = new Set<string>();
  const count = await groups.count();
  for (let i = 0; i < count; i++) {
    await groups.nth(i).click();
    await items.first().waitFor();
    for (const href of await items.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))) links.add(href);
  }
  return [...links];
}

beforeAll(async () => {
  if (!existsSync(path.join(siteDir, 'api', 'index.html'))) {
    throw new Error('generated/site/api/index.html is missing: run `npm run generate` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`);
  await mkdir(shots, { recursive: true });
  server = await serveStatic(siteDir, 0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('request', (req) => requests.push(req.url()));
}, 60_000);

afterEach(() => {
  // Each test owns the problems it caused.
  const found = problems.splice(0);
  expect(found).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => !isLocal(u))).toEqual([]);
});

describe('docs site (generated/site) in headless Chromium', () => {
  it('the landing page links the API reference, the SDK reference, the spec and every guide, all served', async () => {
    const page = await open('/');
    await expect.poll(() => page.title()).toBe('Bullseye API documentation');
    const links = await page.locator('main a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    const guides = await listGuides();
    expect(links).toEqual(
      expect.arrayContaining(['api/index.html', 'sdk/index.html', 'guides/sdk.html', 'openapi.json', 'openapi.yaml', ...guides.map((g) => `guides/${g.page}`)]),
    );
    for (const link of new Set(links)) {
      const res = await page.request.get(new URL(link, `${server.url}/`).href);
      expect(res.status(), link).toBe(200);
    }
    await page.screenshot({ path: path.join(shots, 'landing.png'), fullPage: true });
    await page.close();
  });

  it('the API reference lists every operation of generated/openapi.json in its navigation', async () => {
    const page = await open('/api/index.html');
    const links = await menuOperationLinks(page);
    const slugs = new Set(links.map((href) => href.split('/').pop()?.toLowerCase()));
    const missing = ops.filter((op) => !slugs.has(op.operationId.toLowerCase())).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(missing).toEqual([]);
    // Operations plus webhooks, each listed once.
    expect(new Set(links).size).toBe(ops.length + webhookNames.length);
    // The introduction's sections are in the navigation too.
    for (const section of ['Authentication', 'Scopes', 'Rate limits', 'Errors', 'Pagination', 'Webhooks']) {
      await expect.poll(() => page.locator('[data-component-name="Menu/MenuItem"]', { hasText: section }).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(shots, 'api-navigation.png') });
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
    await expect.poll(() => result.innerText()).toContain(summary.split(' ').slice(0, 3).join(' '));
    await page.screenshot({ path: path.join(shots, 'search.png') });
    await result.click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/${target.operationId.toLowerCase()}$`));
    const curl = page.getByText(`curl --request ${target.method.toUpperCase()}`).first();
    await curl.waitFor({ state: 'visible' });
    expect(await curl.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'operation-samples.png') });
    await page.close();
  });

  it('every guide, the SDK guide and the SDK reference render without errors', async () => {
    for (const guide of [...(await listGuides()), ...(await listGuides(undefined, ['sdk.md']))]) {
      const page = await open(`/guides/${guide.page}`);
      await expect.poll(() => page.locator('h1').first().innerText()).toBe(guide.title);
      expect(await page.locator('pre code').count()).toBeGreaterThan(0);
      await page.close();
    }
    const sdk = await open('/sdk/index.html');
    await expect.poll(() => sdk.content()).toContain('createPartnerClient');
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
      const section = page.locator(`[id$="/${target.operationId}" i]`).first();
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

  it('no page of the site references a resource on another host', async () => {
    expect(await auditSite(siteDir, await specTextUrls(doc))).toEqual([]);
    const api = await readFile(path.join(siteDir, 'api', 'index.html'), 'utf8');
    expect(api).not.toContain('cdn.redoc.ly');
    expect(api.length).toBeGreaterThan(100_000);
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
