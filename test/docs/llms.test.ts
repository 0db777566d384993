// Docs for agents in the built site (generated/site, from `npm run generate`): llms.txt links a
// Markdown page for every operation and webhook of the bundled spec and every guide; each operation
// page states its method, path and scope and carries the bundle's tested code samples (and
// x-provenance where the spec has it); llms-full.txt holds all of it; the static server that
// `npm start` uses serves them all.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listGuides, siteDir } from '../../scripts/site/docs.js';
import { rebaseGuideLinks } from '../../scripts/site/llms.js';
import { serveStatic, type StaticServer } from '../../scripts/site/static-server.js';
import { loadSpec, operations } from '../support/spec.js';
import { stripDocTableMarkers } from '../../scripts/doc-tables.js';

const doc = loadSpec();
const ops = operations(doc);
const webhookNames = Object.keys((doc.webhooks ?? {}) as object);
const guides = [...(await listGuides()), ...(await listGuides(undefined, ['sdk.md']))];

let llms = '';
let full = '';
let server: StaticServer;

beforeAll(async () => {
  if (!existsSync(path.join(siteDir, 'llms.txt'))) throw new Error('generated/site/llms.txt is missing: run `npm run generate` first');
  llms = await readFile(path.join(siteDir, 'llms.txt'), 'utf8');
  full = await readFile(path.join(siteDir, 'llms-full.txt'), 'utf8');
  server = await serveStatic(siteDir, 0);
});
afterAll(() => server?.close());

/** A `$ref` of the bundle followed to what it names. */
const resolve = (node: unknown): unknown => {
  let value = node as { $ref?: string } | undefined;
  while (value && typeof value.$ref === 'string') {
    value = value.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as typeof value;
  }
  return value ?? {};
};

