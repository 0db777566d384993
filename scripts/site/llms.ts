// Docs for agents, built into the docs site from the bundled spec: `/llms.txt` (what the APIs are, how
// to authenticate, a link per operation, webhook and guide), `/llms-full.txt` (the same with every
// page in full) and one Markdown page per operation and webhook. Pages are rendered by
// llms-markdown.ts; this module adds the bundle's x-codeSamples (the tested curl and TypeScript
// samples), x-provenance and the indexes.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { apis } from '../../generated/apis.js';
import { apiOfPath, type ApiId } from '../../src/core/routes.js';
import { scopesGranting } from '../../src/core/scopes.js';
import type { Guide } from './docs.js';
import { stripDocTableMarkers } from '../doc-tables.js';
import { operationMarkdown, webhookMarkdown } from './llms-markdown.js';
import { HTTP_METHODS, operationScopes } from '../lib/spec.js';


type Json = Record<string, unknown>;

interface Doc extends Json {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Json>>;
  webhooks?: Record<string, Record<string, Json>>;
  tags?: { name: string; description?: string }[];
  'x-tagGroups'?: { name: string; tags: string[] }[];
  components?: { securitySchemes?: Record<string, { type: string; in?: string; name?: string; description?: string }> };
}

export interface LlmsOperation {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
  scopes: string[];
  /** The API it belongs to (by its path, generated/apis.ts). */
  api: ApiId | undefined;
  /** Site-relative link of its Markdown page. */
  page: string;
}

export interface LlmsWebhook {
  name: string;
  summary: string;
  page: string;
}

/** The operations of the document in the order of its tag groups, each with the link of its page. */
export function llmsOperations(doc: Doc): LlmsOperation[] {
  const ops: LlmsOperation[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op || typeof op.operationId !== 'string') continue;
      ops.push({
        operationId: op.operationId,
        method,
        path: p,
        summary: typeof op.summary === 'string' ? op.summary : op.operationId,
        tag: ((op.tags as string[] | undefined) ?? [])[0] ?? 'Other',
        scopes: operationScopes(doc, op),
        api: apiOfPath(p),
        page: `api/operations/${encodeURIComponent(op.operationId)}.md`,
      });
    }
  }
  const tagOrder = (doc['x-tagGroups'] ?? []).flatMap((g) => g.tags);
  const rank = (t: string): number => (tagOrder.includes(t) ? tagOrder.indexOf(t) : tagOrder.length);
  return ops.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o.tag) - rank(b.o.tag) || a.i - b.i).map(({ o }) => o);
}

function llmsWebhooks(doc: Doc): LlmsWebhook[] {
  return Object.entries(doc.webhooks ?? {}).map(([name, item]) => ({
    name,
    summary: typeof item.post?.summary === 'string' ? item.post.summary : name,
    page: `api/webhooks/${encodeURIComponent(name)}.md`,
  }));
}

const fenceLang = (lang: string): string => ({ curl: 'sh', shell: 'sh', typescript: 'ts', javascript: 'js' })[lang.toLowerCase()] ?? lang.toLowerCase();

/** An operation's (or webhook's) code samples and its provenance, after the rendered page. */
function extensions(op: Json): string {
  const out: string[] = [];
  const samples = (op['x-codeSamples'] as { lang: string; label?: string; source: string }[] | undefined) ?? [];
  if (samples.length) {
    out.push('## Code samples', '');
    for (const s of samples) out.push(`### ${s.label ?? s.lang}`, '', `\`\`\`${fenceLang(s.lang)}`, s.source.replace(/\n+$/, ''), '```', '');
  }
  const provenance = op['x-provenance'];
  if (provenance !== undefined) {
    out.push('## Provenance', '');
    if (provenance !== null && typeof provenance === 'object') {
      for (const [k, v] of Object.entries(provenance)) out.push(`- **${k}:** ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    } else out.push(String(provenance));
    out.push('');
  }
  return out.join('\n');
}

/**
 * One API's authentication: its scheme's own description (up to the scope table the docs build
 * adds), then the facts of generated/apis.ts, with what each scope includes.
 */
function scheme(doc: Doc, id: ApiId): string {
  const api = apis[id];
  const description = (doc.components?.securitySchemes?.[api.securityScheme]?.description ?? '').split('**Scopes and what each includes**')[0]!;
  const scopes = Object.entries(api.scopes as Record<string, readonly string[]>).map(([s, includes]) => `\`${s}\` (${includes.map((i) => `\`${i}\``).join(', ')})`);
  return [
    `- **${api.name}**: header \`${api.keyHeader}\` (security scheme \`${api.securityScheme}\`), paths under ${api.pathPrefixes.map((p) => `\`${p}\``).join(', ')}, key conventionally in \`${api.envVar}\`, error codes in ${api.errorCodeCase}. ${description.trim().replace(/\s*\n\s*/g, ' ')}`,
    `  - Scopes, each with what it includes: ${scopes.join('; ')}. ${api.unscopedKey === 'full-access' ? 'A key created without scopes has full access.' : 'Every key carries at least one scope.'}`,
  ].join('\n');
}

/** `read` → "scope `read` (granted by `read`, `write` or `admin`)". */
function scopeText(o: LlmsOperation): string {
  const scope = o.scopes[0];
  if (!scope) return 'no scope';
  const granting = o.api ? scopesGranting(o.api, scope).map((s) => `\`${s}\``) : [];
  const by = granting.length > 1 ? ` (a key with ${granting.slice(0, -1).join(', ')} or ${granting[granting.length - 1]} may call it)` : '';
  return `scope \`${scope}\`${by}`;
}

