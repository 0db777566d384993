// One Markdown page per operation or webhook of the bundled spec, for the agents' docs (llms.ts).
// Our own renderer rather than a library: the one we used (@scalar/openapi-to-markdown 1.x) needs
// Node 22 and brought a dozen packages that print engine warnings on the Node 20 CI uses; its Node 20
// line pulls Vue and an HTML pipeline. The bundle is plain (local `$ref`s, `allOf`/`oneOf`/`anyOf`,
// 3.1 type lists), so a page is a walk over it.
import { STATUS_CODES } from 'node:http';

type Json = Record<string, unknown>;

export interface MarkdownDoc extends Json {
  servers?: { url: string; description?: string }[];
  components?: Json & { securitySchemes?: Record<string, { type: string; in?: string; name?: string }> };
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const code = (s: string): string => `\`${s}\``;
const indent = (text: string, by: number): string => text.split('\n').map((l) => (l ? ' '.repeat(by) + l : l)).join('\n');
const trimText = (s: unknown): string => (typeof s === 'string' ? s.trim() : '');

/** What a schema page-section needs: the document (for `$ref`s) and the named schemas already shown. */
class Page {
  readonly lines: string[] = [];
  private readonly shown = new Set<string>();
  constructor(private readonly doc: MarkdownDoc) {}

  push(...lines: string[]): void {
    this.lines.push(...lines);
  }

