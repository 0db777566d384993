// npm run bench:docs: how long a reader waits for an operation of the API reference, opened from a
// shared link (`api/index.html#/<tag>/<operation>`) over a slow network: Chromium throttled to
// 10 Mbit/s and 40 ms latency (DevTools' network emulation), the site served as `npm start` serves
// it (gzip), cold cache. The figure is the time from navigation start to the first frame in which
// the operation's heading is on screen: the static preview the build puts in the page (Element
// Timing), or Redoc's own heading if it came first; Redoc's page is timed too. Prints the figures
// and exits non-zero when a median is over the budget. Needs the built site (`npm run generate`).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { redocRoute, serveSite, siteDir } from '../scripts/site/docs.js';
import { launchChromium } from '../test/support/browser.js';
import { median, root, table } from './lib.js';

export const FIRST_PAINT_BUDGET_MS = 1500;
/** The throttle issue 22 set the goal at. */
export const THROTTLE = { latencyMs: 40, bitsPerSecond: 10_000_000 };

/** Operations opened from a shared link: one per API, one deep in the menu, and a webhook. */
const TARGETS = ['listPartnerOrganizations', 'getPartner', 'deleteIntegrationFlow', 'listCompanies', 'receivePartnerBilling'];
const RUNS = Number(process.env.BENCH_DOCS_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_DOCS_RUNS must be a whole number of runs, at least 1 (got ${process.env.BENCH_DOCS_RUNS})`);

export interface PaintResult {
  operationId: string;
  url: string;
  runsMs: number[];
  medianMs: number;
  /** Until Redoc's own page of the operation is on screen (parameters, responses, samples). */
  redocMedianMs: number;
  transferredKB: number;
}

/** One cold load (fresh context: nothing cached) of `url`; returns ms to the heading's first frame and the bytes on the wire. */
async function measureOnce(browser: Browser, url: string): Promise<{ ms: number; redocMs: number; bytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const rate = THROTTLE.bitsPerSecond / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: THROTTLE.latencyMs, downloadThroughput: rate, uploadThroughput: rate });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
    // The Element Timing API reports when the preview's heading was painted, even while the page's
    // main thread is busy running Redoc (a check polled from the page would only run afterwards).
    await page.addInitScript(() => {
      const w = window as unknown as { __painted: Record<string, number> };
      w.__painted = {};
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { identifier: string; renderTime: number; element: Element | null }[]) {
          const section = e.element?.closest('[data-preview-route]');
          if (section) w.__painted[section.getAttribute('data-preview-route')!] ??= e.renderTime;
        }
      }).observe({ type: 'element', buffered: true });
    });
    await page.goto(url, { waitUntil: 'commit' });
    const route = new URL(url).hash.slice(1);
    // Redoc's own heading of the operation, on screen, polled frame by frame.
    const redoc = await page.waitForFunction(
      (id) => {
        const el = document.querySelector(`#redoc [data-section-id="${id}"] h2`);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.top < innerHeight ? performance.now() : false;
      },
      route,
      { polling: 'raf', timeout: 120_000 },
    );
    const redocMs = Math.round((await redoc.jsonValue()) as number);
    const previewMs = await page.evaluate((id) => (window as unknown as { __painted: Record<string, number> }).__painted[id], route);
    const ms = Math.round(Math.min(redocMs, previewMs ?? Infinity));
    return { ms, redocMs, bytes };
  } finally {
    await context.close();
  }
}

export async function measureFirstPaint(tags: Record<string, string>, dir = siteDir): Promise<PaintResult[]> {
  if (!existsSync(path.join(dir, 'api', 'index.html'))) throw new Error(`${dir}/api/index.html is missing: run npm run generate first`);
  const server = await serveSite({ port: 0, dir });
  const browser = await launchChromium();
  try {
    const results: PaintResult[] = [];
    for (const operationId of TARGETS.filter((id) => tags[id])) {
      const url = `${server.url}/api/index.html#${redocRoute(tags[operationId]!, operationId)}`;
      // The server compresses a file on its first request: warm it, as a deployed site's CDN would be.
      await fetch(`${server.url}/api/index.html`, { headers: { 'Accept-Encoding': 'gzip' } }).then((r) => r.arrayBuffer());
      const runs: { ms: number; redocMs: number; bytes: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measureOnce(browser, url));
      results.push({ operationId, url: url.slice(server.url.length), runsMs: runs.map((r) => r.ms), medianMs: median(runs.map((r) => r.ms)), redocMedianMs: median(runs.map((r) => r.redocMs)), transferredKB: Math.round(median(runs.map((r) => r.bytes)) / 1024) });
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isEntry) {
  const doc = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>>; webhooks?: Record<string, Record<string, unknown>> };
  const tags: Record<string, string> = {};
  for (const item of [...Object.values(doc.paths), ...Object.values(doc.webhooks ?? {})]) {
    for (const op of Object.values(item) as { operationId?: string; tags?: string[] }[]) if (op?.operationId && op.tags?.[0]) tags[op.operationId] = op.tags[0];
  }
  const results = await measureFirstPaint(tags);
  console.log(`\nFirst paint of an operation opened from a shared link, ${THROTTLE.bitsPerSecond / 1e6} Mbit/s and ${THROTTLE.latencyMs} ms latency, cold cache, ${RUNS} runs each:\n`);
  console.log(table(['operation', 'URL', 'first paint, runs ms', 'median ms', "Redoc's page, median ms", 'transferred'], results.map((r) => [r.operationId, r.url, r.runsMs.join(', '), r.medianMs, r.redocMedianMs, `${r.transferredKB} KB`])));
  const worst = Math.max(...results.map((r) => r.medianMs));
  const ok = worst < FIRST_PAINT_BUDGET_MS;
  console.log(`\nbudget: every median < ${FIRST_PAINT_BUDGET_MS} ms: ${ok ? 'pass' : 'FAIL'} (worst ${worst} ms)`);
  process.exitCode = ok ? 0 : 1;
}
