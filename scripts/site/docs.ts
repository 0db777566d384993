// Builds the offline docs site into generated/site/: the Redoc API reference (api/), the TypeDoc SDK
// reference (sdk/), the guides of docs/ (guides/), a try-it console on the local mock (console/), the
// decisions and changelog pages and a landing page linking them (HTML frames in templates/, CSS and
// JavaScript in assets/). Each part writes its own files (SITE_PARTS below: a new file of the
// site is one more part). Nothing on the site loads anything from another host: the build fails if
// a remote resource is left.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';
import { writeLlmsFiles } from './llms.js';
import { stripDocTableMarkers } from '../doc-tables.js';
import { listOperations } from '../lib/spec.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { bin, root, runChecked, StepError } from '../lib/steps.js';
import SITE_NAV from './site-nav.json' with { type: 'json' };
import { apis } from '../../generated/apis.js';
import { SEEDED_KEYS } from '../../packages/sandbox/src/store.js';

export const siteDir = path.join(root, 'generated', 'site');
const docsDir = path.join(root, 'docs');
const require = createRequire(import.meta.url);
/** This folder: the site's templates and assets are files beside the build. */
const siteSrc = path.dirname(fileURLToPath(import.meta.url));

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
  'sandbox.md',
];

// The Redocly logo Redoc shows in its footer, replaced by an inline image (same size, no request).
const REDOCLY_LOGOS = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];
const INLINE_LOGO =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='60' height='16' viewBox='0 0 60 16'%3E%3Ctext x='0' y='12' font-family='sans-serif' font-size='11' fill='%23888'%3ERedocly%3C/text%3E%3C/svg%3E";

// A 16x16 PNG (a blue dot); browsers accept PNG data under the .ico name.
const FAVICON_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAO0lEQVR4nGNgoAXgzj79HxumSDNRhhDSjNcQYjVjNYRUzRiGjBpABQMojkaqJCRiDcGrmZAhRGkmFQAAKYBfEI5n/dMAAAAASUVORK5CYII=';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// ── Markdown pages ─────────────────────────────────────────────────────────────────────────────

hljs.registerLanguage('typescript', typescript);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('json', json);
hljs.registerLanguage('yaml', yaml);
const FENCE_LANGUAGES: Record<string, string> = { ts: 'typescript', typescript: 'typescript', js: 'javascript', javascript: 'javascript', sh: 'bash', bash: 'bash', shell: 'bash', json: 'json', yaml: 'yaml', yml: 'yaml' };

/** A code block as the site shows it: highlighted, and focusable so a keyboard can scroll it. */
export function codeBlock(code: string, lang = ''): string {
  const language = FENCE_LANGUAGES[lang.toLowerCase()];
  const inner = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
  return `<pre tabindex="0"><code class="hljs${language ? ` language-${language}` : ''}">${inner}</code></pre>\n`;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** A decision entry's heading (`OD16. Companies`) is linked by its id (`#od16`), stable when its title changes. */
const DECISION_HEADING = /^((?:P-|O)?D\d+)\.\s/;

interface RenderEnv {
  /** Heading ids already used on the page (several documents can share one page). */
  ids: Map<string, number>;
  /** Rewrites a relative link of the source to the page's (e.g. `webhooks.md` → `webhooks.html`). */
  link?: (href: string) => string;
}

interface Token {
  type: string;
  content: string;
  children: Token[] | null;
  attrGet(name: string): string | null;
  attrSet(name: string, value: string): void;
}
interface MarkdownIt {
  render(src: string, env?: object): string;
  core: { ruler: { push(name: string, fn: (state: { tokens: Token[]; env: RenderEnv }) => void): void } };
  renderer: { rules: Record<string, (tokens: Token[], idx: number, options: object, env: RenderEnv, self: { renderToken(tokens: Token[], idx: number, options: object): string }) => string> };
}
// markdown-it (a pinned devDependency, also used by typedoc) ships no types of its own.
const MarkdownItCtor = require('markdown-it') as new (opts: object) => MarkdownIt;
const markdown = new MarkdownItCtor({ html: false, linkify: false, typographer: false, highlight: (code: string, lang: string) => codeBlock(code, lang) });

// Every heading gets an id, so `guides/sdk.html#scopes` lands on its section.
markdown.core.ruler.push('heading_ids', (state) => {
  const ids = state.env?.ids;
  if (!ids) return;
  state.tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (state.tokens[i + 1]?.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
    let id = DECISION_HEADING.exec(text)?.[1]?.toLowerCase() ?? slugify(text);
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    if (seen) id = `${id}-${seen}`;
    token.attrSet('id', id);
  });
});
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx]!.attrGet('href');
  if (href && env?.link && !/^[a-z]+:|^#|^\//i.test(href)) tokens[idx]!.attrSet('href', env.link(href));
  return self.renderToken(tokens, idx, options);
};
// Wide tables scroll in their own box (focusable, so a keyboard can scroll it too).
markdown.renderer.rules.table_open = () => '<div class="table-wrap" tabindex="0" role="region" aria-label="Table">\n<table>\n';
markdown.renderer.rules.table_close = () => '</table>\n</div>\n';