  resolve<T = Json>(node: unknown): { value: T; name?: string } {
    let name: string | undefined;
    let value = node;
    for (let hops = 0; isObject(value) && typeof value.$ref === 'string' && hops < 20; hops++) {
      const ref = value.$ref;
      if (!ref.startsWith('#/')) break;
      name = ref.slice(ref.lastIndexOf('/') + 1);
      value = ref
        .slice(2)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), this.doc);
    }
    return { value: (value ?? {}) as T, name };
  }

  /** A schema's one-line summary: type, format, values and bounds. */
  summary(s: Json): string {
    const parts: string[] = [];
    const type = Array.isArray(s.type) ? (s.type as string[]).join(' | ') : typeof s.type === 'string' ? s.type : undefined;
    if (type === 'array' && isObject(s.items)) {
      const items = this.resolve(s.items);
      parts.push(code(`array of ${items.name ?? this.typeName(items.value)}`));
    } else if (type) parts.push(code(type));
    else if (s.oneOf || s.anyOf) parts.push(s.oneOf ? 'one of the forms below' : 'any of the forms below');
    if (s.const !== undefined) parts.push(`always ${code(JSON.stringify(s.const))}`);
    if (Array.isArray(s.enum)) parts.push(`one of ${(s.enum as unknown[]).map((v) => code(JSON.stringify(v))).join(', ')}`);
    for (const k of ['format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'default']) {
      if (s[k] !== undefined) parts.push(`${k} ${code(typeof s[k] === 'string' && k !== 'default' ? (s[k] as string) : JSON.stringify(s[k]))}`);
    }
    if (s.uniqueItems === true) parts.push('unique items');
    if (s.deprecated === true) parts.push('**deprecated**');
    if (s.readOnly === true) parts.push('read-only');
    return parts.join(', ');
  }

  private typeName(s: Json): string {
    return Array.isArray(s.type) ? (s.type as string[]).join(' | ') : typeof s.type === 'string' ? s.type : 'value';
  }

  /** `allOf` parts merged into one object view (properties and required lists), the rest kept. */
  private flatten(s: Json): Json {
    if (!Array.isArray(s.allOf)) return s;
    const out: Json = { ...s, allOf: undefined };
    const properties: Json = {};
    const required = new Set<string>();
    for (const part of [s, ...(s.allOf as unknown[]).map((p) => this.flatten(this.resolve(p).value))]) {
      Object.assign(properties, isObject(part.properties) ? part.properties : {});
      for (const r of (part.required as string[] | undefined) ?? []) required.add(r);
      for (const [k, v] of Object.entries(part)) if (out[k] === undefined && !['properties', 'required', 'allOf'].includes(k)) out[k] = v;
    }
    if (Object.keys(properties).length) out.properties = properties;
    if (required.size) out.required = [...required];
    return out;
  }

  /**
   * The body of a schema: its properties (nested objects and arrays of objects expanded), or its
   * alternatives. A named schema is written out once per page; later uses point back to it.
   */
  schemaBody(node: unknown, depth = 0): string[] {
    if (depth > 8) return [];
    const { value, name } = this.resolve(node);
    if (name) {
      if (this.shown.has(name)) return [];
      this.shown.add(name);
    }
    const s = this.flatten(value);
    const out: string[] = [];
    const required = new Set((s.required as string[] | undefined) ?? []);
    for (const [prop, raw] of Object.entries(isObject(s.properties) ? s.properties : {})) {
      const { value: pv, name: pName } = this.resolve(raw);
      const p = this.flatten(pv);
      const seen = pName !== undefined && this.shown.has(pName);
      const head = [code(prop), required.has(prop) ? '(required)' : ''].filter(Boolean).join(' ');
      const about = [this.summary(p), pName ? `schema ${code(pName)}${seen ? ', shown above' : ''}` : ''].filter(Boolean).join(', ');
      out.push(`- **${head}**: ${about}`);
      const description = trimText(p.description);
      if (description) out.push('', indent(description, 2));
      const isArray = p.type === 'array' || (Array.isArray(p.type) && p.type.includes('array'));
      const inner = this.schemaBody(isArray ? p.items : raw, depth + 1);
      if (inner.length) out.push(indent(inner.join('\n'), 2));
      else if (isArray && isObject(p.items)) {
        // Items without properties of their own (an enum, a string format) still say what they are.
        const items = this.flatten(this.resolve(p.items).value);
        const about = this.summary(items);
        if (about !== code(this.typeName(items))) out.push('', `  Items: ${about}`);
      }
    }
    if (isObject(s.additionalProperties)) {
      const inner = this.schemaBody(s.additionalProperties, depth + 1);
      out.push(`- **any other key**: ${this.summary(this.resolve(s.additionalProperties).value)}`);
      if (inner.length) out.push(indent(inner.join('\n'), 2));
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (!Array.isArray(s[key])) continue;
      (s[key] as unknown[]).forEach((alt, i) => {
        const { value: av, name: aName } = this.resolve(alt);
        const title = aName ?? trimText(av.title);
        out.push(`- **Form ${i + 1}${title ? ` (${code(title)})` : ''}**: ${this.summary(this.flatten(av))}`);
        const description = trimText(av.description);
        if (description) out.push('', indent(description, 2));
        const inner = this.schemaBody(alt, depth + 1);
        if (inner.length) out.push(indent(inner.join('\n'), 2));
      });
    }
    return out;
  }

  /** A media type's schema (named, summarised, described, expanded) and its examples. */
  content(content: unknown): void {
    for (const [type, media] of Object.entries(isObject(content) ? content : {})) {
      if (!isObject(media)) continue;
      this.push(`**Content type:** ${code(type)}`, '');
      if (media.schema !== undefined) {
        const { value, name } = this.resolve(media.schema);
        const s = this.flatten(value);
        if (name && this.shown.has(name)) this.push(`Schema ${code(name)}, shown above.`, '');
        else {
          const noMore = s.additionalProperties === false || s.unevaluatedProperties === false ? ', no other properties' : '';
          this.push(`Schema${name ? ` ${code(name)}` : ''}: ${this.summary(s) || 'any'}${noMore}`, '');
          const description = trimText(s.description);
          if (description) this.push(description, '');
          const body = this.schemaBody(media.schema);
          if (body.length) this.push(...body, '');
        }
      }
      const examples = isObject(media.examples) ? media.examples : media.example !== undefined ? { example: { value: media.example } } : {};
      for (const [exName, raw] of Object.entries(examples)) {
        const ex = this.resolve(raw).value;
        const summary = trimText(ex.summary) || trimText(ex.description);
        this.push(`**Example ${code(exName)}**${summary ? `: ${summary}` : ''}`, '', '```json', JSON.stringify(ex.value, null, 2), '```', '');
      }
    }
  }
}

function parametersSection(page: Page, params: unknown[]): void {
  const byPlace = new Map<string, Json[]>();
  for (const raw of params) {
    const p = page.resolve(raw).value;
    const place = typeof p.in === 'string' ? p.in : 'query';
    byPlace.set(place, [...(byPlace.get(place) ?? []), p]);
  }
  for (const place of ['path', 'query', 'header', 'cookie']) {
    const list = byPlace.get(place);
    if (!list) continue;
    page.push(`## ${place[0]!.toUpperCase()}${place.slice(1)} parameters`, '');
    for (const p of list) {
      const schema = page.resolve(p.schema).value;
      const head = [code(String(p.name)), p.required === true ? '(required)' : '', p.deprecated === true ? '(deprecated)' : ''].filter(Boolean).join(' ');
      page.push(`- **${head}**: ${page.summary(schema)}`);
      const description = trimText(p.description);
      if (description) page.push('', indent(description, 2));
      const example = p.example ?? (Array.isArray(schema.examples) ? (schema.examples as unknown[])[0] : undefined);
      if (example !== undefined) page.push('', `  Example: ${code(JSON.stringify(example))}`);
    }
    page.push('');
  }
}

