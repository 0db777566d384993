// The core of `npm run verify`: build a request for an operation from the spec's own examples, send
// it, and compare the answer with what the bundled spec documents (status, headers, body). Drifts
// name the operation, a JSON pointer and what differed, and never repeat a response value: a
// maintainer can share the report without leaking data.
import { specValidator, type ErrorObject, type SpecValidator } from '../../packages/cli/src/openapi-validator.js';
import { deref as derefNode, escapePointer, exampleOf as pickExample, listOperations } from './spec.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

const READ_ONLY = new Set(['get', 'head', 'options']);

export { escapePointer };

/** Follows local `$ref`s and returns the target with its pointer. */
const deref = (doc: JsonObject, node: Json | undefined, pointer: string): { node: Json | undefined; pointer: string } => derefNode<Json>(doc, node, pointer);

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  /** JSON pointer of the operation object. */
  pointer: string;
  op: JsonObject;
  parameters: JsonObject[];
  readOnly: boolean;
  /** The header that carries the key, from the operation's security scheme. */
  keyHeader?: string;
}

export function specOperations(doc: JsonObject): SpecOperation[] {
  const out: SpecOperation[] = [];
  const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const { path: p, method, operation, pathItem, pointer } of listOperations(doc)) {
    const op = operation as JsonObject;
    const shared = Array.isArray(pathItem.parameters) ? (pathItem.parameters as Json[]) : [];
    const byKey = new Map<string, JsonObject>();
    for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
      const param = deref(doc, raw, '').node;
      if (isObject(param)) byKey.set(`${String(param.in)}:${String(param.name)}`, param);
    }
    let keyHeader: string | undefined;
    const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
    for (const req of security) {
      if (!isObject(req)) continue;
      for (const name of Object.keys(req)) {
        const scheme = schemes[name];
        if (isObject(scheme) && scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') keyHeader ??= scheme.name;
      }
    }
    out.push({
      operationId: String(op.operationId ?? `${method} ${p}`),
      method,
      path: p,
      pointer,
      op,
      parameters: [...byKey.values()],
      readOnly: READ_ONLY.has(method),
      keyHeader,
    });
  }
  return out;
}

/** The example a parameter, media type or schema declares (the shared picker of src/openapi-walk.js). */
const exampleOf = (doc: JsonObject, node: Json | undefined): { value: Json } | undefined => pickExample<Json>(doc, node);

/** The media types of the documented success responses (a CSV download is asked for as CSV), and JSON for the errors. */
function acceptOf(doc: JsonObject, op: SpecOperation): string {
  const types = new Set<string>();
  for (const [status, raw] of Object.entries(isObject(op.op.responses) ? op.op.responses : {})) {
    if (!/^2/.test(status)) continue;
    const response = deref(doc, raw, '').node;
    if (isObject(response) && isObject(response.content)) for (const t of Object.keys(response.content)) types.add(t);
  }
  types.add('application/json');
  return [...types].join(', ');
}

export interface BuiltRequest {
  /** Path and query, to append to the base URL. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** A request for the operation from the spec's examples; a string says why none can be built. */
export function buildRequest(doc: JsonObject, op: SpecOperation): BuiltRequest | string {
  let target = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: acceptOf(doc, op) };
  for (const param of op.parameters) {
    const name = String(param.name);
    if (param.in !== 'path' && param.required !== true) continue;
    const ex = exampleOf(doc, param);
    if (!ex) return `no example for the ${String(param.in)} parameter "${name}"`;
    const values = Array.isArray(ex.value) ? ex.value : [ex.value];
    if (values.some((v) => isObject(v))) return `the ${String(param.in)} parameter "${name}" takes an object`;
    if (param.in === 'path') target = target.replace(`{${name}}`, encodeURIComponent(values.map(String).join(',')));
    else if (param.in === 'query') for (const v of values) query.append(name, String(v));
    else if (param.in === 'header') headers[name.toLowerCase()] = values.map(String).join(',');
    else return `the ${String(param.in)} parameter "${name}" is not supported`;
  }
  const qs = query.toString();
  if (qs) target += `?${qs}`;
  const requestBody = deref(doc, op.op.requestBody, '').node;
  if (isObject(requestBody) && isObject(requestBody.content)) {
    const media = requestBody.content['application/json'];
    const ex = media ? exampleOf(doc, media) : undefined;
    if (ex) {
      headers['content-type'] = 'application/json';
      return { target, headers, body: JSON.stringify(ex.value) };
    }
    if (requestBody.required === true) return 'no JSON example for the request body';
  }
  return { target, headers };
}

