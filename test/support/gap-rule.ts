// The gap-filling rule (openapi/DECISIONS.md, D10) as a checker over a whole document, so the spec
// test can run it on the bundled spec and on mutated copies of it (planted regressions). It looks at
// every response separately (operation × status × media type, each response header, each webhook
// payload): a `required` list, a closed enum or a value constraint is allowed in a response only
// where the fixture (test/spec/fixtures/gap-rule.yaml) names the docs page that states it *for that
// response*, so a documented list reused in a designed response is caught.
import { isDeepStrictEqual } from 'node:util';
import { HTTP_METHODS } from '../../scripts/lib/spec.js';
import { escapePointer, get, operations, type Json, type JsonObject } from './spec.js';

/** A fixture entry: what the docs state at one schema pointer, and in which responses they state it. */
export interface Backed<V> {
  value: V;
  page: string;
  /** Response ids (`<operationId> <status> <media type>`, `<operationId> <status> header <name>`,
   * `webhook <name> <media type>`); `*` matches any run of characters. */
  responses: string[];
}

export interface GapFixture {
  responseRequired: Record<string, { fields: string[]; page: string; responses: string[] }>;
  closedResponseEnums: Record<string, { values: Json[]; page: string; responses: string[] }>;
  documentedResponseConstraints: Record<string, { value: Json; page: string; responses: string[] }>;
  /** Path parameter patterns that are opaque-id rules of a DECISIONS entry (OD4), keyed by pattern. */
  lookupPatterns: Record<string, { decision: string }>;
}

/** Every keyword that narrows what a value may be. A response carries one only where a page states it. */
export const CONSTRAINT_KEYWORDS = [
  'format',
  'pattern',
  'const',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
] as const;

/** ISO 8601 timestamps and dates are stated by both overviews for every such field. */
const ISO_FORMATS = new Set(['date-time', 'date']);

const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface Finding {
  /** The response (see `Backed.responses`). */
  response: string;
  /** Pointer of the schema (for required/enum) or of the keyword (for constraints). */
  pointer: string;
  value: Json;
}

export interface ResponseSide {
  required: Finding[];
  enums: Finding[];
  constraints: Finding[];
  closed: Finding[];
  /** How many responses were walked (a sanity figure for tests). */
  responses: number;
}

/** Walks one schema as one response sees it; refs are followed once per response (cycles end). */
function walk(doc: JsonObject, root: Json | undefined, rootPointer: string, response: string, out: ResponseSide): void {
  const seen = new Set<string>();
  const visit = (node: Json | undefined, pointer: string): void => {
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') {
      if (seen.has(node.$ref)) return;
      seen.add(node.$ref);
      visit(get(doc, node.$ref), node.$ref);
      return;
    }
    if (Array.isArray(node.required) && node.required.length > 0) out.required.push({ response, pointer, value: node.required });
    if (node.additionalProperties === false || node.unevaluatedProperties === false) out.closed.push({ response, pointer, value: false });
    if (Array.isArray(node.enum)) out.enums.push({ response, pointer, value: node.enum });
    for (const k of CONSTRAINT_KEYWORDS) {
      if (!(k in node)) continue;
      if (k === 'format' && ISO_FORMATS.has(String(node.format))) continue;
      if (k === 'uniqueItems' && node.uniqueItems === false) continue;
      out.constraints.push({ response, pointer: `${pointer}/${k}`, value: node[k] as Json });
    }
    for (const [name, sub] of Object.entries(isObject(node.properties) ? node.properties : {})) visit(sub, `${pointer}/properties/${escapePointer(name)}`);
    for (const k of ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']) visit(node[k], `${pointer}/${k}`);
    for (const k of ['patternProperties', 'dependentSchemas']) {
      for (const [name, sub] of Object.entries(isObject(node[k]) ? node[k] : {})) visit(sub, `${pointer}/${k}/${escapePointer(name)}`);
    }
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = node[k];
      if (Array.isArray(list)) list.forEach((s, i) => visit(s, `${pointer}/${k}/${i}`));
    }
  };
  visit(root, rootPointer);
}

const follow = (doc: JsonObject, node: Json | undefined, pointer: string): [JsonObject | undefined, string] => {
  let cur = node;
  let ptr = pointer;
  for (let i = 0; i < 20 && isObject(cur) && typeof cur.$ref === 'string'; i++) {
    ptr = cur.$ref;
    cur = get(doc, ptr);
  }
  return [isObject(cur) ? cur : undefined, ptr];
};

/** Everything the API sends, response by response: bodies, headers, webhook payloads. */
export function responseSide(doc: JsonObject): ResponseSide {
  const out: ResponseSide = { required: [], enums: [], constraints: [], closed: [], responses: 0 };
  for (const op of operations(doc)) {
    for (const [status, raw] of Object.entries((op.op.responses ?? {}) as JsonObject)) {
      const [response, rp] = follow(doc, raw, `${op.pointer}/responses/${status}`);
      for (const [media, m] of Object.entries((response?.content ?? {}) as JsonObject)) {
        out.responses++;
        walk(doc, (m as JsonObject).schema, `${rp}/content/${escapePointer(media)}/schema`, `${op.operationId} ${status} ${media}`, out);
      }
      for (const [name, h] of Object.entries((response?.headers ?? {}) as JsonObject)) {
        const [header, hp] = follow(doc, h, `${rp}/headers/${escapePointer(name)}`);
        walk(doc, header?.schema, `${hp}/schema`, `${op.operationId} ${status} header ${name}`, out);
      }
    }
  }
  for (const [name, rawItem] of Object.entries((doc.webhooks ?? {}) as JsonObject)) {
    const [item] = follow(doc, rawItem, `#/webhooks/${escapePointer(name)}`);
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      if (!isObject(op)) continue;
      const [body, bp] = follow(doc, op.requestBody, `#/webhooks/${escapePointer(name)}/${method}/requestBody`);
      for (const [media, m] of Object.entries((body?.content ?? {}) as JsonObject)) {
        out.responses++;
        walk(doc, (m as JsonObject).schema, `${bp}/content/${escapePointer(media)}/schema`, `webhook ${name} ${media}`, out);
      }
    }
  }
  return out;
}

