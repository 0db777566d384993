// What the guides state, compared with the spec (generated/openapi.json):
// - every operation a guide uses (a call in its code, a curl, or `METHOD /path` in its text) that the
//   spec marks partial or inferred (x-provenance) is marked where it is used: the same section says
//   "partly documented" or "inferred" and links the decision entry it rests on;
// - a guide whose code calls the API says up front which scopes its key needs, exactly those of
//   the operations it calls;
// - a default stated for a parameter (`pageSize` (default 20)) is the spec's default wherever it is said to hold;
// - an error body shown in a guide is one of the spec's error examples.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listGuides } from '../../scripts/site/docs.js';
import { deref, loadSpec, operations, type Json, type JsonObject, type Operation } from '../support/spec.js';
import { fencedBlocks, PRODUCTION_BASE_URL, root } from './support.js';

const doc = loadSpec();
const ops = operations(doc);
const pages = [
  ...(await listGuides()),
  ...(await listGuides(undefined, ['sdk.md'])),
  { file: 'introduction.md', source: await readFile(path.join(root, 'docs', 'introduction.md'), 'utf8') },
];
/** The two READMEs a reader meets first (the repository's and the package's): short sentences too. */
const readmes = await Promise.all(['README.md', 'package/README.md'].map(async (file) => ({ file, source: await readFile(path.join(root, file), 'utf8') })));