export interface Drift {
  operationId: string;
  /** What part of the answer differs: `status`, `header`, `content-type` or `body`. */
  part: 'status' | 'header' | 'content-type' | 'body';
  /** JSON pointer into the response body; the header name for headers; empty for the status. */
  pointer: string;
  message: string;
}

export interface CheckedResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** What the answer's JSON type is, without saying what it holds. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function at(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** One ajv error as a drift that names the place and the rule, never the value found there. */
function describe(e: ErrorObject, data: unknown): { pointer: string; message: string } {
  const params = e.params as Record<string, unknown>;
  const path = e.instancePath;
  switch (e.keyword) {
    case 'required':
      return { pointer: `${path}/${escapePointer(String(params.missingProperty))}`, message: 'required property is missing' };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const prop = String(params.additionalProperty ?? params.unevaluatedProperty ?? '');
      return { pointer: `${path}/${escapePointer(prop)}`, message: 'property the spec does not allow here' };
    }
    case 'type':
      return { pointer: path, message: `is ${jsonType(at(data, path))}, the spec says ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}` };
    case 'enum':
      return { pointer: path, message: `value outside the documented enum (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})` };
    case 'const':
      return { pointer: path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { pointer: path, message: `${e.keyword}: ${e.message ?? 'does not match the schema'}` };
  }
}

/** The validator over the whole bundled document (shared with the CLI, the MCP server and the tests). */
export { specValidator, type SpecValidator };

/** Header values are strings on the wire; read them as the schema's type before validating. */
function headerValue(schema: Json | undefined, raw: string): unknown {
  const type = isObject(schema) ? schema.type : undefined;
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Compares one answer with the operation's documented responses. */
export function checkResponse(doc: JsonObject, validator: SpecValidator, op: SpecOperation, res: CheckedResponse): Drift[] {
  const drifts: Drift[] = [];
  const add = (part: Drift['part'], pointer: string, message: string): void => void drifts.push({ operationId: op.operationId, part, pointer, message });
  const responses = isObject(op.op.responses) ? op.op.responses : {};
  const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!key) {
    add('status', '', `status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
    return drifts;
  }
  const { node: response, pointer: responsePointer } = deref(doc, responses[key], `${op.pointer}/responses/${escapePointer(key)}`);
  if (!isObject(response)) return drifts;

  for (const [name, raw] of Object.entries(isObject(response.headers) ? response.headers : {})) {
    const { node: header, pointer: headerPointer } = deref(doc, raw, `${responsePointer}/headers/${escapePointer(name)}`);
    if (!isObject(header)) continue;
    const value = res.headers.get(name);
    if (value === null) {
      if (header.required === true) add('header', name, 'required header is missing');
      continue;
    }
    const schema = deref(doc, header.schema, `${headerPointer}/schema`);
    if (!isObject(schema.node)) continue;
    for (const e of validator.errors(schema.pointer, headerValue(schema.node, value))) {
      add('header', name, `value does not match the header schema (${e.keyword}: ${e.message ?? 'invalid'})`);
    }
  }

  const content = isObject(response.content) ? response.content : undefined;
  if (!content || res.status === 204 || op.method === 'head') return drifts;
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Object.keys(content).find((k) => k.toLowerCase() === mediaType);
  if (!declared) {
    // The server's own value is never repeated: a server that reflects input could put a key there.
    add('content-type', '', `${mediaType ? 'the content type is not documented' : 'the answer has no content type'} (documented: ${Object.keys(content).join(', ')})`);
    return drifts;
  }
  const media = content[declared];
  if (!isObject(media) || media.schema === undefined) return drifts;
  if (!/[/+]json$/.test(declared)) return drifts;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    add('body', '', 'body is not valid JSON');
    return drifts;
  }
  const schemaPointer = `${responsePointer}/content/${escapePointer(declared)}/schema`;
  for (const e of validator.errors(schemaPointer, body)) {
    const d = describe(e, body);
    add('body', d.pointer, d.message);
  }
  return drifts;
}
