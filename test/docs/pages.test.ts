// The GitHub Pages artifact, assembled by the workflow's own command (`npm run pages:assemble`, as
// .github/workflows/pages.yml runs it) from two release docs assets (small prebuilt sites in
// test/fixtures/pages, packed as the release workflow packs generated/site) and main's built site
// (generated/site), then served from a plain static server under a sub-path, as Pages serves a
// project site (`/<repo>/`), and read in Debian's headless Chromium: every page, link, asset, version
// picker entry and console loads with no 404, no request leaving 127.0.0.1 and no console error.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { siteDir } from '../../scripts/site/docs.js';
import { serveStatic, type StaticServer } from '../../scripts/site/static-server.js';
import { run } from '../../scripts/lib/steps.js';
import { CATALOG_PROFILE, type Linkset } from '../../scripts/pages/catalog.js';
import { LOCAL_SANDBOX_URL } from '../../scripts/pages/inject.js';
import type { VersionsFile } from '../../scripts/pages/versions.js';
import { connectChromium } from '../support/browser.js';
import { eachLimit } from '../support/site.js';
import { root } from './support.js';

const REPO = 'bullseye-api';
const RELEASES = ['0.1.0', '0.2.0'];
const fixtures = path.join(root, 'test', 'fixtures', 'pages');
// Sized for a loaded 2-core machine: main's Redoc and Swagger UI pages parse a 570 KB spec.
const UI_TIMEOUT = 60_000;

let work: string;
let out: string;
let server: StaticServer;
let site: string;
let browser: Browser;
let context: BrowserContext;
let assembleOutput = '';
const requests: string[] = [];
const problems: string[] = [];

const isLocal = (url: string): boolean => /^(data|blob|about):/.test(url) || (URL.canParse(url) && new URL(url).hostname === '127.0.0.1');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
}

function watch(page: Page): Page {
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  // A blob: URL is the page's own memory (Redoc's download link), never a request to a server; one
  // the page revokes while navigating shows as "failed".
  page.on('requestfailed', (req) => {
    if (!req.url().startsWith('blob:')) problems.push(`failed request from ${page.url()}: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} from ${page.url()}: ${res.url()}`);
  });
  return page;
}

/** Opens a page and waits for its version picker to have read versions.json. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await pickerReady(page);
}

/**
 * Waits until the version picker is ready, watching for it in the page itself: a locator would load
 * Playwright's selector engine into every new document, which measured about a fifth of a TypeDoc
 * page's own load in Chromium's CPU, on each of the artifact's pages.
 */
