// Builds the offline docs site into generated/site/: the Redoc API reference (api/), the TypeDoc SDK
// reference (sdk/), the guides of docs/ (guides/) and a landing page linking them. Nothing on the
// site loads anything from another host: the build fails if a remote resource is left.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLlmsFiles } from './llms.js';
import { listOperations, PRODUCTION_BASE_URL } from './spec.js';
import { bin, root, runChecked, StepError } from './steps.js';

export const siteDir = path.join(root, 'generated', 'site');
const docsDir = path.join(root, 'docs');

/** docs/*.md files that are not guides: the Redoc introduction, the folder's readme, the SDK readme. */
const NOT_GUIDES = new Set(['introduction.md', 'README.md', 'sdk.md']);

/** Guides in the order the landing page lists them; others follow alphabetically. */
const GUIDE_ORDER = [
  'getting-started-partner.md',
  'getting-started-organization.md',
  'authentication.md',
  'pagination.md',
  'errors-and-retries.md',
  'webhooks.md',
];

// The Redocly logo Redoc shows in its footer, replaced by an inline image (same size, no request).
const REDOCLY_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
const INLINE_LOGO =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='60' height='16' viewBox='0 0 60 16'%3E%3Ctext x='0' y='12' font-family='sans-serif' font-size='11' fill='%23888'%3ERedocly%3C/text%3E%3C/svg%3E";

// A 16x16 PNG (a blue dot); browsers accept PNG data under the .ico name.
const FAVICON_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAO0lEQVR4nGNgoAXgzj79HxumSDNRhhDSjNcQYjVjNYRUzRiGjBpABQMojkaqJCRiDcGrmZAhRGkmFQAAKYBfEI5n/dMAAAAASUVORK5CYII=';

interface MarkdownIt {
  render(src: string): string;
}
// markdown-it (a pinned devDependency, also used by typedoc) ships no types of its own.
const MarkdownItCtor = createRequire(import.meta.url)('markdown-it') as new (opts: object) => MarkdownIt;
const markdown = new MarkdownItCtor({ html: false, linkify: false, typographer: false });

export interface Guide {
  /** File name in docs/, e.g. `webhooks.md`. */
  file: string;
  /** Page name in the site, e.g. `webhooks.html`. */
  page: string;
  title: string;
  source: string;
}

