// Builds the offline docs site into generated/site/: the Redoc API reference (api/), the TypeDoc SDK
// reference (sdk/), the guides of docs/ (guides/), a try-it console on the local mock (console/) and
// a landing page linking them. Each part writes its own files (SITE_PARTS below: a new file of the
// site is one more part). Nothing on the site loads anything from another host: the build fails if
// a remote resource is left.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeLlmsFiles } from './llms.js';
import { listOperations, PRODUCTION_BASE_URL } from '../lib/spec.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { bin, root, runChecked, StepError } from '../lib/steps.js';
import SITE_NAV from './site-nav.json' with { type: 'json' };

export const siteDir = path.join(root, 'generated', 'site');
const docsDir = path.join(root, 'docs');
const require = createRequire(import.meta.url);

/** Where the try-it console reads the mock's URL; `serveSite` answers it with the running mock's. */
export const MOCK_SERVER_FILE = 'console/mock-server.json';
/** The mock's URL when nothing tells the console otherwise: `npm run mock` with the default port. */
export const DEFAULT_MOCK_URL = 'http://127.0.0.1:4010';

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
const MarkdownItCtor = require('markdown-it') as new (opts: object) => MarkdownIt;
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
header.site-nav { border-bottom: 1px solid var(--line); padding: 12px 24px; display: flex; gap: 20px; align-items: center; flex-wrap: wrap; }
header.site-nav a { color: var(--fg); text-decoration: none; font-weight: 500; }
header.site-nav a.brand { font-weight: 700; margin-right: auto; }
main { max-width: 860px; margin: 0 auto; padding: 24px; }
main.wide { max-width: 1460px; }
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

/** The site's navigation (scripts/site/site-nav.json, shared with the TypeDoc pages), relative to `base`. */
export function siteHeader(base: string): string {
  const links = SITE_NAV.map((l) => `  <a${l.brand ? ' class="brand"' : ''} href="${base}${l.href}">${escapeHtml(l.label)}</a>`);
  return `<header class="site-nav">\n${links.join('\n')}\n</header>`;
}

