// npm run pages:assemble -- --out <dir> --main <site> --site-url <url> [--releases <dir>]
//
// Assembles the GitHub Pages artifact, every version at once (a Pages deployment replaces the whole
// site): each release's docs site from its release asset (`--releases`: a folder of the
// `bullseye-api-docs-<version>.tar.gz` files the release workflow attaches; old tags are never
// rebuilt), main's freshly built site (`--main`, usually generated/site), then
//   <out>/                 the latest release (main until the first release)
//   <out>/next/            main
//   <out>/v<version>/      each release
//   <out>/versions.json    the version picker's list (scripts/pages/versions.ts)
//   <out>/version-picker/  the picker's script and style sheet
//   <out>/.well-known/api-catalog   the RFC 9727 API catalog (scripts/pages/catalog.ts)
// and adds the picker, the api-catalog link and the console's sandbox notice to every page of every
// version (scripts/pages/inject.ts). `--site-url` is the published base (https://<owner>.github.io/<repo>/),
// which the catalog's links are made absolute against; the pages themselves link relatively.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { main, root, run, step, StepError } from '../lib/steps.js';
import { apiCatalog, CATALOG_PROFILE } from './catalog.js';
import { CATALOG_PATH, LOCAL_SANDBOX_URL, PageError, PICKER_DIR, processPage } from './inject.js';
import { DOCS_ASSET, releaseTags, versionsFile, type SiteVersion, type VersionsFile } from './versions.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface AssembleOptions {
  out: string;
  /** main's built docs site. */
  main: string;
  /** Absolute URL of the published site's base, e.g. https://acme.github.io/bullseye-api/. */
  siteUrl: string;
  /** Folder holding the releases' docs assets (absent: no release yet). */
  releases?: string;
  /** The @bullseye/cli version released with an SDK version; by default read from the release tag. */
  cliVersionOf?: (version: string) => Promise<string | undefined>;
}

export interface AssembleResult {
  versions: VersionsFile;
  pages: number;
}

/** The @bullseye/cli version in the tree of the release tag (git), when the tag has that package and it carries the sandbox. */
export async function cliVersionAtTag(version: string): Promise<string | undefined> {
  for (const tag of releaseTags(version)) {
    const r = await run('git', ['show', `refs/tags/${tag}:packages/cli/package.json`]);
    if (r.code !== 0) continue;
    try {
      // Only a CLI that carries the sandbox (it depends on @bullseye/sandbox) has `bullseye sandbox`.
      const manifest = JSON.parse(r.stdout) as { version?: unknown; dependencies?: Record<string, unknown> };
      if (typeof manifest.version === 'string' && manifest.dependencies?.['@bullseye/sandbox'] !== undefined) return manifest.version;
    } catch {
      // Not JSON at that tag: as if the package did not exist there.
    }
  }
  return undefined;
}

function checkSiteUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StepError('pages', `--site-url must be an absolute URL (https://<owner>.github.io/<repo>/), got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new StepError('pages', `--site-url must be an http(s) URL, got "${raw}"`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

async function isSite(dir: string): Promise<boolean> {
  return existsSync(path.join(dir, 'index.html')) && existsSync(path.join(dir, 'openapi.json'));
}

/** The contract version a site documents: `info.version` of its own openapi.json. */
async function contractOf(dir: string, what: string): Promise<string> {
  let doc: { info?: { version?: unknown } };
  try {
    doc = JSON.parse(await readFile(path.join(dir, 'openapi.json'), 'utf8')) as typeof doc;
  } catch (err) {
    throw new StepError('pages', `${what}: openapi.json is not readable JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const v = doc.info?.version;
  if (typeof v !== 'string' || !v) throw new StepError('pages', `${what}: openapi.json has no info.version`);
  return v;
}

/** Unpacks each release's docs asset into `<work>/<version>/site`; returns the versions found. */
async function unpackReleases(dir: string, work: string): Promise<string[]> {
  if (!existsSync(dir)) throw new StepError('pages', `--releases ${dir} does not exist`);
  const versions: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const m = DOCS_ASSET.exec(name);
    if (!m) {
      if (name.startsWith('bullseye-api-docs-')) throw new StepError('pages', `${name}: not a docs asset name (bullseye-api-docs-<version>.tar.gz)`);
      continue;
    }
    const version = m[1]!;
    const into = path.join(work, version);
    await mkdir(into, { recursive: true });
    const r = await run('tar', ['-xzf', path.join(dir, name), '-C', into]);
    if (r.code !== 0) throw new StepError('pages', `${name} could not be unpacked`, r.stderr.trim());
    if (!(await isSite(path.join(into, 'site')))) {
      throw new StepError('pages', `${name} holds no docs site (expected site/index.html and site/openapi.json)`);
    }
    versions.push(version);
  }
  return versions;
}

/** Copies a site, leaving out dot files (build stamps): the only dot folder published is .well-known. */
async function copySite(from: string, to: string): Promise<void> {
  await cp(from, to, {
    recursive: true,
    filter: (src) => src === from || !path.basename(src).startsWith('.'),
  });
}

