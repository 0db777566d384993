// Tables in docs/*.md that restate the spec are written from it by `npm run generate`, between
// markers, so the Markdown reads complete anywhere (GitHub, the package, the site) and cannot
// drift from the contract: test/docs/doc-tables.test.ts fails when a table is not what the spec
// gives. A table is one entry of DOC_TABLES; a page asks for it with
//   <!-- generated:NAME (npm run generate writes this table from the spec; edit openapi/) -->
//   …
//   <!-- /generated:NAME -->
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { root } from './lib/steps.js';

type Doc = Record<string, unknown>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const code = (values: readonly string[]): string => values.map((v) => `\`${v}\``).join(', ');

/** Follows local `$ref`s (the bundle has only `#/...` ones). */
function resolveRef(doc: Doc, node: unknown, seen = 0): Obj | undefined {
  if (!isObj(node)) return undefined;
  if (typeof node.$ref !== 'string' || seen > 20) return node;
  let target: unknown = doc;
  for (const key of node.$ref.replace(/^#\//, '').split('/')) target = isObj(target) ? target[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return resolveRef(doc, target, seen + 1);
}

interface Scheme {
  'x-api'?: { name?: string };
  'x-scope-includes'?: Record<string, unknown>;
  'x-scope-descriptions'?: Record<string, unknown>;
}

function schemes(doc: Doc): [string, Scheme][] {
  const all = (isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {}) as Record<string, Scheme>;
  return Object.entries(all).filter(([, s]) => isObj(s['x-scope-includes']));
}

/** Scope | one column per API (what the scope is for there, empty where the API lacks it) | Includes. */
function scopesTable(doc: Doc): string {
  const apis = schemes(doc);
  const scopes = [...new Set(apis.flatMap(([, s]) => Object.keys(s['x-scope-includes']!)))];
  const rows = scopes.map((scope) => {
    const cells = apis.map(([name, s]) => {
      if (!Object.hasOwn(s['x-scope-includes']!, scope)) return '';
      const text = s['x-scope-descriptions']?.[scope];
      if (typeof text !== 'string' || !text.trim()) throw new Error(`${name}: x-scope-descriptions.${scope} is missing`);
      return text.trim();
    });
    // Every API that has the scope gives it the same includes (the generated apis table checks the rule itself).
    const includes = strings(apis.find(([, s]) => Object.hasOwn(s['x-scope-includes']!, scope))![1]['x-scope-includes']![scope]);
    return `| \`${scope}\` | ${cells.join(' | ')} | ${code(includes)} |`.replace(/\| {2}\|/g, '| |');
  });
  const header = `| Scope | ${apis.map(([name, s]) => s['x-api']?.name ?? name).join(' | ')} | Includes |`;
  return [header, `|${'---|'.repeat(apis.length + 2)}`, ...rows].join('\n');
}

/** The `event` values a webhook's bodies carry: the schema's `const`/`enum`, else its examples (an open set). */
export function webhookEventValues(doc: Doc, operation: Obj): { values: string[]; closed: boolean } {
  const body = resolveRef(doc, operation.requestBody);
  const media = isObj(body?.content) ? body.content['application/json'] : undefined;
  const schema = resolveRef(doc, isObj(media) ? media.schema : undefined);
  const event = resolveRef(doc, isObj(schema?.properties) ? schema.properties.event : undefined);
  if (typeof event?.const === 'string') return { values: [event.const], closed: true };
  if (strings(event?.enum).length) return { values: strings(event?.enum), closed: true };
  return { values: strings(event?.examples), closed: false };
}

/** Webhook | API | `event` values, one row per webhook of the spec. */
function webhookEventsTable(doc: Doc): string {
  const apiOfTag = (tag: string): string => (/^Partner\b/.test(tag) ? 'Partner API' : 'Organization API');
  const rows = Object.entries((doc.webhooks ?? {}) as Record<string, Obj>).map(([name, item]) => {
    const operation = (isObj(item.post) ? item.post : {}) as Obj;
    const { values, closed } = webhookEventValues(doc, operation);
    if (!values.length) throw new Error(`webhook ${name}: its body schema states no \`event\` value (const, enum or examples)`);
    return `| \`${name}\` | ${apiOfTag(strings(operation.tags)[0] ?? '')} | ${code(values)}${closed ? '' : ' (examples: Bullseye may send others)'} |`;
  });
  return ['| webhook | API | `event` values |', '|---|---|---|', ...rows].join('\n');
}

export const DOC_TABLES: Record<string, (doc: Doc) => string> = {
  scopes: scopesTable,
  'webhook-events': webhookEventsTable,
};

const MARKER = /(<!-- generated:([\w-]+)\b[^>]*-->\n)([\s\S]*?)(<!-- \/generated:\2 -->)/g;

/** The page with each marked table written from the spec; an unknown or unclosed marker throws. */
export function fillDocTables(markdown: string, doc: Doc, file = 'a page'): string {
  const opened = [...markdown.matchAll(/<!-- generated:([\w-]+)/g)].map((m) => m[1]!);
  const closed = [...markdown.matchAll(/<!-- \/generated:([\w-]+) -->/g)].map((m) => m[1]!);
  if (opened.join() !== closed.join()) throw new Error(`${file}: generated-table markers do not pair up (opened ${opened.join(', ') || 'none'}; closed ${closed.join(', ') || 'none'})`);
  return markdown.replace(MARKER, (_, start: string, name: string, _old: string, end: string) => {
    const table = DOC_TABLES[name];
    if (!table) throw new Error(`${file}: no generated table is called "${name}" (known: ${Object.keys(DOC_TABLES).join(', ')})`);
    return `${start}${table(doc)}\n${end}`;
  });
}

/** The markers themselves, for renderers that would show an HTML comment as text. */
export const stripDocTableMarkers = (markdown: string): string => markdown.replace(/^<!-- \/?generated:[\w-]+\b[^>]*-->\n/gm, '');

/** docs/*.md files that hold a generated table. */
export async function docTableFiles(dir = path.join(root, 'docs')): Promise<string[]> {
  const files: string[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.md')).sort()) {
    if ((await readFile(path.join(dir, f), 'utf8')).includes('<!-- generated:')) files.push(path.join(dir, f));
  }
  return files;
}

/** Rewrites the generated tables of docs/ from generated/openapi.json; returns the files it changed. */
export async function writeDocTables(): Promise<string[]> {
  const doc = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as Doc;
  const changed: string[] = [];
  for (const file of await docTableFiles()) {
    const before = await readFile(file, 'utf8');
    const after = fillDocTables(before, doc, path.relative(root, file));
    if (after !== before) {
      await writeFile(file, after);
      changed.push(path.relative(root, file));
    }
  }
  return changed;
}