/** Renders Markdown for the site; `env.ids` is shared by every document rendered into one page. */
export function renderMarkdown(source: string, env: RenderEnv = { ids: new Map() }): string {
  return markdown.render(stripDocTableMarkers(source), env);
}

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

/** Where a relative link of a Markdown source in the repository goes on the site. */
const REPO_LINKS: Record<string, string> = {
  'openapi/CHANGELOG.md': 'changelog.html#api-contract',
  'CHANGELOG.md': 'changelog.html#sdk-package',
  'openapi/DECISIONS.md': 'decisions.html',
};

/** In docs/: a link to another guide's source (`webhooks.md#x`) goes to its page (`webhooks.html#x`). */
const guideLink = (href: string): string => href.replace(/^([\w-]+)\.md(?=#|$)/, '$1.html');

const template = (name: string): string => readFileSync(path.join(siteSrc, 'templates', name), 'utf8');

/** Fills `{{slot}}`s; a slot left without a value is a bug in the build, not an empty string. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template slot {{${name}}} has no value`);
    return value;
  });
}

/** The site's navigation (site-nav.json, shared with the TypeDoc pages), relative to `base`. */
export function siteHeader(base: string): string {
  const links = SITE_NAV.map((l) => `  <a${l.brand ? ' class="brand"' : ''} href="${base}${l.href}">${escapeHtml(l.label)}</a>`);
  return `<header class="site-nav">\n<nav aria-label="Bullseye API docs">\n${links.join('\n')}\n</nav>\n</header>`;
}

function page(title: string, body: string, base: string, opts: { head?: string; mainClass?: string; scripts?: string[] } = {}): string {
  return fill(template('page.html'), {
    title: escapeHtml(title),
    base,
    head: opts.head ?? '',
    header: siteHeader(base),
    mainAttrs: opts.mainClass ? ` class="${opts.mainClass}"` : '',
    body,
    scripts: (opts.scripts ?? []).map((s) => `<script src="${base}${s}"></script>`).join('\n'),
  });
}

export function renderGuide(guide: Guide): string {
  const body = renderMarkdown(guide.source, { ids: new Map(), link: guideLink });
  return page(`${guide.title} · Bullseye API docs`, body, '../', { scripts: ['assets/guide.js'] });
}

function landingPage(guides: Guide[], doc: Record<string, unknown>): string {
  const ops = listOperations(doc);
  const getPartner = ops.find((o) => o.operation.operationId === 'getPartner');
  const sample = (getPartner?.operation['x-codeSamples'] as { lang: string; source: string }[] | undefined)?.find((s) => s.lang === 'curl');
  if (!sample) throw new Error('the landing page shows getPartner\'s curl sample, and the spec has none');
  const body = fill(template('home.html'), {
    baseUrl: apis.partner.baseUrl,
    partnerHeader: apis.partner.keyHeader,
    organizationHeader: apis.organization.keyHeader,
    partnerEnv: apis.partner.envVar,
    firstCall: codeBlock(sample.source, 'sh'),
    operationCount: String(ops.length),
    documentedCount: String(ops.filter((o) => o.operation['x-provenance'] === 'documented').length),
    guides: guides.map((g) => `<li><a href="guides/${g.page}">${escapeHtml(g.title)}</a></li>`).join('\n'),
  });
  return page('Bullseye API documentation', body, '', { scripts: ['assets/guide.js'] });
}

/** The decisions behind every partial or inferred operation (openapi/DECISIONS.md), each entry with its id as anchor. */
async function writeDecisions({ dir }: SiteContext): Promise<void> {
  const source = await readFile(path.join(root, 'openapi', 'DECISIONS.md'), 'utf8');
  const intro = `<p class="muted">This page is the contract's own record: where Bullseye's public docs are silent or
disagree, what the API reference assumes, and why. Operations marked <em>partial</em> or <em>inferred</em> in the
<a href="api/index.html">API reference</a> link to the entry they rest on.</p>\n`;
  // The SDK's and the sandbox's decision records, which the contract's links to, follow on the same
  // page, each in a section of its own that those links point at.
  const more = [
    { id: 'decisions-sdk-and-packages', file: 'openapi/DECISIONS-sdk-and-packages.md', hrefs: ['DECISIONS-sdk-and-packages.md'] },
    { id: 'decisions-sandbox', file: 'packages/sandbox/DECISIONS.md', hrefs: ['../packages/sandbox/DECISIONS.md'] },
  ].filter((m) => existsSync(path.join(root, m.file)));
  const links: Record<string, string> = { ...REPO_LINKS, 'DECISIONS.md': 'decisions.html', '../../openapi/DECISIONS.md': 'decisions.html', ...Object.fromEntries(more.flatMap((m) => m.hrefs.map((h) => [h, `#${m.id}`]))) };
  const env: RenderEnv = { ids: new Map(), link: (href) => links[href] ?? href };
  let body = renderMarkdown(source, env);
  for (const m of more) {
    // Their headings move one level down, under the contract's title.
    const text = (await readFile(path.join(root, m.file), 'utf8')).replace(/^(#{1,5})\s/gm, '#$1 ');
    body += `\n<section id="${m.id}">\n${renderMarkdown(text, env)}\n</section>`;
  }
  await writeFile(path.join(dir, 'decisions.html'), page('Known gaps and decisions · Bullseye API docs', body.replace(/(<\/h1>\n)/, `$1${intro}`), ''));
}

/** The contract's and the packages' changelogs on one page. */
async function writeChangelog({ dir }: SiteContext): Promise<void> {
  const sections: { id: string; title: string; file: string }[] = [
    { id: 'api-contract', title: 'API contract (OpenAPI document)', file: 'openapi/CHANGELOG.md' },
    { id: 'sdk-package', title: 'SDK package (@bullseye/api)', file: 'CHANGELOG.md' },
  ];
  // Packages beside the SDK (packages/*), each with its own changelog.
  const packagesDir = path.join(root, 'packages');
  for (const name of existsSync(packagesDir) ? (await readdir(packagesDir)).sort() : []) {
    const file = path.join('packages', name, 'CHANGELOG.md');
    if (!existsSync(path.join(root, file))) continue;
    const pkg = JSON.parse(await readFile(path.join(root, 'packages', name, 'package.json'), 'utf8').catch(() => '{}')) as { name?: string };
    sections.push({ id: `package-${slugify(name)}`, title: `Package ${pkg.name ?? name}`, file });
  }
  const env: RenderEnv = { ids: new Map([['changelog', 1]]), link: (href) => REPO_LINKS[href] ?? href };
  const parts = ['<h1 id="changelog">Changelog</h1>', `<ul>${sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ul>`];
  for (const s of sections) {
    env.ids.set(s.id, 1);
    // The file's own title is replaced by the section's; its headings move one level down.
    const source = (await readFile(path.join(root, s.file), 'utf8')).replace(/^#\s+.*\n/, '').replace(/^(#{1,5})\s/gm, '#$1 ');
    parts.push(`<section aria-labelledby="${s.id}"><h2 id="${s.id}">${escapeHtml(s.title)}</h2>`, renderMarkdown(source, env), '</section>');
  }
  await writeFile(path.join(dir, 'changelog.html'), page('Changelog · Bullseye API docs', parts.join('\n'), ''));
}

/** The site's own CSS and JavaScript (scripts/site/assets), as they are. */
async function copyAssets({ dir }: SiteContext): Promise<void> {
  await cp(path.join(siteSrc, 'assets'), path.join(dir, 'assets'), { recursive: true });
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

/**
 * How complete the contract is, counted from each operation's x-provenance: a section of the API
 * reference's introduction, placed before its first other section.
 */
export function completenessSection(doc: unknown): string {
  const ops = listOperations(doc);
  const count = (level: string): number => ops.filter((o) => o.operation['x-provenance'] === level).length;
  return `# How complete this reference is

Bullseye's public documentation does not describe every operation in full. Of the ${ops.length} operations here:

| mark | operations | what it means |
|---|---|---|
| documented | ${count('documented')} | method, path, request and response as Bullseye documents them |
| partial: *Partly documented.* | ${count('partial')} | Bullseye documents the method and path; fields its docs do not show are designed from its conventions and may differ on the live API |
| inferred: *Inferred operation.* | ${count('inferred')} | Bullseye's docs name the feature but not the call: method, path and fields are designed |

A partial or inferred operation starts with a note that links the decision it rests on. Every
decision is on the [known gaps and decisions](../decisions.html) page, and the guides mark these
operations where they use them.

`;
}

/** A mention of a decision in the spec's text becomes a link to its entry on the decisions page. */
export function linkDecisions(text: string, base = '../'): string {
  return text
    .replace(/decision ((?:P-|O)?D\d+) in openapi\/DECISIONS\.md/g, (_, id: string) => `[decision ${id}](${base}decisions.html#${id.toLowerCase()})`)
    .replace(/(?<![\w/[])openapi\/DECISIONS\.md/g, `[known gaps and decisions](${base}decisions.html)`);
}

/** Every `description` of the document, with `fn` applied (the document is copied, not changed). */
function mapDescriptions(node: unknown, fn: (s: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapDescriptions(n, fn));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'description' && typeof v === 'string' ? fn(v) : mapDescriptions(v, fn)]));
}

/**
 * Redoc routes by the URL's hash (`index.html#/partner-account`) but writes its links as root paths
 * (`href="/partner-account"`), which 404 when opened in a new tab or shared: the server-rendered
 * markup is fixed here, and assets/redoc-links.js fixes the links Redoc renders later.
 */
export function hashRouteLinks(html: string): string {
  const end = html.search(/<script type="module"/i);
  const markup = end < 0 ? html : html.slice(0, end);
  return markup.replace(/href="\/(?!\/)([^"]*)"/g, 'href="#/$1"') + (end < 0 ? '' : html.slice(end));
}

/** The hash route Redoc gives an operation or webhook: `/<tag slug>/<operationId in lower case>`. */
export function redocRoute(tag: string, operationId: string): string {
  return `/${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/${operationId.toLowerCase()}`;
}

/**
 * A static preview of every operation and webhook (its heading, method and path, and description),
 * rendered at build time into the API reference, all hidden. Redoc's script is 2.3 MB and runs for
 * seconds on a slow phone before it shows anything but the introduction: a reader who opens a shared
 * link (`index.html#/<tag>/<operation>`) sees the operation's preview at once instead, and Redoc's
 * own page replaces it when ready (PREVIEW_SCRIPT).
 */
export function operationPreviews(doc: Record<string, unknown>): string {
  const items: { tag: string; operationId: string; summary: string; line: string; description: string }[] = [];
  for (const { method, path: p, operation } of listOperations(doc)) {
    items.push({ tag: String((operation.tags as string[] | undefined)?.[0] ?? ''), operationId: String(operation.operationId), summary: String(operation.summary ?? operation.operationId), line: `<span class="op-preview-method">${method.toUpperCase()}</span> <code>${escapeHtml(p)}</code>`, description: String(operation.description ?? '') });
  }
  for (const [name, item] of Object.entries((doc.webhooks ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const operation of Object.values(item)) {
      if (!operation?.operationId) continue;
      items.push({ tag: String((operation.tags as string[] | undefined)?.[0] ?? ''), operationId: String(operation.operationId), summary: String(operation.summary ?? name), line: `<span class="op-preview-method">webhook</span> <code>${escapeHtml(name)}</code>`, description: String(operation.description ?? '') });
    }
  }
  const env: RenderEnv = { ids: new Map() };
  const sections = items
    .filter((i) => i.tag)
    .map((i) => {
      const route = redocRoute(i.tag, i.operationId);
      return `<section class="op-preview" id="preview${route}" data-preview-route="${route}">
<p class="op-preview-tag">${escapeHtml(i.tag)}</p>
<h2 elementtiming="operation-preview">${escapeHtml(i.summary)}</h2>
<p>${i.line}</p>
${renderMarkdown(i.description, env)}<p class="op-preview-loading" role="status">Loading the full reference: parameters, responses and samples…</p>
</section>`;
    });
  return `<div class="op-previews">\n${sections.join('\n')}\n</div>\n`;
}

/**
 * Runs in the API reference's <head>, before anything is painted: when the URL names an operation,
 * its preview is shown in place of Redoc's page until Redoc has rendered that operation (or the
 * reader has gone elsewhere). The route is checked against a strict pattern before it reaches CSS.
 */
export const PREVIEW_SCRIPT = String.raw`<script>(() => {
  const m = /^#(\/[a-z0-9-]+\/[a-z0-9_-]+)$/i.exec(location.hash);
  if (!m) return;
  const route = m[1].toLowerCase();
  const style = document.createElement('style');
  style.textContent = '.op-preview[data-preview-route="' + route + '"]{display:block}.op-previews:has(.op-preview[data-preview-route="' + route + '"])~#redoc{display:none}';
  document.head.appendChild(style);
  const timer = setInterval(() => {
    if (document.querySelector('#redoc [data-section-id="' + route + '"] h2') || location.hash.toLowerCase() !== '#' + route) {
      style.remove();
      clearInterval(timer);
    }
  }, 100);
})();</script>`;

async function buildApiReference({ dir, doc }: SiteContext): Promise<void> {
  const out = path.join(dir, 'api', 'index.html');
  await mkdir(path.dirname(out), { recursive: true });
  const intro = stripDocTableMarkers(await readFile(path.join(docsDir, 'introduction.md'), 'utf8'));
  const firstSection = intro.search(/^# /m);
  const introduction = firstSection < 0 ? `${intro}\n\n${completenessSection(doc)}` : intro.slice(0, firstSection) + completenessSection(doc) + intro.slice(firstSection);
  // The introduction is added to the site's copy only: generated/openapi.* keep the spec's own text.
  // Decision notes link to the entry on the site's decisions page.
  const siteDoc = mapDescriptions({ ...doc, info: { ...(doc.info as object), description: introduction } }, (d) => linkDecisions(d)) as Record<string, unknown>;
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
  // What the first paint needs comes first and waits for no request: the header's and the previews'
  // CSS inline in the head. Redoc's own styles (250 KB) and theme fixes move down to just before
  // its markup, in the same order as before, so the header and a preview are parsed and painted
  // before them.
  const asset = (name: string): Promise<string> => readFile(path.join(siteSrc, 'assets', name), 'utf8');
  const redocStyles = [...html.matchAll(/<style data-styled[^>]*>[\s\S]*?<\/style>/gi)].map((m) => m[0]);
  for (const style of redocStyles) html = html.replace(style, '');
  const headCss = `${await asset('header.css')}${await asset('operation-preview.css')}`;
  html = html.replace(/<\/head>/i, () => `<style>\n${headCss}</style>\n${PREVIEW_SCRIPT}\n</head>`);
  html = html.replace(/<div id="redoc">/, (tag) => `${redocStyles.join('\n')}\n<link rel="stylesheet" href="../assets/redoc.css">\n${tag}`);
  // The site header above Redoc, as on every other page; the operations' previews between them.
  html = html.replace(/<body([^>]*)>/i, (_, attrs: string) => `<body${attrs}>\n${siteHeader('../')}\n${operationPreviews(siteDoc)}`);
  html = hashRouteLinks(html);
  // Redoc's own script holds `</body>` in strings: the page's closing tag is the last one.
  const end = html.lastIndexOf('</body>');
  html = `${html.slice(0, end)}<script src="../assets/redoc-links.js"></script>\n${html.slice(end)}`;
  await writeFile(out, html);
}

/** Runs TypeDoc (typedoc.json, with the site navigation plugin) into sdk/. */
async function buildSdkReference({ dir }: SiteContext): Promise<void> {
  const out = path.join(dir, 'sdk');
  await runChecked('typedoc', bin('typedoc'), ['--options', 'typedoc.json', '--out', out]);
  // TypeDoc copies a guide the SDK page links to as raw Markdown (sdk/media/<guide>.md), whose own
  // relative links then point nowhere: link the guide's page on this site instead.
  const media = path.join(out, 'media');
  const copied = existsSync(media) ? (await readdir(media)).filter((f) => f.endsWith('.md') && existsSync(path.join(docsDir, f))) : [];
  if (!copied.length) return;
  for (const file of (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.html'))) {
    const html = await readFile(path.join(out, file), 'utf8');
    const depth = file.split(path.sep).length - 1;
    const fixed = html.replace(/href="((?:\.\.\/)*)media\/([\w-]+)\.md(#[^"]*)?"/g, (whole, _up: string, name: string, hash: string | undefined) =>
      copied.includes(`${name}.md`) ? `href="${'../'.repeat(depth + 1)}guides/${name}.html${hash ?? ''}"` : whole,
    );
    if (fixed !== html) await writeFile(path.join(out, file), fixed);
  }
  for (const f of copied) await rm(path.join(media, f));
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
  // The sandbox's own controls (not API operations), linked from the sandbox guide.
  await cp(path.join(root, 'packages', 'sandbox', 'sandbox-openapi.yaml'), path.join(dir, 'sandbox-openapi.yaml'));
}

/** /llms.txt, /llms-full.txt and a Markdown page per operation (scripts/site/llms.ts), guides and SDK guide included. */
async function writeAgentDocs({ dir, doc, guides }: SiteContext): Promise<void> {
  await writeLlmsFiles(dir, doc as never, [...guides, ...(await listGuides(docsDir, ['sdk.md']))]);
}

async function writeLanding({ dir, doc, guides }: SiteContext): Promise<void> {
  await writeFile(path.join(dir, 'index.html'), landingPage(guides, doc));
  // TypeDoc pages declare no icon: a real /favicon.ico spares browsers a 404 (a console error).
  await writeFile(path.join(dir, 'favicon.ico'), Buffer.from(FAVICON_PNG, 'base64'));
}

// ── try-it console ────────────────────────────────────────────────────────────────────────────
// Swagger UI (swagger-ui-dist: one self-contained script and stylesheet, no remote font or request)
// on the bundled spec, its servers replaced by the local mock's URL, read at load time from
// MOCK_SERVER_FILE: the build writes the default, `npm start` serves the URL of the mock it started.

/** Files of swagger-ui-dist the console serves, with their licences. */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui.css', 'LICENSE', 'NOTICE'];

async function buildConsole({ dir }: SiteContext): Promise<void> {
  const out = path.join(dir, 'console');
  await mkdir(out, { recursive: true });
  // getAbsoluteFSPath(): swagger-ui-dist's documented way to find its files.
  const dist = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  for (const file of SWAGGER_UI_FILES) await cp(path.join(dist, file), path.join(out, file));
  const head = '<link rel="stylesheet" href="swagger-ui.css">\n<link rel="stylesheet" href="../assets/console.css">';
  // The sandbox's seeded keys come from its own constant, so the page cannot name a key it refuses.
  const intro = fill(template('console.html'), { sandboxPartnerKey: SEEDED_KEYS.partner, sandboxAdminKey: SEEDED_KEYS.organization.admin });
  const html = page('Try-it console · Bullseye API docs', intro, '../', { head, mainClass: 'wide', scripts: ['console/swagger-ui-bundle.js', 'assets/console.js'] });
  await writeFile(path.join(out, 'index.html'), html);
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
  { name: 'decisions → decisions.html', build: writeDecisions },
  { name: 'changelog → changelog.html', build: writeChangelog },
  { name: 'CSS and JavaScript → assets/', build: copyAssets },
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