async function htmlFiles(dir: string, skip: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(full)) out.push(...(await htmlFiles(full, skip)));
    } else if (entry.isFile() && /\.html?$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Adds the picker, the catalog link and (on the console) the sandbox notice to every page of one version. */
async function processVersion(siteRoot: string, dir: string, version: SiteVersion, skip: ReadonlySet<string>): Promise<number> {
  const pages = await htmlFiles(dir, skip);
  const hasIcon = existsSync(path.join(dir, 'favicon.ico'));
  for (const file of pages) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const base = path.relative(path.dirname(file), siteRoot).split(path.sep).join('/');
    const html = await readFile(file, 'utf8');
    const icon = hasIcon ? path.relative(path.dirname(file), path.join(dir, 'favicon.ico')).split(path.sep).join('/') : undefined;
    try {
      await writeFile(file, processPage(html, base ? `${base}/` : './', version, rel === 'console/index.html', icon));
    } catch (err) {
      if (err instanceof PageError) throw new StepError('pages', `${path.relative(siteRoot, file)}: ${err.message}`);
      throw err;
    }
  }
  // The console reads its target from this file: on the hosted site, the reader's local sandbox.
  if (existsSync(path.join(dir, 'console'))) {
    await writeFile(path.join(dir, 'console', 'mock-server.json'), `${JSON.stringify({ url: LOCAL_SANDBOX_URL })}\n`);
  }
  return pages.length;
}

export async function assemble(opts: AssembleOptions): Promise<AssembleResult> {
  const siteUrl = checkSiteUrl(opts.siteUrl);
  const out = path.resolve(opts.out);
  const mainDir = path.resolve(opts.main);
  if (!(await isSite(mainDir))) throw new StepError('pages', `--main ${opts.main} is not a built docs site (no index.html or openapi.json): run \`npm run generate\``);
  // --out is emptied first: it must not hold (or be inside) the inputs or this repository.
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(b + path.sep);
  const inputs = [mainDir, root, ...(opts.releases ? [path.resolve(opts.releases)] : [])];
  if (inputs.some((i) => inside(i, out)) || inside(out, mainDir)) {
    throw new StepError('pages', `--out ${opts.out} would overwrite an input or the repository: give a folder of its own (e.g. under /tmp)`);
  }
  const cliVersionOf = opts.cliVersionOf ?? cliVersionAtTag;
  const sdk = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

  const work = await mkdtemp(path.join(tmpdir(), 'bullseye-pages-'));
  try {
    const found = opts.releases ? await unpackReleases(path.resolve(opts.releases), work) : [];
    const releases = await Promise.all(
      found.map(async (version) => ({
        version,
        contract: await contractOf(path.join(work, version, 'site'), `release ${version}`),
        cli: await cliVersionOf(version),
      })),
    );
    const versions = versionsFile({ sdk, contract: await contractOf(mainDir, 'main') }, releases);
    const byId = new Map(versions.versions.map((v) => [v.id, v]));
    const sourceOf = (id: string): string => (id === 'next' ? mainDir : path.join(work, id, 'site'));

    let pages = 0;
    await rm(out, { recursive: true, force: true });
    await copySite(sourceOf(versions.root), out);
    // A site's own top-level folder must not take the name of a version's.
    const clash = versions.versions.map((v) => v.path.slice(0, -1)).concat(PICKER_DIR, 'versions.json').filter((n) => existsSync(path.join(out, n)));
    if (clash.length) throw new StepError('pages', `the ${versions.root} site has files named like the site's own: ${clash.join(', ')}`);
    for (const v of versions.versions) await copySite(sourceOf(v.id), path.join(out, v.path));

    await mkdir(path.join(out, PICKER_DIR), { recursive: true });
    for (const f of ['picker.js', 'picker.css']) await cp(path.join(here, PICKER_DIR, f), path.join(out, PICKER_DIR, f));
    await writeFile(path.join(out, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);

    const versionDirs = new Set(versions.versions.map((v) => path.join(out, v.path.slice(0, -1))));
    pages += await processVersion(out, out, byId.get(versions.root)!, new Set([...versionDirs, path.join(out, PICKER_DIR)]));
    for (const v of versions.versions) pages += await processVersion(out, path.join(out, v.path), v, new Set());

    const catalog = apiCatalog(siteUrl, (p) => existsSync(path.join(out, p)), CATALOG_PATH);
    await mkdir(path.join(out, '.well-known'), { recursive: true });
    await writeFile(path.join(out, CATALOG_PATH), `${JSON.stringify(catalog, null, 2)}\n`);
    return { versions, pages };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const USAGE = 'usage: npm run pages:assemble -- --out <dir> --main <built site> --site-url <https://owner.github.io/repo/> [--releases <folder of bullseye-api-docs-*.tar.gz>]';

function cli(argv: string[]): AssembleOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, main: { type: 'string' }, 'site-url': { type: 'string' }, releases: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new StepError('pages', `${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const missing = ['out', 'main', 'site-url'].filter((k) => !values[k]);
  if (missing.length) throw new StepError('pages', `missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`);
  return { out: values.out!, main: values.main!, siteUrl: values['site-url']!, ...(values.releases ? { releases: values.releases } : {}) };
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  main(async () => {
    const opts = cli(process.argv.slice(2));
    const { versions, pages } = await step(`assemble the Pages site → ${opts.out}`, () => assemble(opts));
    const size = await dirSize(path.resolve(opts.out));
    console.log(
      `${versions.versions.map((v) => `${v.path} (${v.label}, contract ${v.contract})`).join(', ')}; / is ${versions.root}; ` +
        `${pages} pages; ${(size / 1e6).toFixed(1)} MB; catalog at ${new URL(CATALOG_PATH, checkSiteUrl(opts.siteUrl)).href} (${CATALOG_PROFILE})`,
    );
  });
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  return total;
}
