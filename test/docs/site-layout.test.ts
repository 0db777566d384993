// Every kind of page of the built docs site (generated/site, from `npm run generate`: landing page,
// guides, decisions, changelog, API reference, SDK reference, console) in Debian's headless Chromium,
// served as `npm start` serves it: none is wider than a 390 px phone screen, guide code is highlighted
// with a copy button, axe-core finds no serious or critical WCAG 2 A/AA violation, and no request
// leaves 127.0.0.1, no console error. Runs beside test/docs/site.test.ts and site-pages.test.ts on
// the run's one Chromium. Screenshots go to test-output/screenshots/.
//
// Each kind of page is loaded once, at phone width as a phone loads it, and read by both tests: the
// phone test reads it as it is, the axe test widens it to the desktop viewport (1400 x 900) first.
// Redoc and Swagger UI parse the whole spec on every load (seconds of CPU each); measured on all
// eight kinds, axe's violations, passes and incomplete checks on a page loaded at phone width and
// then widened are those of a page loaded at desktop width (the one difference: the colour contrast
// of one SDK reference node, which axe leaves incomplete on a desktop load, passes after the resize).
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { connectChromium } from '../support/browser.js';
import { eachLimit, MENU_ITEM, PAGE_KINDS, shots, TABS, TEST_TIMEOUT, useSite } from '../support/site.js';

// axe-core (pinned in package.json) is injected from node_modules: no network.
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const site = useSite({ mockUrl: inject('mockUrl'), connect: () => connectChromium(inject('chromiumWsEndpoint')) });

type Kind = (typeof PAGE_KINDS)[number][0];
let loaded: Promise<Array<{ kind: Kind; pathname: string; page: Page }>> | undefined;
/** Every kind of page, loaded once in a phone-sized profile (390 x 844), each in a tab of its own. */
function pagesAtPhoneWidth(): Promise<Array<{ kind: Kind; pathname: string; page: Page }>> {
  loaded ??= site.newContext({ width: 390, height: 844 }).then((phone) =>
    eachLimit(PAGE_KINDS, TABS, async ([kind, pathname]) => {
      const page = await site.open(pathname, phone);
      await page.locator('body').waitFor();
      if (kind === 'API reference') await page.locator(MENU_ITEM).first().waitFor({ state: 'attached' });
      if (kind === 'try-it console') await page.locator('.opblock-tag').first().waitFor();
      return { kind, pathname, page };
    }),
  );
  return loaded;
}
// Loaded under the hook's deadline; what the loads report is the first test's to answer for
// (useSite's afterEach).
beforeAll(async () => {
  await pagesAtPhoneWidth();
}, 180_000);

describe('docs site (generated/site): every kind of page in headless Chromium', { timeout: TEST_TIMEOUT }, () => {
  it('at phone width (390 px) no kind of page is wider than the screen; guide code has highlighting and a copy button', async () => {
    const widths = await eachLimit(await pagesAtPhoneWidth(), TABS, async ({ kind, pathname, page }) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${kind} (${pathname}) is ${width} px wide at 390 px`).toBeLessThanOrEqual(390);
      if (kind === 'SDK guide') {
        await page.screenshot({ path: path.join(shots, 'phone-sdk-guide.png') });
        expect(await page.locator('pre code.hljs .hljs-keyword').count()).toBeGreaterThan(0);
        const copy = page.getByRole('button', { name: 'Copy code to the clipboard' }).first();
        await copy.waitFor();
        expect(await page.getByRole('button', { name: 'Copy code to the clipboard' }).count()).toBe(await page.locator('main pre').count());
      }
      return `${kind} ${width}`;
    });
    console.log(`widths at 390 px: ${widths.join(', ')}`);
  }, 180_000);

  it('axe-core (WCAG 2 A and AA) finds no serious or critical violation on any kind of page', async () => {
    const failures: string[] = [];
    const report = await eachLimit(await pagesAtPhoneWidth(), TABS, async ({ kind, page }) => {
      // The desktop viewport of useSite's first context.
      await page.setViewportSize({ width: 1400, height: 900 });
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
