// The built docs site (generated/site, from `npm run generate`), crawled as a person opening each
// link in a new tab: every internal link and resource of every page answers 200 on its own, and
// every #fragment names an element of the page it points to. The API reference's own links are
// rendered in the browser; test/docs/site.test.ts checks those.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, htmlIds, htmlLinks, markdownLinks, sitePages } from '../../scripts/site/crawl.js';
import { serveSite, siteDir } from '../../scripts/site/docs.js';
import type { StaticServer } from '../../scripts/site/static-server.js';

let server: StaticServer;

beforeAll(async () => {
  if (!existsSync(path.join(siteDir, 'index.html'))) throw new Error('generated/site is missing: run `npm run generate` first');
  server = await serveSite({ port: 0 });
});
afterAll(() => server?.close());

describe('docs site crawl', () => {
  it('finds 0 internal 404s and no heading anchor that goes nowhere, from every page of the site', async () => {
    const pages = await sitePages(siteDir);
    expect(pages).toEqual(expect.arrayContaining(['/index.html', '/guides/sdk.html', '/api/index.html', '/llms.txt', '/llms-full.txt', '/decisions.html', '/changelog.html']));
    const result = await crawlSite(server.url, pages);
    console.log(`crawl: ${pages.length} pages, ${result.urls} internal URLs, ${result.anchors} anchors checked, ${result.problems.length} problems`);
    expect(result.problems).toEqual([]);
    // The guides link their sections by anchor, and the crawl reached them.
    expect(result.anchors).toBeGreaterThan(20);
  }, 120_000);

  it('reports what a person would hit: a 404, a missing anchor, a link into the docs server by its address', async () => {
    const base = `${server.url}/`;
    const fake = await import('node:http').then(({ createServer }) => {
      const pages: Record<string, string> = {
        '/': '<a href="a.html#there">ok</a><a href="a.html#nowhere">bad anchor</a><a href="/missing">404</a><a href="http://127.0.0.1:8080/x">abs</a><script>x = "<a href=\'/in-code\'>"</script><a href="https://example.com/">external</a>',
        '/a.html': '<h2 id="there">There</h2>',
        '/llms.txt': '[ok](a.html) [bad](guides/nope.md)\n```\n[in code](nowhere.md)\n```',
      };
      const s = createServer((req, res) => {
        const body = pages[req.url ?? ''];
        res.writeHead(body ? 200 : 404, { 'Content-Type': req.url?.endsWith('.txt') ? 'text/plain' : 'text/html' }).end(body ?? 'nf');
      });
      return new Promise<import('node:http').Server>((r) => s.listen(0, '127.0.0.1', () => r(s)));
    });
    try {
      const url = `http://127.0.0.1:${(fake.address() as import('node:net').AddressInfo).port}`;
      const result = await crawlSite(url, ['/', '/llms.txt']);
      expect(result.problems.sort()).toEqual([
        '/ → /missing: HTTP 404',
        '/ → a.html#nowhere: no element with id "nowhere"',
        '/ → http://127.0.0.1:8080/x: absolute link to the docs server',
        '/llms.txt → guides/nope.md: HTTP 404',
      ]);
    } finally {
      fake.close();
    }
    expect(base).toMatch(/^http/);
  });

  it('reads links and ids from HTML and Markdown as a browser and a Markdown reader do', () => {
    expect(htmlLinks('<a href="x.html">a</a><img src=\'i.png\'><script src="s.js">var a = \'<a href="no">\'</script>')).toEqual(['x.html', 'i.png', 's.js']);
    expect([...htmlIds('<h2 id="a">A</h2><a name="b"></a>')]).toEqual(['a', 'b']);
    expect(markdownLinks('[a](x.md) ![i](i.png "t")\n```\n[no](n.md)\n```\n')).toEqual(['x.md', 'i.png']);
  });
});