function page(title: string, body: string, base: string, opts: { head?: string; mainClass?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
${opts.head ?? ''}
</head>
<body>
${siteHeader(base)}
<main${opts.mainClass ? ` class="${opts.mainClass}"` : ''}>
${body}
</main>
</body>
</html>
`;
}

export function renderGuide(guide: Guide): string {
  return page(`${guide.title} · Bullseye API docs`, markdown.render(guide.source), '../');
}

function landingPage(guides: Guide[], operationCount: number): string {
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
  <div class="card"><h2><a href="console/index.html">Try-it console</a></h2>
    <p class="muted">Pick an operation, enter a key and send the request to the local mock server (<code>npm start</code>): the status, headers and body come back on the page.</p></div>
  <div class="card"><h2><a href="sdk/index.html">SDK reference</a></h2>
    <p class="muted">The typed TypeScript client: <code>createPartnerClient</code>, <code>createOrganizationClient</code>, errors, pagination, webhooks.
    Start with the <a href="guides/sdk.html">SDK guide</a>: options, both result styles, retries, rate limits.</p></div>
  <div class="card"><h2>OpenAPI document</h2>
    <p class="muted">The bundled OpenAPI 3.1 description: <a href="openapi.json">openapi.json</a> · <a href="openapi.yaml">openapi.yaml</a></p></div>
  <div class="card"><h2>Docs for agents</h2>
    <p class="muted">Plain Markdown for language models and tools: <a href="llms.txt">llms.txt</a> (an index with a page per operation) · <a href="llms-full.txt">llms-full.txt</a> (everything in one file)</p></div>
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

/** Files a browser runs or renders: pages, scripts and style sheets (the console's Swagger UI too). */
async function loadedFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && /\.(?:html|m?js|css)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

/** Every remote resource in every page, script and style sheet of a built site, as `file: url` lines. */
export async function auditSite(dir: string, textUrls: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await loadedFiles(dir)) {
    const text = await readFile(file, 'utf8');
    for (const url of findRemoteResources(text, textUrls)) problems.push(`${path.relative(dir, file)}: ${url}`);
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

/** Redoc shows the x-codeSamples of the languages its options list, and its default list has no TypeScript. */
export function sampleLanguages(doc: { paths?: Record<string, Record<string, unknown>> }): string[] {
  const langs = new Set<string>();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      const samples = (op as { 'x-codeSamples'?: Array<{ lang?: unknown }> } | null)?.['x-codeSamples'];
      for (const s of Array.isArray(samples) ? samples : []) if (typeof s.lang === 'string') langs.add(s.lang);
    }
  }
  // Payload: Redoc's own tab with the request body example.
  return [...langs, 'Payload'];
}

// Redoc lays each code block's copy button over its first line, where it hides the end of a long
// `import` or curl line: give the controls a row of their own above the code. Request samples wrap
// their long lines, so the whole call (path, body) is on screen in the narrow right panel.
const REDOC_CSS = `<style>
[data-component-name="CodeBlock/CodeBlock"] .code-block-header { position: static; display: flex; justify-content: flex-end; }
.panel-request-samples pre[data-component-name="CodeBlock/CodeBlockContainer"] { white-space: pre-wrap; overflow-wrap: anywhere; padding-right: 16px; }
.panel-request-samples pre[data-component-name="CodeBlock/CodeBlockContainer"] code { white-space: inherit; }
</style>`;

async function buildApiReference({ dir, doc }: SiteContext): Promise<void> {
  const out = path.join(dir, 'api', 'index.html');
  await mkdir(path.dirname(out), { recursive: true });
  const introduction = await readFile(path.join(docsDir, 'introduction.md'), 'utf8');
  // The introduction is added to the site's copy only: generated/openapi.* keep the spec's own text.
  const siteDoc = { ...doc, info: { ...(doc.info as object), description: introduction } };
  const tmp = await mkdtemp(path.join(tmpdir(), 'bullseye-docs-'));
  try {
    const input = path.join(tmp, 'openapi.json');
    await writeFile(input, JSON.stringify(siteDoc));
    // Redoc's options in a config of their own: the repository's redocly.yaml is the lint gate, and
    // the input is already bundled and decorated.
    const config = path.join(tmp, 'redocly.yaml');
    const options = {
      hideDownloadButtons: true,
      jsonSamplesExpandLevel: 2,
      codeSamples: { languages: sampleLanguages(doc as never).map((lang) => ({ lang })) },
    };
    // JSON is YAML.
    await writeFile(config, JSON.stringify({ telemetry: 'off', openapi: options }));
    await runChecked('build-docs', bin('redocly'), [
      'build-docs',
      input,
      '--config',
      config,
      // Its schema lists only the languages Redocly can generate samples for; ours come with the spec.
      '--lint-config',
      'off',
      '--inlineBundle',
      '--output',
      out,
      '--title',
      'Bullseye API reference',
    ]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  let html = await readFile(out, 'utf8');
  for (const logo of REDOCLY_LOGOS) html = html.split(logo).join(INLINE_LOGO);
  // Without an icon the browser asks for /favicon.ico, a 404 and a console error.
  if (!/<link[^>]+rel=["']?icon/i.test(html)) html = html.replace(/<head>/i, '<head>\n<link rel="icon" href="data:,">');
  html = html.replace(/<\/head>/i, `${REDOC_CSS}\n</head>`);
  await writeFile(out, html);
}

/** Runs TypeDoc (typedoc.json, with the site navigation plugin) into sdk/. */
async function buildSdkReference({ dir }: SiteContext): Promise<void> {
  await runChecked('typedoc', bin('typedoc'), ['--options', 'typedoc.json', '--out', path.join(dir, 'sdk')]);
}

async function writeGuides({ dir, guides }: SiteContext): Promise<void> {
  await mkdir(path.join(dir, 'guides'), { recursive: true });
  // docs/sdk.md, the SDK's own page, is rendered with the guides (its code is checked by test/docs/reference-docs.test.ts).
  const pages = [...guides, ...(await listGuides(docsDir, ['sdk.md']))];
  for (const guide of pages) await writeFile(path.join(dir, 'guides', guide.page), renderGuide(guide));
}

async function copySpec({ dir }: SiteContext): Promise<void> {
  await cp(path.join(root, 'generated', 'openapi.json'), path.join(dir, 'openapi.json'));
  await cp(path.join(root, 'generated', 'openapi.yaml'), path.join(dir, 'openapi.yaml'));
}

/** /llms.txt, /llms-full.txt and a Markdown page per operation (scripts/site/llms.ts), guides and SDK guide included. */
async function writeAgentDocs({ dir, doc, guides }: SiteContext): Promise<void> {
  await writeLlmsFiles(dir, doc as never, [...guides, ...(await listGuides(docsDir, ['sdk.md']))]);
}

async function writeLanding({ dir, doc, guides }: SiteContext): Promise<void> {
  await writeFile(path.join(dir, 'index.html'), landingPage(guides, listOperations(doc).length));
  // TypeDoc pages declare no icon: a real /favicon.ico spares browsers a 404 (a console error).
  await writeFile(path.join(dir, 'favicon.ico'), Buffer.from(FAVICON_PNG, 'base64'));
}

// ── try-it console ────────────────────────────────────────────────────────────────────────────
// Swagger UI (swagger-ui-dist: one self-contained script and stylesheet, no remote font or request)
// on the bundled spec, its servers replaced by the local mock's URL, read at load time from
// MOCK_SERVER_FILE: the build writes the default, `npm start` serves the URL of the mock it started.

/** Files of swagger-ui-dist the console serves, with their licences. */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui.css', 'LICENSE', 'NOTICE'];

const CONSOLE_CSS = `<link rel="stylesheet" href="swagger-ui.css">
<style>
.console-intro { max-width: 1460px; margin: 0 auto; padding: 0 20px; }
#console .swagger-ui .information-container { display: none; }
#console-error { color: #b42318; }
</style>`;

const CONSOLE_JS = `// The try-it console: Swagger UI on the bundled spec, sending requests to the local mock server.
'use strict';
(async () => {
  const show = (message) => {
    const el = document.getElementById('console-error');
    el.textContent = message;
    el.hidden = false;
  };
  try {
    const [spec, mock] = await Promise.all([
      fetch('../openapi.json').then((r) => r.json()),
      fetch('mock-server.json', { cache: 'no-store' }).then((r) => r.json()),
    ]);
    // Only the mock: production is not a target of this page. The variable lets a person point the
    // console at a mock on another port.
    spec.servers = [{
      url: '{mock}',
      description: 'Local mock server (npm start, or npm run mock)',
      variables: { mock: { default: mock.url, description: 'URL of the running mock' } },
    }];
    for (const item of Object.values(spec.paths || {})) {
      delete item.servers;
      for (const op of Object.values(item)) if (op && typeof op === 'object') delete op.servers;
    }
    window.consoleUi = SwaggerUIBundle({
      spec,
      dom_id: '#console',
      layout: 'BaseLayout',
      deepLinking: true,
      docExpansion: 'none',
      defaultModelsExpandDepth: -1,
      displayOperationId: true,
      displayRequestDuration: true,
      filter: true,
      // The key lives in this page only: not in storage, not in the URL.
      persistAuthorization: false,
      // No call to the public validator.
      validatorUrl: null,
    });
  } catch (err) {
    show('The console could not load the API description: ' + (err && err.message ? err.message : String(err)));
  }
})();
`;

function consolePage(): string {
  const body = `
<div class="console-intro">
<h1>Try-it console</h1>
<p>Send requests to the <strong>local mock server</strong> and see the status, headers and body it answers.
Start the mock with <code>npm start</code> (which also serves this site) or <code>npm run mock</code>; the server URL
below is the mock's, and you can change it if yours listens elsewhere.</p>
<ol>
  <li><strong>Authorize</strong>: enter a key for <code>PartnerApiKey</code> (Partner API, <code>/partner/...</code>) or
  <code>OrganizationApiKey</code> (Organization API). The mock accepts any non-empty key; without one it answers <code>401</code>.</li>
  <li>Open an operation, click <strong>Try it out</strong>, adjust the parameters and body, then <strong>Execute</strong>.</li>
</ol>
<p class="muted">The key stays in this page (it is not stored) and requests go only to the server shown.
Never enter a production key here. The reference for every operation is the <a href="../api/index.html">API reference</a>.</p>
<p id="console-error" hidden></p>
</div>
<div id="console"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="console.js"></script>
`;
  return page('Try-it console · Bullseye API docs', body, '../', { head: CONSOLE_CSS, mainClass: 'wide' });
}

async function buildConsole({ dir }: SiteContext): Promise<void> {
  const out = path.join(dir, 'console');
  await mkdir(out, { recursive: true });
  // getAbsoluteFSPath(): swagger-ui-dist's documented way to find its files.
  const dist = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  for (const file of SWAGGER_UI_FILES) await cp(path.join(dist, file), path.join(out, file));
  await writeFile(path.join(out, 'index.html'), consolePage());
  await writeFile(path.join(out, 'console.js'), CONSOLE_JS);
  await writeFile(path.join(dir, MOCK_SERVER_FILE), `${JSON.stringify({ url: DEFAULT_MOCK_URL })}\n`);
}

// ── the site ─────────────────────────────────────────────────────────────────────────────────

/** What each part of the site gets: the output folder, the bundled spec and the guides. */
export interface SiteContext {
  dir: string;
  doc: Record<string, unknown>;
  guides: Guide[];
}

/**
 * The parts of the site, each writing its own files under `dir`; they are independent and run
 * concurrently. A new file or section (e.g. /llms.txt) is one more entry; the audit below covers it.
 */
export const SITE_PARTS: ReadonlyArray<{ name: string; build(ctx: SiteContext): Promise<void> }> = [
  { name: 'API reference (Redoc) → api/', build: buildApiReference },
  { name: 'SDK reference (TypeDoc) → sdk/', build: buildSdkReference },
  { name: 'guides → guides/', build: writeGuides },
  { name: 'try-it console (Swagger UI) → console/', build: buildConsole },
  { name: 'OpenAPI document → openapi.json, openapi.yaml', build: copySpec },
  { name: 'landing page → index.html, favicon.ico', build: writeLanding },
  { name: 'docs for agents → llms.txt, llms-full.txt, Markdown pages', build: writeAgentDocs },
];

export async function buildSite(dir = siteDir): Promise<void> {
  const doc = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as Record<string, unknown>;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const ctx: SiteContext = { dir, doc, guides: await listGuides() };
  // allSettled: no part is left running (and writing) when another fails.
  const results = await Promise.allSettled(SITE_PARTS.map((part) => part.build(ctx)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ part: SITE_PARTS[i]!.name, err: r.reason as unknown }] : []));
  if (failed.length === 1) throw failed[0]!.err;
  if (failed.length > 1) {
    const detail = (err: unknown): string => (err instanceof StepError ? `${err.message}\n${err.output}` : String(err));
    throw new StepError('docs', `the docs site could not be built: ${failed.map((f) => f.part).join('; ')}`, failed.map((f) => detail(f.err)).join('\n'));
  }

  const problems = await auditSite(dir, await specTextUrls(doc));
  if (problems.length) {
    throw new StepError('docs', 'the docs site would load resources from other hosts', problems.join('\n'));
  }
}

/**
 * Serves the built site; the console's MOCK_SERVER_FILE is answered with `mockUrl` (the mock that is
 * running), so the console sends its requests there whatever port it got.
 */
export function serveSite(opts: { port: number; host?: string; mockUrl?: string; dir?: string }): Promise<StaticServer> {
  const files: Record<string, string> = {};
  if (opts.mockUrl) files[`/${MOCK_SERVER_FILE}`] = `${JSON.stringify({ url: opts.mockUrl })}\n`;
  return serveStatic(opts.dir ?? siteDir, opts.port, opts.host, { files });
}