function headersList(page: Page, headers: unknown): void {
  const entries = Object.entries(isObject(headers) ? headers : {});
  if (!entries.length) return;
  page.push('**Headers:**', '');
  for (const [name, raw] of entries) {
    const h = page.resolve(raw).value;
    page.push(`- **${code(name)}${h.required === true ? ' (required)' : ''}**: ${page.summary(page.resolve(h.schema).value)}`);
    const description = trimText(h.description);
    if (description) page.push('', indent(description, 2));
  }
  page.push('');
}

function responsesSection(page: Page, responses: unknown): void {
  const entries = Object.entries(isObject(responses) ? responses : {});
  if (!entries.length) return;
  page.push('## Responses', '');
  for (const [status, raw] of entries) {
    const r = page.resolve(raw).value;
    page.push(`### ${status} ${STATUS_CODES[status] ?? (status === 'default' ? 'Any other status' : 'Response')}`, '');
    const description = trimText(r.description);
    if (description) page.push(description, '');
    headersList(page, r.headers);
    page.content(r.content);
  }
}

function authenticationSection(page: Page, doc: MarkdownDoc, security: unknown): void {
  page.push('## Authentication', '');
  const requirements = Array.isArray(security) ? (security as Json[]) : [];
  if (!requirements.length) {
    page.push('None: no API key is sent.', '');
    return;
  }
  for (const requirement of requirements) {
    for (const [scheme, scopes] of Object.entries(requirement)) {
      const def = doc.components?.securitySchemes?.[scheme];
      const where = def?.type === 'apiKey' ? `API key in ${def.in ?? 'header'} ${code(def.name ?? '')}` : (def?.type ?? 'unknown scheme');
      const list = Array.isArray(scopes) && scopes.length ? `, scopes: ${(scopes as string[]).map(code).join(', ')}` : '';
      page.push(`- **${scheme}**: ${where}${list}`);
    }
  }
  page.push('');
}

function render(doc: MarkdownDoc, op: Json, facts: [string, string][], withServers: boolean, shared: unknown[] = []): string {
  const page = new Page(doc);
  page.push(`# ${trimText(op.summary) || String(op.operationId ?? facts[1]?.[1] ?? '')}`, '');
  const tags = Array.isArray(op.tags) ? (op.tags as string[]).join(', ') : '';
  page.push(...facts.map(([k, v]) => `- **${k}:** ${v}`));
  if (typeof op.operationId === 'string') page.push(`- **Operation ID:** ${code(op.operationId)}`);
  if (tags) page.push(`- **Tags:** ${tags}`);
  if (op.deprecated === true) page.push('- **Deprecated:** yes');
  page.push('');
  const description = trimText(op.description);
  if (description) page.push(description, '');
  // A webhook page has no servers of ours to call: only operations list them.
  if (withServers) {
    const servers = doc.servers ?? [];
    if (servers.length) {
      page.push('## Servers', '');
      for (const s of servers) page.push(`- ${code(s.url)}${s.description ? `: ${s.description}` : ''}`);
      page.push('');
    }
  }
  authenticationSection(page, doc, op.security ?? doc.security);
  // Parameters of the path item apply to each of its operations, unless the operation redefines them.
  const own = Array.isArray(op.parameters) ? (op.parameters as unknown[]) : [];
  const key = (raw: unknown): string => {
    const p = page.resolve(raw).value;
    return `${String(p.in)} ${String(p.name)}`;
  };
  const ownKeys = new Set(own.map(key));
  parametersSection(page, [...shared.filter((p) => !ownKeys.has(key(p))), ...own]);
  if (op.requestBody !== undefined) {
    const body = page.resolve(op.requestBody).value;
    page.push('## Request body', '');
    page.push(`**Required:** ${body.required === true ? 'yes' : 'no'}`, '');
    const description = trimText(body.description);
    if (description) page.push(description, '');
    page.content(body.content);
  }
  responsesSection(page, op.responses);
  return `${page.lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The page of the operation at `method path`. */
export function operationMarkdown(doc: MarkdownDoc, pathName: string, method: string): string {
  const item = (doc.paths as Record<string, Record<string, Json>>)[pathName];
  const op = item?.[method];
  if (!op) throw new Error(`no operation ${method.toUpperCase()} ${pathName} in the document`);
  const shared = Array.isArray(item.parameters) ? (item.parameters as unknown[]) : [];
  return render(doc, op, [
    ['Method', code(method.toUpperCase())],
    ['Path', code(pathName)],
  ], true, shared);
}

/** The page of the webhook `name` (its POST). */
export function webhookMarkdown(doc: MarkdownDoc, name: string): string {
  const op = (doc.webhooks as Record<string, Record<string, Json>> | undefined)?.[name]?.post;
  if (!op) throw new Error(`no webhook ${name} in the document`);
  return render(doc, op, [
    ['Method', code('POST')],
    ['Webhook', code(name)],
  ], false);
}