/** The guides in docs/ (every page but the introduction, the README and the SDK page), or the named pages. */
export async function listGuides(dir = docsDir, only?: string[]): Promise<Guide[]> {
  const files = only ?? (await readdir(dir)).filter((f) => f.endsWith('.md') && !NOT_GUIDES.has(f));
  const rank = (f: string): number => (GUIDE_ORDER.includes(f) ? GUIDE_ORDER.indexOf(f) : GUIDE_ORDER.length);
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Promise.all(
    files.map(async (file) => {
      const source = await readFile(path.join(dir, file), 'utf8');
      const title = /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? file.replace(/\.md$/, '');
      return { file, page: file.replace(/\.md$/, '.html'), title, source };
    }),
  );
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
:root { color-scheme: light; --fg: #1d2433; --muted: #5b6478; --accent: #0b6bcb; --line: #e3e6ec; --code: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
header { border-bottom: 1px solid var(--line); padding: 12px 24px; display: flex; gap: 20px; align-items: center; flex-wrap: wrap; }
header a { color: var(--fg); text-decoration: none; font-weight: 500; }
header a.brand { font-weight: 700; margin-right: auto; }
main { max-width: 860px; margin: 0 auto; padding: 24px; }
a { color: var(--accent); }
h1, h2, h3 { line-height: 1.25; }
code { background: var(--code); padding: 1px 4px; border-radius: 4px; font: 0.9em/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 16px 0; }
th, td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 16px; margin: 24px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
.card h2 { margin: 0 0 8px; font-size: 1.1rem; }
.muted { color: var(--muted); }
`;

function page(title: string, body: string, base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header>
  <a class="brand" href="${base}index.html">Bullseye API docs</a>
  <a href="${base}api/index.html">API reference</a>
  <a href="${base}sdk/index.html">SDK reference</a>
  <a href="${base}index.html#guides">Guides</a>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

export function renderGuide(guide: Guide): string {
  return page(`${guide.title} · Bullseye API docs`, markdown.render(guide.source), '../');
}

function landingPage(guides: Guide[], operationCount: number, sdkBuilt: boolean): string {
  const list = guides.map((g) => `<li><a href="guides/${g.page}">${escapeHtml(g.title)}</a></li>`).join('\n');
  const body = `
<h1>Bullseye API documentation</h1>
<p>Reference and guides for the two Bullseye HTTP APIs, which share the base URL
<code>${PRODUCTION_BASE_URL}</code>: the <strong>Partner API</strong> for whitelabel partners
(header <code>X-Partner-API-Key</code>) and the <strong>Organization API</strong> for organizations and
agencies (header <code>X-API-Key</code>).</p>
<div class="cards">
  <div class="card"><h2><a href="api/index.html">API reference</a></h2>
    <p class="muted">All ${operationCount} operations of both APIs, the webhooks, and a curl and a TypeScript sample for each operation.</p></div>
  <div class="card"><h2><a href="sdk/index.html">SDK reference</a></h2>
    <p class="muted">The typed TypeScript client: <code>createPartnerClient</code>, <code>createOrganizationClient</code>, errors, pagination, webhooks.${sdkBuilt ? '' : ' (not built in this run)'}
    Start with the <a href="guides/sdk.html">SDK guide</a>: options, both result styles, retries, rate limits.</p></div>
  <div class="card"><h2>OpenAPI document</h2>
    <p class="muted">The bundled OpenAPI 3.1 description: <a href="openapi.json">openapi.json</a> · <a href="openapi.yaml">openapi.yaml</a></p></div>
</div>
<h2 id="guides">Guides</h2>
<ul>
${list}
</ul>
<p class="muted">Every code sample on this site is type-checked and run against the mock server by the test suite.</p>
`;
  return page('Bullseye API documentation', body, '');
}

function collectStrings(node: unknown, out: Set<string>): void {
  if (typeof node === 'string') out.add(node);
  else if (Array.isArray(node)) node.forEach((n) => collectStrings(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => collectStrings(n, out));
}

const RESOURCE_EXT = /\.(?:m?js|css|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf|eot)$/i;

/**
 * Remote resources a browser would load from a page: `src`/`href`/`srcset` of resource tags,
 * CSS `url()` and `@import`, and resource-looking URLs (scripts, styles, images, fonts) anywhere in
 * the page's code. URLs that are plain text of the API description (`textUrls`, e.g. example values)
 * are not loads.
 */
export function findRemoteResources(html: string, textUrls: ReadonlySet<string> = new Set()): string[] {
  const found = new Set<string>();
  const remote = String.raw`(?:https?:)?\/\/[^\s"'\`)<>\\]+`;
  const tag = new RegExp(String.raw`<(?:script|img|iframe|source|embed|audio|video|track|input|link|object|use|image)\b[^>]*?\b(?:src|href|srcset|data|poster|xlink:href)\s*=\s*["']?\s*(${remote})`, 'gi');
  const css = new RegExp(String.raw`(?:url\(\s*["']?|@import\s+["'])(${remote})`, 'gi');
  const anywhere = new RegExp(String.raw`(https?:\/\/[^\s"'\`)<>\\]+)`, 'gi');
  for (const m of html.matchAll(tag)) found.add(m[1]!);
  for (const m of html.matchAll(css)) found.add(m[1]!);
  for (const m of html.matchAll(anywhere)) {
    const url = m[1]!.replace(/[.,;]+$/, '');
    const pathname = url.replace(/[?#].*$/, '');
    if (RESOURCE_EXT.test(pathname) && !textUrls.has(url) && ![...textUrls].some((t) => t.includes(url))) found.add(url);
  }
  return [...found].filter((u) => !/^(?:https?:)?\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\//.test(u)).sort();
}

async function htmlFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => path.join(e.parentPath, e.name));
}

/** Every remote resource on every page of a built site, as `file: url` lines. */
export async function auditSite(dir: string, textUrls: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await htmlFiles(dir)) {
    const html = await readFile(file, 'utf8');
    for (const url of findRemoteResources(html, textUrls)) problems.push(`${path.relative(dir, file)}: ${url}`);
  }
  return problems;
}

export async function specTextUrls(doc: unknown): Promise<Set<string>> {
  const strings = new Set<string>();
  collectStrings(doc, strings);
  const urls = new Set<string>();
  for (const s of strings) for (const m of s.matchAll(/https?:\/\/[^\s"'`)<>\\]+/g)) urls.add(m[0].replace(/[.,;]+$/, ''));
  return urls;
}

async function buildApiReference(doc: Record<string, unknown>, out: string): Promise<void> {
  const introduction = await readFile(path.join(docsDir, 'introduction.md'), 'utf8');
  // The introduction is added to the site's copy only: generated/openapi.* keep the spec's own text.
  const siteDoc = { ...doc, info: { ...(doc.info as object), description: introduction } };
  const tmp = await mkdtemp(path.join(tmpdir(), 'bullseye-docs-'));
  try {
    const input = path.join(tmp, 'openapi.json');
    await writeFile(input, JSON.stringify(siteDoc));
    await runChecked('build-docs', bin('redocly'), [
      'build-docs',
      input,
      '--inlineBundle',
      '--output',
      out,
      '--title',
      'Bullseye API reference',
      '--openapi.hideDownloadButtons',
      '--openapi.jsonSamplesExpandLevel=2',
    ]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  let html = await readFile(out, 'utf8');
  for (const logo of REDOCLY_LOGOS) html = html.split(logo).join(INLINE_LOGO);
  // Without an icon the browser asks for /favicon.ico, a 404 and a console error.
  if (!/<link[^>]+rel=["']?icon/i.test(html)) html = html.replace(/<head>/i, '<head>\n<link rel="icon" href="data:,">');
  await writeFile(out, html);
}

/** Runs TypeDoc when the SDK's typedoc.json is present. Returns whether the SDK reference was built. */
async function buildSdkReference(): Promise<boolean> {
  if (!existsSync(path.join(root, 'typedoc.json'))) return false;
  await runChecked('typedoc', bin('typedoc'), ['--options', 'typedoc.json', '--out', path.join(siteDir, 'sdk')]);
  return true;
}

export async function buildSite(): Promise<void> {
  const specFile = path.join(root, 'generated', 'openapi.json');
  const doc = JSON.parse(await readFile(specFile, 'utf8')) as Record<string, unknown>;
  await rm(siteDir, { recursive: true, force: true });
  await mkdir(path.join(siteDir, 'api'), { recursive: true });
  await mkdir(path.join(siteDir, 'guides'), { recursive: true });

  await Promise.all([
    buildApiReference(doc, path.join(siteDir, 'api', 'index.html')),
    cp(specFile, path.join(siteDir, 'openapi.json')),
    cp(path.join(root, 'generated', 'openapi.yaml'), path.join(siteDir, 'openapi.yaml')),
  ]);
  const sdkBuilt = await buildSdkReference();

  const guides = await listGuides();
  for (const guide of guides) await writeFile(path.join(siteDir, 'guides', guide.page), renderGuide(guide));
  // docs/sdk.md, the SDK's own page (its code is checked by test/docs/reference-docs.test.ts).
  const sdkGuide = (await listGuides(docsDir, ['sdk.md']))[0];
  if (sdkGuide) await writeFile(path.join(siteDir, 'guides', sdkGuide.page), renderGuide(sdkGuide));
  await writeFile(path.join(siteDir, 'index.html'), landingPage(guides, listOperations(doc).length, sdkBuilt));
  await writeLlmsFiles(siteDir, doc as never, sdkGuide ? [...guides, sdkGuide] : guides);

  // TypeDoc pages declare no icon: a real /favicon.ico spares browsers a 404 (a console error).
  await writeFile(path.join(siteDir, 'favicon.ico'), Buffer.from(FAVICON_PNG, 'base64'));

  const problems = await auditSite(siteDir, await specTextUrls(doc));
  if (problems.length) {
    throw new StepError('docs', 'the docs site would load resources from other hosts', problems.join('\n'));
  }
}