/** Markdown links of llms.txt: text → target. */
const links = (): Map<string, string> => new Map([...llms.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map((m) => [m[2]!, m[1]!]));

describe('llms.txt', () => {
  it('starts with a title and a summary, and says how to authenticate', () => {
    expect(llms).toMatch(/^# .+\n\n> .+/);
    expect(llms).toContain('X-Partner-API-Key');
    expect(llms).toContain('X-API-Key');
    expect(llms).toContain('https://api.app.bullseye.so/api/v1');
  });

  it('links every operation of the spec to its Markdown page, with method, path and scope', () => {
    const targets = links();
    for (const op of ops) {
      const page = `api/operations/${op.operationId}.md`;
      expect(targets.has(page), op.operationId).toBe(true);
      const line = llms.split('\n').find((l) => l.includes(`(${page})`))!;
      expect(line).toContain(`\`${op.method.toUpperCase()} ${op.path}\``);
      for (const scope of op.scopes) expect(line).toContain(`\`${scope}\``);
    }
    expect([...targets.keys()].filter((t) => t.startsWith('api/operations/'))).toHaveLength(ops.length);
  });

  it('says what each scope includes, per API and on every operation line (the scope rule of generated/apis.ts)', () => {
    expect(llms).toContain('Scopes, each with what it includes: `read` (`read`); `write` (`write`, `read`); `admin` (`admin`, `write`, `read`). A key created without scopes has full access.');
    expect(llms).toContain('`agency:write` (`agency:write`, `agency:read`). Every key carries at least one scope.');
    const line = (operationId: string): string => llms.split('\n').find((l) => l.includes(`(api/operations/${operationId}.md)`))!;
    expect(line('getPartner')).toContain('scope `read` (a key with `read`, `write` or `admin` may call it)');
    expect(line('getAgencyOverview')).toContain('scope `agency:read` (a key with `agency:read` or `agency:write` may call it)');
    expect(line('listPartnerApiKeys')).toMatch(/scope `admin` \(`listPartnerApiKeys`/);
  });

  it('links every webhook and every guide', () => {
    const targets = links();
    for (const name of webhookNames) expect(targets.has(`api/webhooks/${name}.md`), name).toBe(true);
    for (const g of guides) expect(targets.get(`guides/${g.file}`), g.file).toBe(g.title);
  });

  it('links only files the site has', () => {
    for (const target of links().keys()) expect(existsSync(path.join(siteDir, target)), target).toBe(true);
  });
});

describe('operation pages', () => {
  it.each(ops.map((o) => [o.operationId, o] as const))('%s', async (_id, op) => {
    const page = await readFile(path.join(siteDir, 'api', 'operations', `${op.operationId}.md`), 'utf8');
    expect(full).toContain(page.trimEnd());
    const text = page;
    expect(text).toContain(`**Method:** \`${op.method.toUpperCase()}\``);
    expect(text).toContain(`**Path:** \`${op.path}\``);
    expect(text).toContain(`scopes: ${op.scopes.map((s) => `\`${s}\``).join(', ')}`);
    expect(text).toMatch(new RegExp(`^### ${op.successStatus} `, 'm'));
    // Every response, every parameter (the path's shared ones too) and the success body's fields.
    for (const status of Object.keys(op.op.responses as object)) expect(text).toMatch(new RegExp(`^### ${status} `, 'm'));
    const item = (doc.paths as Record<string, { parameters?: unknown[] }>)[op.path]!;
    for (const raw of [...(item.parameters ?? []), ...((op.op.parameters as unknown[] | undefined) ?? [])]) {
      const param = resolve(raw) as { name: string; in: string };
      expect(text).toContain(`## ${param.in[0]!.toUpperCase()}${param.in.slice(1)} parameters`);
      expect(text).toContain(`**\`${param.name}\``);
    }
    const success = resolve((op.op.responses as Record<string, unknown>)[String(op.successStatus)]) as { content?: Record<string, { schema?: unknown }> };
    const body = resolve(success.content?.['application/json']?.schema) as { properties?: object; required?: string[] };
    for (const name of body.required ?? []) expect(text).toContain(`**\`${name}\` (required)**`);
    const samples = (op.op['x-codeSamples'] ?? []) as { source: string }[];
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(page).toContain(s.source.trimEnd());
    if (op.op['x-provenance'] !== undefined) expect(page).toContain('## Provenance');
  });

  it('every webhook has a page in llms-full.txt', async () => {
    for (const name of webhookNames) {
      const page = await readFile(path.join(siteDir, 'api', 'webhooks', `${name}.md`), 'utf8');
      expect(page).toContain(`**Webhook:** \`${name}\``);
      // Webhooks say where they come from, like operations (DECISIONS D11).
      expect(page).toContain('## Provenance');
      expect(full).toContain(page.trimEnd());
    }
  });

  it('llms-full.txt starts with llms.txt and holds every guide, its links made relative to the site root', () => {
    expect(full.startsWith(llms.trimEnd())).toBe(true);
    for (const g of guides) expect(full).toContain(rebaseGuideLinks(stripDocTableMarkers(g.source), g.page).trimEnd());
    // The generated tables' markers stay in the sources: neither llms-full.txt nor a guide's page shows them.
    expect(guides.some((g) => g.source.includes('<!-- generated:'))).toBe(true);
    expect(full).not.toContain('generated:');
  });
});

describe('served by the docs server', () => {
  it.each([
    ['/llms.txt', 'text/plain'],
    ['/llms-full.txt', 'text/plain'],
    [`/api/operations/${ops[0]!.operationId}.md`, 'text/markdown'],
    ['/guides/webhooks.md', 'text/markdown'],
  ])('%s', async (pathname, type) => {
    const res = await fetch(`${server.url}${pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    const body = await res.text();
    expect(body).toBe(await readFile(path.join(siteDir, pathname), 'utf8'));
  });
});

describe('rebaseGuideLinks', () => {
  it('makes a guide\'s relative links work from the site root, and leaves code and absolute links alone', () => {
    const source = 'See [a](authentication.html), [b](../api/index.html), [c](#scopes), [d](https://x.io/a), [e](webhooks.md#x).\n```ts\nconst f = fns[0](1);\n[g](keep.html)\n```\n';
    expect(rebaseGuideLinks(source, 'sdk.html')).toBe(
      'See [a](guides/authentication.html), [b](api/index.html), [c](guides/sdk.html#scopes), [d](https://x.io/a), [e](guides/webhooks.md#x).\n```ts\nconst f = fns[0](1);\n[g](keep.html)\n```\n',
    );
  });
});