function index(doc: Doc, ops: LlmsOperation[], webhooks: LlmsWebhook[], guides: Guide[]): string {
  const lines: string[] = [
    `# ${doc.info.title}`,
    '',
    `> OpenAPI ${String(doc.openapi)} description of the Bullseye Partner API and Organization API (version ${doc.info.version}), one Markdown page per operation, generated from the same bundled document as the SDK, the mock server and the API reference.`,
    '',
    (doc.info.description ?? '').trim(),
    '',
    '## Base URL and authentication',
    '',
    ...((doc.servers as { url: string; description?: string }[] | undefined) ?? []).map((s) => `- \`${s.url}\`${s.description ? `: ${s.description}` : ''}`),
    '',
    'Every request carries the API key of the API it calls, in that API\'s header. Each operation names one scope; a key may call it when one of its scopes includes that scope (below), else it gets `403`; a missing or invalid key gets `401`.',
    '',
    ...(Object.keys(apis) as ApiId[]).map((id) => scheme(doc, id)),
    '',
  ];
  const groups = doc['x-tagGroups'] ?? [{ name: 'Operations', tags: [...new Set(ops.map((o) => o.tag))] }];
  for (const group of groups) {
    const inGroup = ops.filter((o) => group.tags.includes(o.tag));
    if (!inGroup.length) continue;
    lines.push(`## ${group.name} operations`, '');
    for (const o of inGroup) {
      lines.push(`- [${o.summary}](${o.page}): \`${o.method.toUpperCase()} ${o.path}\`, ${scopeText(o)} (\`${o.operationId}\`, ${o.tag})`);
    }
    lines.push('');
  }
  if (webhooks.length) {
    lines.push('## Webhooks', '', 'Events Bullseye POSTs to your endpoint, signed with `X-Bullseye-Signature` (hex HMAC-SHA256 of the raw body).', '');
    for (const w of webhooks) lines.push(`- [${w.summary}](${w.page}): \`${w.name}\``);
    lines.push('');
  }
  lines.push('## Guides', '');
  for (const g of guides) lines.push(`- [${g.title}](guides/${g.file})`);
  lines.push(
    '',
    '## Optional',
    '',
    '- [Everything on one page](llms-full.txt): this index, every guide and every operation and webhook page',
    '- [OpenAPI document (JSON)](openapi.json) and [YAML](openapi.yaml)',
    '- [API reference (HTML)](api/index.html)',
    '',
  );
  return lines.join('\n');
}

/**
 * A guide's relative links, written for guides/<page>, made relative to the site's root (where
 * llms-full.txt is): `webhooks.html` → `guides/webhooks.html`, `../api/index.html` → `api/index.html`,
 * `#scopes` → `guides/sdk.html#scopes`.
 */
export function rebaseGuideLinks(source: string, guidePage: string): string {
  // Odd parts are fenced code, left as they are.
  return source
    .split(/(^```[\s\S]*?^```)/m)
    .map((part, i) =>
      i % 2
        ? part
        : part.replace(/(\]\(\s*)([^)\s]+)/g, (all, lead: string, href: string) => {
            if (/^[a-z][a-z0-9+.-]*:|^\//i.test(href)) return all;
            if (href.startsWith('#')) return `${lead}guides/${guidePage}${href}`;
            return `${lead}${path.posix.normalize(`guides/${href}`)}`;
          }),
    )
    .join('');
}

/**
 * Writes llms.txt, llms-full.txt, api/operations/*.md, api/webhooks/*.md and guides/*.md (the guides'
 * Markdown sources) into the site directory. Returns how many operation pages were written.
 */
export async function writeLlmsFiles(siteDir: string, doc: Doc, sourceGuides: Guide[]): Promise<number> {
  // The generated tables' markers are for the maintainers' editors, not for a reader or an agent.
  const guides = sourceGuides.map((g) => ({ ...g, source: stripDocTableMarkers(g.source) }));
  const ops = llmsOperations(doc);
  const webhooks = llmsWebhooks(doc);
  await mkdir(path.join(siteDir, 'api', 'operations'), { recursive: true });
  await mkdir(path.join(siteDir, 'api', 'webhooks'), { recursive: true });
  await mkdir(path.join(siteDir, 'guides'), { recursive: true });

  const pages: string[] = [];
  for (const o of ops) {
    const body = operationMarkdown(doc, o.path, o.method);
    const page = `${body.trimEnd()}\n\n${extensions(doc.paths[o.path]![o.method]!)}`.trimEnd() + '\n';
    await writeFile(path.join(siteDir, o.page), page);
    pages.push(page);
  }
  for (const w of webhooks) {
    const body = webhookMarkdown(doc, w.name);
    const page = `${body.trimEnd()}\n\n${extensions(doc.webhooks![w.name]!.post!)}`.trimEnd() + '\n';
    await writeFile(path.join(siteDir, w.page), page);
    pages.push(page);
  }
  for (const g of guides) await writeFile(path.join(siteDir, 'guides', g.file), g.source);

  const llms = index(doc, ops, webhooks, guides);
  await writeFile(path.join(siteDir, 'llms.txt'), llms);
  const full = [llms, ...guides.map((g) => rebaseGuideLinks(g.source, g.page).trimEnd()), ...pages.map((p) => p.trimEnd())].join('\n\n---\n\n');
  await writeFile(path.join(siteDir, 'llms-full.txt'), `${full}\n`);
  return ops.length;
}