function pickerReady(page: Page): Promise<void> {
  return page.evaluate(
    (timeout) =>
      new Promise<void>((resolve, reject) => {
        const ready = (): boolean => document.querySelector('nav.bullseye-versions[data-ready="true"]') !== null;
        if (ready()) return resolve();
        const observer = new MutationObserver(() => {
          if (!ready()) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve();
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${location.href}: no version picker ready (nav.bullseye-versions[data-ready="true"]) after ${timeout} ms`));
        }, timeout);
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
      }),
    UI_TIMEOUT,
  );
}

beforeAll(async () => {
  if (!existsSync(path.join(siteDir, 'api', 'index.html'))) throw new Error('generated/site is missing: run `npm run generate` first');
  work = await mkdtemp(path.join(tmpdir(), 'bullseye-pages-test-'));
  const releases = path.join(work, 'releases');
  await mkdir(releases);
  // As the release workflow attaches them: `tar -czf bullseye-api-docs-<version>.tar.gz -C generated site`.
  for (const v of RELEASES) {
    const r = await run('tar', ['-czf', path.join(releases, `bullseye-api-docs-${v}.tar.gz`), '-C', path.join(fixtures, v), 'site']);
    if (r.code !== 0) throw new Error(`tar: ${r.stderr}`);
  }
  // The server's root holds only <repo>/: a link that escapes the project site's prefix is a 404.
  const www = path.join(work, 'www');
  out = path.join(www, REPO);
  await mkdir(out, { recursive: true });
  server = await serveStatic(www, 0);
  site = `${server.url}/${REPO}/`;
  const r = await run('npm', ['run', '-s', 'pages:assemble', '--', '--out', out, '--main', siteDir, '--releases', releases, '--site-url', site]);
  assembleOutput = `${r.stdout}\n${r.stderr}`;
  if (r.code !== 0) throw new Error(`npm run pages:assemble failed (exit ${r.code}):\n${assembleOutput}`);
  browser = await connectChromium(inject('chromiumWsEndpoint'));
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(UI_TIMEOUT);
  context.on('request', (req) => requests.push(req.url()));
}, 240_000);

afterEach(() => {
  const found = problems.splice(0);
  expect(found).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => !isLocal(u))).toEqual([]);
}, 60_000);

describe('the Pages artifact (npm run pages:assemble)', () => {
  it('holds the latest release at the base, main under next/, each release under its version, and one versions.json', async () => {
    const versions = JSON.parse(await readFile(path.join(out, 'versions.json'), 'utf8')) as VersionsFile;
    expect(versions.root).toBe('0.2.0');
    expect(versions.versions.map((v) => [v.id, v.path, v.contract])).toEqual([
      ['next', 'next/', JSON.parse(await readFile(path.join(siteDir, 'openapi.json'), 'utf8')).info.version],
      ['0.2.0', 'v0.2.0/', '3.0.0'],
      ['0.1.0', 'v0.1.0/', '2.0.0'],
    ]);
    // Each version is its own site, untouched but for what the assembly adds to pages.
    for (const [dir, from] of [['v0.1.0', path.join(fixtures, '0.1.0', 'site')], ['v0.2.0', path.join(fixtures, '0.2.0', 'site')], ['next', siteDir]] as const) {
      const expected = (await filesUnder(from)).filter((f) => !f.split('/').some((part) => part.startsWith('.')));
      expect(await filesUnder(path.join(out, dir)), dir).toEqual(expected);
    }
    expect(await readFile(path.join(out, 'api', 'operations', 'getPartner.md'), 'utf8')).toContain('release 0.2.0');
    expect(JSON.parse(await readFile(path.join(out, 'openapi.json'), 'utf8')).info.version).toBe('3.0.0');
    // The one hidden folder is the API catalog's (upload-pages-artifact is told to include it); build stamps are left out.
    const hidden = (await readdir(out, { recursive: true })).filter((p) => p.split(path.sep).some((part) => part.startsWith('.')));
    expect(hidden.sort()).toEqual(['.well-known', path.join('.well-known', 'api-catalog')]);
    expect(assembleOutput).toMatch(/\/ is 0\.2\.0; \d+ pages/);
  });

  it('serves every file of the artifact under /<repo>/', async () => {
    const files = await filesUnder(out);
    expect(files.length).toBeGreaterThan(100);
    const bad: string[] = [];
    // A few requests at a time: one after the other, the round trips add up to seconds.
    await eachLimit(files, 8, async (f) => {
      const res = await fetch(new URL(f.split('/').map(encodeURIComponent).join('/'), site), { method: 'HEAD' });
      if (res.status !== 200) bad.push(`${res.status} ${f}`);
    });
    expect(bad.sort()).toEqual([]);
  });

  it('publishes an RFC 9727 API catalog under the base naming both APIs, their description, docs and llms.txt', async () => {
    const res = await fetch(new URL('.well-known/api-catalog', site));
    expect(res.status).toBe(200);
    const catalog = (await res.json()) as Linkset;
    const [self, ...apis] = catalog.linkset;
    expect(self!.anchor).toBe(`${site}.well-known/api-catalog`);
    expect((self!.item as Array<{ href: string }>).map((l) => l.href)).toEqual(apis.map((a) => a.anchor));
    expect(apis.map((a) => a.anchor)).toEqual(['https://api.app.bullseye.so/api/v1/partner', 'https://api.app.bullseye.so/api/v1']);
    for (const api of apis) {
      const desc = api['service-desc'] as Array<{ href: string; type: string }>;
      const docs = api['service-doc'] as Array<{ href: string; type: string }>;
      expect(desc.map((l) => l.href)).toEqual([`${site}openapi.json`, `${site}openapi.yaml`]);
      expect(docs.map((l) => l.href)).toEqual(expect.arrayContaining([`${site}api/index.html`, `${site}llms.txt`]));
      expect(docs.find((l) => l.href.endsWith('llms.txt'))?.type).toBe('text/markdown');
      for (const link of [...desc, ...docs]) expect((await fetch(link.href)).status, link.href).toBe(200);
    }
    expect(CATALOG_PROFILE).toBe('https://www.rfc-editor.org/info/rfc9727');
  });
});

/** What one visit of a page showed; the tests below assert on these. */
interface Visit {
  file: string;
  picker: Array<{ url: string; label: string | null; selected: boolean }>;
  contract: string;
  catalog: string[][];
  links: string[];
  /** The console's sandbox notice, on console pages. */
  notice?: string;
  /** main's console (Swagger UI): its server URL and the servers it offers. */
  servers?: { url: string; options: string[] };
  /** Release consoles (the fixtures' stand-in): the target they read. */
  target?: string;
  /** The API reference: where a click on one of its menu links leads. */
  menuClick?: string;
}

const visits = new Map<string, Visit>();
let versions: VersionsFile;

/** One visit per page (a few tabs at once, the heaviest pages first, so they overlap the light ones). */
async function visitAll(): Promise<void> {
  versions = JSON.parse(await readFile(path.join(out, 'versions.json'), 'utf8')) as VersionsFile;
  const files = (await filesUnder(out)).filter((f) => f.endsWith('.html'));
  const sizes = new Map(await Promise.all(files.map(async (f) => [f, (await readFile(path.join(out, f))).length] as const)));
  const queue = [...files].sort((a, b) => sizes.get(b)! - sizes.get(a)!);
  const worker = async (): Promise<void> => {
    const page = watch(await context.newPage());
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) visits.set(file, await visit(page, file));
    await page.close();
  };
  await Promise.all([worker(), worker(), worker()]);
}

async function visit(page: Page, file: string): Promise<Visit> {
  await open(page, new URL(file, site).href);
  // Read in one call: a round trip to the browser per field cost more than the page's own load.
  const v: Visit = {
    file,
    ...(await page.evaluate(() => {
      const picker = document.querySelector('nav.bullseye-versions');
      return {
        picker: [...(picker?.querySelectorAll('option') ?? [])].map((o) => ({ url: o.value, label: o.textContent, selected: o.selected })),
        contract: (picker?.querySelector('.bullseye-versions-contract') as HTMLElement | null)?.innerText ?? '(no contract shown)',
        catalog: [...document.querySelectorAll<HTMLLinkElement>('link[rel="api-catalog"]')].map((l) => [l.href, l.getAttribute('type') ?? '']),
        // Redoc's menu and heading links belong to its router (data-discover): a click stays on the page,
        // in its hash (checked below), so their href is not a page of the site.
        links: [...document.querySelectorAll<HTMLAnchorElement>('a[href]:not([data-discover])')].map((a) => a.href),
      };
    })),
  };
  if (file.endsWith('console/index.html')) {
    v.notice = await page.locator('.bullseye-sandbox-notice').innerText();
    if (file === 'next/console/index.html') {
      // One plain server (no variable to type into): the selected option of the servers picker.
      const select = page.locator('.servers select').first();
      await select.waitFor();
      v.servers = { url: await select.inputValue(), options: await page.locator('.servers select option').allInnerTexts() };
    } else {
      await page.waitForFunction(() => document.getElementById('target')?.textContent !== '…');
      v.target = await page.locator('#target').innerText();
    }
  }
  if (file === 'next/api/index.html') {
    await page.locator('a[href="#/section/errors"]').first().click();
    await page.waitForURL(/#/);
    v.menuClick = page.url();
  }
  return v;
}

describe('the published site in Chromium, under /<repo>/', () => {
  beforeAll(async () => {
    await visitAll();
  }, 600_000);

  it('loads every page of every version with no 404, no failed request and no console error', () => {
    expect(visits.size).toBeGreaterThan(90);
    expect([...visits.keys()]).toEqual(expect.arrayContaining(['index.html', 'next/index.html', 'v0.1.0/index.html', 'v0.2.0/index.html', 'next/api/index.html', 'next/sdk/index.html']));
    expect(problems.splice(0)).toEqual([]);
  });

  it('shows on every page a version picker listing every version from versions.json, this one selected, with the contract it documents', () => {
    const entries = versions.versions.map((v) => ({ url: new URL(v.path, site).href, label: v.label }));
    for (const visit of visits.values()) {
      const dir = /^(next|v[^/]+)\//.exec(visit.file)?.[1];
      const own = versions.versions.find((v) => (dir ? v.path === `${dir}/` : v.id === versions.root))!;
      expect(visit.picker.map(({ url, label }) => ({ url, label })), visit.file).toEqual(entries);
      expect(visit.picker.filter((o) => o.selected).map((o) => o.label), visit.file).toEqual([own.label]);
      expect(visit.contract, visit.file).toBe(`contract ${own.contract}`);
    }
  });

  it('links every page to the API catalog from its head', () => {
    for (const visit of visits.values()) expect(visit.catalog, visit.file).toEqual([[`${site}.well-known/api-catalog`, 'application/linkset+json']]);
  });

  it('every link and every picker entry on this host resolves inside the project site', async () => {
    const urls = new Set<string>();
    for (const visit of visits.values()) for (const u of [...visit.links, ...visit.picker.map((o) => o.url)]) if (u.startsWith(server.url)) urls.add(u.replace(/#.*$/, ''));
    expect(urls.size).toBeGreaterThan(100);
    const broken: string[] = [];
    await eachLimit([...urls], 8, async (url) => {
      // A link to the host's root would leave /<repo>/: on Pages that is someone else's site.
      if (!url.startsWith(site)) broken.push(`outside /${REPO}/: ${url}`);
      else if ((await fetch(url, { method: 'HEAD' })).status !== 200) broken.push(url);
    });
    expect(broken.sort()).toEqual([]);
    // The API reference's own menu links route inside its page.
    expect(visits.get('next/api/index.html')?.menuClick).toBe(`${site}next/api/index.html#/section/errors`);
  });

  it('the console of every version targets only a sandbox on 127.0.0.1:4010 and says how to start one; main\'s never offers production', async () => {
    for (const dir of ['', 'v0.2.0/', 'v0.1.0/', 'next/']) {
      const notice = visits.get(`${dir}console/index.html`)?.notice ?? '';
      expect(notice, dir).toContain(LOCAL_SANDBOX_URL);
      expect(notice, dir).toMatch(/npm ci && npm start/);
      expect(notice, dir).toMatch(/never to the production API/);
      if (dir !== 'next/') expect(notice, dir).toMatch(/checkout of the tag @bullseye\/api@0\.[12]\.0|npx -y @bullseye\/cli@\S+ sandbox/);
      expect(JSON.parse(await readFile(path.join(out, dir, 'console', 'mock-server.json'), 'utf8'))).toEqual({ url: LOCAL_SANDBOX_URL });
    }
    // main's console is the real one (Swagger UI): its only server is the local sandbox.
    const servers = visits.get('next/console/index.html')?.servers;
    expect(servers?.url).toBe(LOCAL_SANDBOX_URL);
    expect(servers?.options.length).toBeGreaterThan(0);
    expect(servers?.options.join('\n')).not.toContain('api.app.bullseye.so');
    // A release's console (the fixtures' stand-in) reads the same file.
    expect(visits.get('v0.1.0/console/index.html')?.target).toBe(LOCAL_SANDBOX_URL);
  });

  it('the picker takes a reader from a page of one version to another version', async () => {
    const page = watch(await context.newPage());
    await open(page, `${site}v0.1.0/guides/getting-started-partner.html`);
    await page.locator('nav.bullseye-versions select').selectOption({ label: 'next (main)' });
    await page.waitForURL(`${site}next/`);
    await pickerReady(page);
    expect(await page.locator('nav.bullseye-versions select').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('next (main)');
    await page.locator('nav.bullseye-versions select').selectOption({ label: '0.2.0 (latest)' });
    await page.waitForURL(`${site}v0.2.0/`);
    await page.close();
  });
});
