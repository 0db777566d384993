// Crawls a served docs site the way a person opening links in new tabs does: every internal link
// and resource of every page (HTML, and the Markdown of llms.txt and the agent pages) must answer
// 200 on its own, and a link's #fragment must name an id on the page it points to. Used by the
// tests (test/docs/crawl.test.ts); the API reference's hash routes (`#/…`) are Redoc's, checked in
// the browser test.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface CrawlResult {
  /** Internal URLs fetched (without fragment). */
  urls: number;
  /** Links with a fragment whose target was checked. */
  anchors: number;
  /** `page → link: problem` lines. */
  problems: string[];
}

const SKIP = /^(?:data|blob|javascript|mailto|tel|about):/i;

/** `href`/`src` values of an HTML page outside its scripts' code (script tags keep their `src`). */
export function htmlLinks(html: string): string[] {
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>').replace(/<!--[\s\S]*?-->/g, '');
  return [...markup.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => (m[1] ?? m[2] ?? '').replace(/&amp;/g, '&'));
}

/** Targets of Markdown links and images (`[text](target)`), outside fenced code. */
export function markdownLinks(text: string): string[] {
  const prose = text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

/** Ids a fragment can name: `id` and `name` attributes. */
export function htmlIds(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => m[1] ?? m[2] ?? ''));
}

/** Every page of the built site to start from (orphans included): HTML, Markdown and text files. */
export async function sitePages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(?:html|md|txt)$/.test(e.name) && !e.name.endsWith('.LICENSE.txt'))
    .map((e) => `/${path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')}`)
    .sort();
}

export async function crawlSite(baseUrl: string, startPaths: string[]): Promise<CrawlResult> {
  const origin = new URL(baseUrl).origin;
  const fetched = new Map<string, Promise<{ status: number; type: string; body: string }>>();
  const get = (url: string) => {
    let hit = fetched.get(url);
    if (!hit) {
      hit = fetch(url, { redirect: 'manual' }).then(async (res) => ({ status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() }));
      fetched.set(url, hit);
    }
    return hit;
  };
  const problems: string[] = [];
  let anchors = 0;
  for (const start of startPaths) {
    const pageUrl = new URL(start, baseUrl).href;
    const page = await get(pageUrl);
    if (page.status !== 200) {
      problems.push(`${start}: HTTP ${page.status}`);
      continue;
    }
    const isHtml = page.type.startsWith('text/html');
    const links = isHtml ? htmlLinks(page.body) : markdownLinks(page.body);
    for (const link of new Set(links)) {
      if (!link || SKIP.test(link)) continue;
      let target: URL;
      try {
        target = new URL(link, pageUrl);
      } catch {
        problems.push(`${start} → ${link}: not a URL`);
        continue;
      }
      if (target.origin !== origin) {
        // Absolute links to the docs server itself break as soon as the site moves.
        if (/^https?:\/\/(?:127\.0\.0\.1|localhost)[:/]/.test(link)) problems.push(`${start} → ${link}: absolute link to the docs server`);
        continue;
      }
      const fragment = decodeURIComponent(target.hash.slice(1));
      target.hash = '';
      const res = await get(target.href);
      if (res.status !== 200) {
        problems.push(`${start} → ${link}: HTTP ${res.status}`);
        continue;
      }
      // `#/route` is a client-side route of the API reference (Redoc), not an element id.
      if (!fragment || fragment.startsWith('/') || !res.type.startsWith('text/html')) continue;
      anchors++;
      if (!htmlIds(res.body).has(fragment)) problems.push(`${start} → ${link}: no element with id "${fragment}"`);
    }
  }
  return { urls: fetched.size, anchors, problems };
}