/** Templates as patterns; a concrete path resolves to the template with the most fixed segments. */
const templates = ops.map((op) => ({
  op,
  re: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`),
  fixed: op.path.split('/').filter((s) => s && !s.startsWith('{')).length,
}));
export function resolve(method: string, pathOrUrl: string): Operation | undefined {
  const p = pathOrUrl.replace(PRODUCTION_BASE_URL, '').replace(/^https?:\/\/127\.0\.0\.1:\d+/, '').replace(/[?#].*$/, '');
  const exact = ops.find((o) => o.method === method.toLowerCase() && o.path === p);
  if (exact) return exact;
  return templates.filter((t) => t.op.method === method.toLowerCase() && t.re.test(p)).sort((a, b) => b.fixed - a.fixed)[0]?.op;
}

interface Use {
  op: Operation;
  section: string;
  inCode: boolean;
}

/** h2 sections (the text before the first one is its own section). */
function sections(markdown: string): { title: string; text: string }[] {
  return markdown.split(/^(?=## )/m).map((text) => ({ title: /^## (.+)$/m.exec(text)?.[1] ?? '(top)', text }));
}

export function usedOperations(markdown: string): Use[] {
  const uses: Use[] = [];
  for (const { title, text } of sections(markdown)) {
    const code = fencedBlocks(text);
    for (const block of code) {
      for (const m of block.source.matchAll(/\.(GET|POST|PUT|PATCH|DELETE)\(\s*'([^']+)'/g)) {
        const op = resolve(m[1]!, m[2]!);
        if (op) uses.push({ op, section: title, inCode: true });
      }
      for (const m of block.source.matchAll(/\.(?:paginate|pages)\(\s*'([^']+)'/g)) {
        const op = resolve('GET', m[1]!);
        if (op) uses.push({ op, section: title, inCode: true });
      }
      for (const m of block.source.matchAll(/curl --request (\w+) '([^']+)'/g)) {
        const op = resolve(m[1]!, m[2]!);
        if (op) uses.push({ op, section: title, inCode: true });
      }
    }
    const prose = text.replace(/^```[\s\S]*?^```/gm, '');
    for (const m of prose.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)) {
      const op = resolve(m[1]!, m[2]!);
      if (op) uses.push({ op, section: title, inCode: false });
    }
  }
  return uses;
}

const MARK = { partial: /partly documented/i, inferred: /\binferred\b/i } as const;

describe('guides mark the guesses they teach', () => {
  it.each(pages.map((p) => [p.file, p] as const))('%s: every partial or inferred operation it uses is marked in the section that uses it', (_f, page) => {
    const missing: string[] = [];
    const bySection = new Map(sections(page.source).map((s) => [s.title, s.text]));
    for (const use of usedOperations(page.source)) {
      const level = use.op.op['x-provenance'] as string;
      if (level === 'documented') continue;
      const decision = String(use.op.op['x-provenance-decision']).toLowerCase();
      const text = bySection.get(use.section) ?? '';
      const ok = MARK[level as keyof typeof MARK]?.test(text) && text.includes(`decisions.html#${decision}`);
      if (!ok) missing.push(`${use.op.method.toUpperCase()} ${use.op.path} (${level}, ${decision}) in "${use.section}"`);
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('finds the operations a guide uses in code, curl and text, and resolves concrete paths to their template', () => {
    const uses = usedOperations(
      "## A\n```ts\nawait p.GET('/partner/organizations/{organizationId}/pixel-config', {});\nfor await (const o of c.paginate('/companies', {})) {}\n```\n## B\n```sh\ncurl --request DELETE 'https://api.app.bullseye.so/api/v1/integrations/org_1/flows/f_1?x=1'\n```\nSee `GET /integrations/request-install`.\n",
    );
    expect(uses.map((u) => `${u.section}: ${u.op.operationId}${u.inCode ? '' : ' (text)'}`)).toEqual([
      'A: getPartnerOrganizationPixelConfig',
      'A: listCompanies',
      'B: deleteIntegrationFlow',
      'B: requestIntegrationInstall (text)',
    ]);
  });
});

describe('guides say which scopes their key needs', () => {
  it.each(pages.filter((p) => p.file !== 'introduction.md').map((p) => [p.file, p] as const))('%s', (_f, page) => {
    const called = usedOperations(page.source).filter((u) => u.inCode);
    const needed = [...new Set(called.flatMap((u) => u.op.scopes))].sort();
    const line = /^\*\*Scopes:\*\*.*$/m.exec(page.source)?.[0];
    if (!needed.length) {
      expect(line, 'a scopes line without calls').toBeUndefined();
      return;
    }
    expect(line, `${page.file} calls operations needing ${needed.join(', ')} and does not say so`).toBeDefined();
    // Up front: before the first step.
    expect(page.source.indexOf(line!)).toBeLessThan(page.source.search(/^## /m) < 0 ? Infinity : page.source.search(/^## /m));
    const stated = [...new Set([...line!.matchAll(/`([a-z:]+)`/g)].map((m) => m[1]!))].sort();
    expect(stated).toEqual(needed);
  });
});

/** The parameters of every operation, by name: operationId → default (undefined when none). */
function defaultsOf(name: string): Map<string, Json | undefined> {
  const out = new Map<string, Json | undefined>();
  for (const op of ops) {
    const item = deref(doc, doc.paths as Json, '').node as JsonObject;
    const params = [...(((item[op.path] as JsonObject).parameters ?? []) as Json[]), ...((op.op.parameters ?? []) as Json[])];
    for (const raw of params) {
      const p = deref(doc, raw, '').node as JsonObject;
      if (p.name === name) out.set(op.operationId, (p.schema as JsonObject | undefined)?.default);
    }
  }
  return out;
}

describe('defaults the guides state are the spec\'s', () => {
  it.each(pages.map((p) => [p.file, p] as const))('%s', (_f, page) => {
    const wrong: string[] = [];
    const prose = page.source.replace(/^```[\s\S]*?^```/gm, '');
    // "`pageSize` (default 20)", "`pageSize` defaults to 20", optionally "… on `listPartnerOrganizations`".
    for (const sentence of prose.split(/(?<=[.;|])\s|\n\n/)) {
      for (const m of sentence.matchAll(/`(\w+)`\s*(?:\(default (\d+|true|false)|defaults to (\d+|true|false))/g)) {
        const [name, value] = [m[1]!, m[2] ?? m[3]!];
        const defaults = defaultsOf(name);
        if (!defaults.size) continue; // not a parameter of the API (an SDK option, say)
        const named = [...sentence.matchAll(/`(\w+)`/g)].map((n) => n[1]!).filter((id) => defaults.has(id));
        const where = named.length ? named : [...defaults.keys()];
        for (const id of where) if (String(defaults.get(id)) !== value) wrong.push(`${name} default ${value} on ${id}: the spec says ${String(defaults.get(id))}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('error bodies shown in the guides are the spec\'s examples', () => {
  const examples: Json[] = [];
  for (const response of Object.values(((doc.components as JsonObject).responses ?? {}) as JsonObject)) {
    for (const media of Object.values(((response as JsonObject).content ?? {}) as JsonObject)) {
      for (const ex of Object.values(((media as JsonObject).examples ?? {}) as JsonObject)) examples.push((ex as JsonObject).value as Json);
    }
  }
  it.each(pages.map((p) => [p.file, p] as const))('%s', (_f, page) => {
    for (const block of fencedBlocks(page.source).filter((b) => b.lang === 'json')) {
      const value = JSON.parse(block.source) as JsonObject;
      if (!value || typeof value !== 'object' || !('code' in value) || !('message' in value)) continue;
      expect(examples.some((e) => isDeepStrictEqual(e, value)), `${page.file}:${block.line} is not an example of the spec`).toBe(true);
    }
  });
});

describe('the introduction says how complete the contract is', () => {
  it('counts documented, partial and inferred operations from x-provenance, and says what each mark means', async () => {
    const { completenessSection } = await import('../../scripts/site/docs.js');
    const section = completenessSection(doc);
    const count = (level: string): number => ops.filter((o) => o.op['x-provenance'] === level).length;
    expect(count('documented') + count('partial') + count('inferred')).toBe(ops.length);
    for (const level of ['documented', 'partial', 'inferred']) expect(section).toMatch(new RegExp(`^\\| ${level}\\b[^|]*\\| ${count(level)} \\|`, 'm'));
    expect(section).toContain(`Of the ${ops.length} operations`);
    expect(section).toContain('(../decisions.html)');
  });
});

describe('the guides are written in short sentences', () => {
  it.each([...pages, ...readmes].map((p) => [p.file, p] as const))('%s: no sentence of its prose runs past 50 words', (_f, page) => {
    const prose = page.source
      .replace(/^```[\s\S]*?^```/gm, '')
      .replace(/^\|.*$/gm, '')
      .replace(/^#.*$/gm, '');
    const long = prose
      .split(/\n\s*\n/)
      .flatMap((paragraph) => paragraph.replace(/\s+/g, ' ').split(/(?<=[.!?:;]\)?)\s+(?=[A-Z`*([-])/))
      .filter((s) => s.split(' ').filter(Boolean).length > 50)
      .map((s) => `${s.split(' ').length} words: ${s.slice(0, 80)}…`);
    expect(long).toEqual([]);
  });
});