const globCache = new Map<string, RegExp>();
/** `*` matches any run of characters; everything else is literal. */
export function matchesResponse(globs: readonly string[], response: string): boolean {
  return globs.some((g) => {
    let re = globCache.get(g);
    if (!re) {
      re = new RegExp(`^${g.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      globCache.set(g, re);
    }
    return re.test(response);
  });
}

export interface Verdict {
  /** Findings no fixture entry backs for that response (or backs with another value). */
  unbacked: string[];
  /** Fixture entries (or response globs of one) that match nothing in the spec any more. */
  stale: string[];
}

function judge(found: Finding[], backed: Record<string, { value: Json; responses: string[] }>): Verdict {
  const unbacked: string[] = [];
  const usedGlobs = new Map<string, Set<string>>();
  for (const f of found) {
    const entry = backed[f.pointer];
    if (!entry || !isDeepStrictEqual(entry.value, f.value)) {
      unbacked.push(`${f.response}: ${f.pointer} = ${JSON.stringify(f.value)}${entry ? ` (the fixture says ${JSON.stringify(entry.value)})` : ''}`);
      continue;
    }
    const glob = entry.responses.find((g) => matchesResponse([g], f.response));
    if (glob === undefined) {
      unbacked.push(`${f.response}: ${f.pointer} = ${JSON.stringify(f.value)} (documented, but not for this response)`);
      continue;
    }
    if (!usedGlobs.has(f.pointer)) usedGlobs.set(f.pointer, new Set());
    usedGlobs.get(f.pointer)!.add(glob);
  }
  const stale: string[] = [];
  for (const [pointer, entry] of Object.entries(backed)) {
    const used = usedGlobs.get(pointer);
    if (!used) stale.push(pointer);
    else for (const g of entry.responses) if (!used.has(g)) stale.push(`${pointer} in ${g}`);
  }
  return { unbacked: [...new Set(unbacked)].sort(), stale };
}

export interface GapReport {
  required: Verdict;
  enums: Verdict;
  constraints: Verdict;
  closed: string[];
  lookupPatterns: string[];
}

/** Path parameters: a rule we designed may constrain what we create, never what we look up. */
export function lookupParameterViolations(doc: JsonObject, fixture: Pick<GapFixture, 'lookupPatterns'>): string[] {
  const problems: string[] = [];
  for (const op of operations(doc)) {
    const pathItem = get(doc, op.pointer.replace(/\/[a-z]+$/, '')) as JsonObject;
    const params = [...((pathItem.parameters ?? []) as Json[]), ...((op.op.parameters ?? []) as Json[])];
    for (const raw of params) {
      const [param] = follow(doc, raw, '');
      if (!param || param.in !== 'path') continue;
      const [schema] = follow(doc, param.schema, '');
      const where = `${op.operationId} {${String(param.name)}}`;
      if (!schema) continue;
      if (typeof schema.pattern === 'string' && !(schema.pattern in fixture.lookupPatterns)) {
        problems.push(`${where}: pattern ${schema.pattern} is not an opaque-id rule of DECISIONS (OD4, D5)`);
      }
      if (schema.format !== undefined && schema.format !== 'uuid') problems.push(`${where}: format ${String(schema.format)} (only the D5 uuid is allowed on a lookup)`);
      for (const k of ['enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
        if (k in schema) problems.push(`${where}: ${k} on a lookup parameter`);
      }
      // OD4's opaque ids are 1–64 characters; a length bound goes with that pattern only.
      if ('maxLength' in schema && !(typeof schema.pattern === 'string' && schema.pattern in fixture.lookupPatterns)) {
        problems.push(`${where}: maxLength ${String(schema.maxLength)} without the OD4 opaque-id pattern`);
      }
    }
  }
  return problems;
}

export function checkGapRule(doc: JsonObject, fixture: GapFixture): GapReport {
  const found = responseSide(doc);
  const req = Object.fromEntries(Object.entries(fixture.responseRequired).map(([p, e]) => [p, { value: e.fields as Json, responses: e.responses }]));
  const en = Object.fromEntries(Object.entries(fixture.closedResponseEnums).map(([p, e]) => [p, { value: e.values, responses: e.responses }]));
  const con = Object.fromEntries(Object.entries(fixture.documentedResponseConstraints).map(([p, e]) => [p, { value: e.value, responses: e.responses }]));
  return {
    required: judge(found.required, req),
    enums: judge(found.enums, en),
    constraints: judge(found.constraints, con),
    closed: [...new Set(found.closed.map((f) => `${f.response}: ${f.pointer}`))],
    lookupPatterns: lookupParameterViolations(doc, fixture),
  };
}
