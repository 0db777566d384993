// The parts of `npm run pages:assemble` (scripts/pages/) without a browser: which version is the
// latest, versions.json, what is added to a page (and only once), the API catalog, and the readable
// errors the command gives on bad input. test/docs/pages.test.ts reads the assembled site in Chromium.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, run, StepError } from '../../scripts/lib/steps.js';
import { assemble } from '../../scripts/pages/assemble.js';
import { apiCatalog } from '../../scripts/pages/catalog.js';
import { consoleNotice, PageError, processPage, sandboxCommands } from '../../scripts/pages/inject.js';
import { compareVersions, DOCS_ASSET, latestRelease, versionsFile, type SiteVersion } from '../../scripts/pages/versions.js';

const release = (over: Partial<SiteVersion> = {}): SiteVersion => ({
  id: '1.2.0',
  label: '1.2.0 (latest)',
  path: 'v1.2.0/',
  sdk: '1.2.0',
  contract: '3.0.0',
  prerelease: false,
  latest: true,
  ...over,
});

describe('versions', () => {
  it('orders versions as semver does, pre-releases before their release', () => {
    const sorted = ['1.0.0', '0.10.0', '1.0.0-rc.10', '0.9.1', '1.0.0-rc.2', '1.0.0-alpha', '0.2.0'].sort(compareVersions);
    expect(sorted).toEqual(['0.2.0', '0.9.1', '0.10.0', '1.0.0-alpha', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0']);
    expect(() => compareVersions('1.0', '1.0.0')).toThrow(/not a version/);
  });

  it('serves the highest release at the base, never a pre-release, and main until the first release', () => {
    expect(latestRelease(['0.2.0', '0.10.0', '1.0.0-rc.1'])).toBe('0.10.0');
    expect(latestRelease(['1.0.0-rc.1'])).toBeUndefined();
    expect(versionsFile({ sdk: '0.3.0', contract: '3.1.0' }, []).root).toBe('next');
    const file = versionsFile({ sdk: '0.3.0', contract: '3.1.0' }, [
      { version: '0.1.0', contract: '2.0.0' },
      { version: '1.0.0-rc.1', contract: '3.1.0' },
      { version: '0.2.0', contract: '3.0.0', cli: '0.1.0' },
    ]);
    expect(file.root).toBe('0.2.0');
    expect(file.versions.map((v) => [v.id, v.path, v.label, v.latest, v.prerelease])).toEqual([
      ['next', 'next/', 'next (main)', false, true],
      ['1.0.0-rc.1', 'v1.0.0-rc.1/', '1.0.0-rc.1', false, true],
      ['0.2.0', 'v0.2.0/', '0.2.0 (latest)', true, false],
      ['0.1.0', 'v0.1.0/', '0.1.0', false, false],
    ]);
    expect(file.versions.find((v) => v.id === '0.2.0')).toMatchObject({ contract: '3.0.0', cli: '0.1.0', sdk: '0.2.0' });
  });

  it('reads a release version from the docs asset name the release workflow gives', () => {
    expect(DOCS_ASSET.exec('bullseye-api-docs-1.2.3.tar.gz')?.[1]).toBe('1.2.3');
    expect(DOCS_ASSET.exec('bullseye-api-docs-1.2.3-rc.1.tar.gz')?.[1]).toBe('1.2.3-rc.1');
    expect(DOCS_ASSET.test('bullseye-api-docs-latest.tar.gz')).toBe(false);
    expect(DOCS_ASSET.test('bullseye-api-1.2.3.tgz')).toBe(false);
  });
});

describe('what a page gets', () => {
  const html = '<!doctype html><html><head><title>t</title></head><body><main class="wide"><h1>Console</h1></main></body></html>';

  it('adds the api-catalog link, the picker and an icon to the head, relative to the site base, once however often it runs', () => {
    const once = processPage(html, '../../', release(), false);
    expect(once).toContain('<link rel="api-catalog" href="../../.well-known/api-catalog" type="application/linkset+json"');
    expect(once).toContain('src="../../version-picker/picker.js" data-base="../../" data-version="1.2.0" data-label="1.2.0 (latest)" data-contract="3.0.0"');
    expect(once).toContain('<link rel="icon" href="data:,"');
    expect(once.indexOf('rel="api-catalog"')).toBeLessThan(once.indexOf('</head>'));
    expect(processPage(once, '../../', release(), false)).toBe(once);
    expect(processPage(html, './', release(), false, 'favicon.ico')).toContain('<link rel="icon" href="favicon.ico"');
    // A page that names its own icon keeps it.
    const withIcon = html.replace('</head>', '<link rel="icon" href="data:,"></head>');
    expect(processPage(withIcon, './', release(), false).match(/rel="icon"/g)).toHaveLength(1);
  });

  it('puts the sandbox notice first in the console\'s content, with the release\'s CLI when known', () => {
    const page = processPage(html, '../', release({ cli: '0.4.1' }), true);
    expect(page.indexOf('bullseye-sandbox-notice')).toBeGreaterThan(page.indexOf('<main class="wide">'));
    expect(page.indexOf('bullseye-sandbox-notice')).toBeLessThan(page.indexOf('<h1>Console</h1>'));
    expect(page).toContain('<code>npx -y @bullseye/cli@0.4.1 sandbox</code>');
    expect(page).toContain('http://127.0.0.1:4010');
    expect(processPage(page, '../', release({ cli: '0.4.1' }), true).match(/bullseye-sandbox-notice/g)).toHaveLength(1);
    expect(sandboxCommands(release())).toEqual(['in a checkout of the tag <code>@bullseye/api@1.2.0</code>: <code>npm ci &amp;&amp; npm start</code>']);
    expect(sandboxCommands(release({ id: 'next' })).join()).toMatch(/main branch.*npm start/);
    expect(consoleNotice(release())).not.toMatch(/api\.app\.bullseye\.so/);
  });

  it('refuses a page it cannot place the tags in', () => {
    expect(() => processPage('<p>no head</p>', './', release(), false)).toThrow(PageError);
    expect(() => processPage('<html><head></head></html>', './', release(), true)).toThrow(/console page has no <body>/);
  });
});

describe('the API catalog', () => {
  it('makes every link absolute against the site URL and leaves out what the served version lacks', () => {
    const site = 'https://acme.github.io/bullseye-api/';
    const catalog = apiCatalog(site, (p) => p !== 'guides/getting-started-organization.html', '.well-known/api-catalog');
    expect(catalog.linkset[0]).toEqual({
      anchor: `${site}.well-known/api-catalog`,
      item: [
        { href: 'https://api.app.bullseye.so/api/v1/partner', title: 'Bullseye Partner API' },
        { href: 'https://api.app.bullseye.so/api/v1', title: 'Bullseye Organization API' },
      ],
    });
    const hrefs = (i: number, rel: string): string[] => (catalog.linkset[i]![rel] as Array<{ href: string }>).map((l) => l.href);
    expect(hrefs(1, 'service-desc')).toEqual([`${site}openapi.json`, `${site}openapi.yaml`]);
    expect(hrefs(1, 'service-doc')).toEqual([`${site}api/index.html`, `${site}guides/getting-started-partner.html`, `${site}llms.txt`]);
    expect(hrefs(2, 'service-doc')).toEqual([`${site}api/index.html`, `${site}llms.txt`]);
  });
});

describe('npm run pages:assemble on bad input', () => {
  let dir: string;
  let mainSite: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bullseye-pages-unit-'));
    mainSite = path.join(dir, 'main');
    await mkdir(mainSite);
    await writeFile(path.join(mainSite, 'index.html'), '<html><head></head><body></body></html>');
    await writeFile(path.join(mainSite, 'openapi.json'), JSON.stringify({ info: { version: '3.0.0' } }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const fails = async (opts: Parameters<typeof assemble>[0], message: RegExp): Promise<void> => {
    const err = await assemble(opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StepError);
    expect((err as Error).message).toMatch(message);
  };

  it('names what is wrong: the site URL, main\'s site, the releases folder, an asset', async () => {
    const out = path.join(dir, 'out');
    await fails({ out, main: mainSite, siteUrl: 'acme.github.io/x' }, /--site-url must be an absolute URL/);
    await fails({ out, main: mainSite, siteUrl: 'ftp://acme/x/' }, /--site-url must be an http\(s\) URL/);
    await fails({ out, main: path.join(dir, 'nothing'), siteUrl: 'https://acme.github.io/x/' }, /--main .* is not a built docs site/);
    for (const bad of [dir, mainSite, path.join(mainSite, 'pages'), root, path.dirname(root)]) {
      await fails({ out: bad, main: mainSite, siteUrl: 'https://acme.github.io/x/' }, /--out .* would overwrite an input or the repository/);
    }
    await fails({ out, main: mainSite, siteUrl: 'https://acme.github.io/x/', releases: path.join(dir, 'none') }, /--releases .* does not exist/);
    const releases = path.join(dir, 'releases');
    await mkdir(releases);
    await writeFile(path.join(releases, 'bullseye-api-docs-1.0.0.tar.gz'), 'not a tarball');
    await fails({ out, main: mainSite, siteUrl: 'https://acme.github.io/x/', releases, cliVersionOf: async () => undefined }, /bullseye-api-docs-1\.0\.0\.tar\.gz could not be unpacked/);
    await rm(path.join(releases, 'bullseye-api-docs-1.0.0.tar.gz'));
    await writeFile(path.join(releases, 'bullseye-api-docs-one.tar.gz'), '');
    await fails({ out, main: mainSite, siteUrl: 'https://acme.github.io/x/', releases }, /not a docs asset name/);
  });

  it('publishes main alone at the base and under next/ before the first release', async () => {
    const out = path.join(dir, 'only-main');
    const { versions, pages } = await assemble({ out, main: mainSite, siteUrl: 'https://acme.github.io/x' });
    expect(versions.root).toBe('next');
    expect(versions.versions.map((v) => v.id)).toEqual(['next']);
    expect(pages).toBe(2);
  });

  it('prints its usage and exits 1 without the arguments it needs', async () => {
    const r = await run('npm', ['run', '-s', 'pages:assemble', '--', '--out', path.join(dir, 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing --main, --site-url');
    expect(r.stderr).toContain('usage: npm run pages:assemble --');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
