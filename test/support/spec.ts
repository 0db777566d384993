// Reads the bundled spec once and answers the questions tests ask of it: which operations exist,
// what each one documents, and whether a value is valid against a schema at some place in the spec.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  api: 'partner' | 'organization';
  /** JSON pointer of the operation object inside the bundled document. */
  pointer: string;
  op: JsonObject;
  successStatus: number;
  hasRequestBody: boolean;
  hasRequiredParameter: boolean;
  scopes: string[];
}

export function loadSpec(file = path.join(root, 'generated', 'openapi.json')): JsonObject {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
}

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Resolves a local `$ref` (only `#/...` refs exist after bundling) and returns the target with its pointer. */
export function deref(doc: JsonObject, node: Json, pointer: string): { node: Json; pointer: string } {
  let cur = node;
  let ptr = pointer;
  for (let i = 0; i < 20 && cur && typeof cur === 'object' && !Array.isArray(cur) && typeof cur.$ref === 'string'; i++) {
    ptr = cur.$ref;
    cur = get(doc, ptr);
  }
  return { node: cur, pointer: ptr };
}

export function get(doc: JsonObject, pointer: string): Json {
  if (!pointer.startsWith('#')) throw new Error(`only local refs are supported: ${pointer}`);
  let cur: Json = doc;
  for (const raw of pointer.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') throw new Error(`bad pointer ${pointer}`);
    cur = Array.isArray(cur) ? (cur[Number(key)] as Json) : (cur[key] as Json);
    if (cur === undefined) throw new Error(`pointer ${pointer} does not resolve`);
  }
  return cur;
}

export function operations(doc: JsonObject): Operation[] {
  const out: Operation[] = [];
  const pathsObj = (doc.paths ?? {}) as JsonObject;
  for (const [p, rawItem] of Object.entries(pathsObj)) {
    const item = deref(doc, rawItem, `#/paths/${escapePointer(p)}`).node as JsonObject;
    const shared = (item.parameters ?? []) as Json[];
    for (const method of METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const pointer = `#/paths/${escapePointer(p)}/${method}`;
      const params = [...shared, ...((op.parameters ?? []) as Json[])].map((x) => deref(doc, x, '').node as JsonObject);
      const codes = Object.keys((op.responses ?? {}) as JsonObject).filter((c) => /^2\d\d$/.test(c)).map(Number).sort();
      const sec = ((op.security ?? doc.security ?? []) as JsonObject[]).flatMap((req) => Object.values(req).flat() as string[]);
      out.push({
        operationId: String(op.operationId),
        method,
        path: p,
        api: p.startsWith('/partner/') ? 'partner' : 'organization',
        pointer,
        op,
        successStatus: codes[0] ?? 0,
        hasRequestBody: op.requestBody !== undefined,
        hasRequiredParameter: params.some((x) => x.required === true),
        scopes: sec,
      });
    }
  }
  return out;
}

/** An Ajv (JSON Schema 2020-12, formats asserted) that knows the whole document under the id `spec`. */
export function createValidator(doc: JsonObject): { validate(pointer: string, value: unknown): string[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc as object, 'spec');
  const cache = new Map<string, ValidateFunction>();
  return {
    validate(pointer: string, value: unknown): string[] {
      const ref = `spec${pointer
        .split('/')
        .map((seg) => (seg === '#' ? '#' : encodeURIComponent(seg)))
        .join('/')}`;
      let fn = cache.get(ref);
      if (!fn) {
        fn = ajv.getSchema(ref);
        if (!fn) throw new Error(`no schema at ${pointer}`);
        cache.set(ref, fn);
      }
      if (fn(value)) return [];
      return (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
}

/** Pointer of the schema of `status`'s `mediaType` content for an operation, following response `$ref`s. */
export function responseSchemaPointer(doc: JsonObject, op: Operation, status: number | string, mediaType = 'application/json'): string | undefined {
  const raw = ((op.op.responses as JsonObject)[String(status)] ?? null) as Json;
  if (raw === null) return undefined;
  const { node, pointer } = deref(doc, raw, `${op.pointer}/responses/${status}`);
  const content = (node as JsonObject).content as JsonObject | undefined;
  if (!content?.[mediaType]) return undefined;
  return `${pointer}/content/${escapePointer(mediaType)}/schema`;
}
