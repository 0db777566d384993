// What the sandbox reads from the contract: the routes and scopes of the generated operations table,
// and from the bundled document the parameters, bodies and responses each operation is checked
// against (one Ajv instance that knows the whole document, validators compiled on first use).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ApiId } from '@bullseye/api';
import { operations as OPERATIONS } from '../../../generated/operations.js';
import { errorCodesFromSpec, type ErrorCodes } from '../../../scripts/mock/mock-layer.js';
import { deref, escapePointer } from '../../../scripts/lib/spec.js';
import { apiOf } from '../../../scripts/mock/guard.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };
/** The APIs of the facts table (`partner`, `organization`). */
export type Api = ApiId;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** JSON pointer of the parameter's schema in the bundled document. */
  schemaPointer: string;
  schema: JsonObject;
}

export interface OperationSpec {
  operationId: string;
  method: string;
  path: string;
  api: Api;
  /** Scopes of the operation's security requirement (any one is enough). */
  scopes: readonly string[];
  parameters: Parameter[];
  /** Pointer of the JSON request body's schema, when the operation takes a body. */
  bodyPointer: string | undefined;
  bodyRequired: boolean;
  /** Per status, the pointer of the JSON response schema (undefined: no body). */
  responses: Map<number, string | undefined>;
}

/** The bundled document as `@bullseye/api` ships it (its package files include generated/openapi.json). */
export const BUNDLED_SPEC_FILE = path.join(path.dirname(createRequire(import.meta.url).resolve('@bullseye/api/package.json')), 'generated', 'openapi.json');

export interface Contract {
  doc: JsonObject;
  operations: OperationSpec[];
  byId: Map<string, OperationSpec>;
  codes: ErrorCodes;
  /** Errors of `value` against the schema at `pointer` (empty when valid), each naming where it failed. */
  validate(pointer: string, value: unknown): ValidationFailure[];
}

export interface ValidationFailure {
  /** JSON pointer inside the value (`/organization/credits`), empty at the root. */
  instancePath: string;
  /** Where in the bundled document the failing keyword is. */
  schemaPath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}


function operationSpec(doc: JsonObject, path: string, method: string, operationId: string, scopes: readonly string[]): OperationSpec {
  const itemPointer = `#/paths/${escapePointer(path)}`;
  const item = deref<JsonObject>(doc, (doc.paths as JsonObject)[path], itemPointer).node ?? {};
  const op = item[method] as JsonObject;
  const opPointer = `${itemPointer}/${method}`;
  const parameters: Parameter[] = [];
  const rawParams = [
    ...((item.parameters ?? []) as Json[]).map((p, i) => [p, `${itemPointer}/parameters/${i}`] as const),
    ...((op.parameters ?? []) as Json[]).map((p, i) => [p, `${opPointer}/parameters/${i}`] as const),
  ];
  for (const [raw, ptr] of rawParams) {
    const { node, pointer } = deref<JsonObject>(doc, raw, ptr);
    if (!node) continue;
    const s = deref<JsonObject>(doc, node.schema, `${pointer}/schema`);
    parameters.push({
      name: String(node.name),
      in: node.in as Parameter['in'],
      required: node.required === true,
      schemaPointer: s.pointer,
      schema: s.node ?? {},
    });
  }
  let bodyPointer: string | undefined;
  let bodyRequired = false;
  if (op.requestBody) {
    const { node, pointer } = deref<JsonObject>(doc, op.requestBody, `${opPointer}/requestBody`);
    const content = (node?.content ?? {}) as JsonObject;
    if (content['application/json']) bodyPointer = `${pointer}/content/${escapePointer('application/json')}/schema`;
    bodyRequired = node?.required === true;
  }
  const responses = new Map<number, string | undefined>();
  for (const [status, raw] of Object.entries((op.responses ?? {}) as JsonObject)) {
    const { node, pointer } = deref<JsonObject>(doc, raw, `${opPointer}/responses/${status}`);
    const content = (node?.content ?? {}) as JsonObject;
    const media = Object.keys(content).find((m) => m.includes('json'));
    responses.set(Number(status), media ? `${pointer}/content/${escapePointer(media)}/schema` : undefined);
  }
  return { operationId, method: method.toUpperCase(), path, api: apiOf(path), scopes, parameters, bodyPointer, bodyRequired, responses };
}

let cached: Contract | undefined;

/** The contract of both APIs, read once per process (the engine is created per test, the spec is not). */
export function loadContract(): Contract {
  if (cached) return cached;
  const doc = JSON.parse(readFileSync(BUNDLED_SPEC_FILE, 'utf8')) as JsonObject;
  const ops: OperationSpec[] = [];
  for (const [path, methods] of Object.entries(OPERATIONS as Record<string, Record<string, { operationId: string; scopes: readonly string[] }>>)) {
    for (const [method, entry] of Object.entries(methods)) ops.push(operationSpec(doc, path, method, entry.operationId, entry.scopes));
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc as object, 'spec');
  const compiled = new Map<string, ValidateFunction>();
  const validate = (pointer: string, value: unknown): ValidationFailure[] => {
    let fn = compiled.get(pointer);
    if (!fn) {
      const ref = `spec${pointer
        .split('/')
        .map((seg) => (seg === '#' ? '#' : encodeURIComponent(seg)))
        .join('/')}`;
      fn = ajv.getSchema(ref);
      if (!fn) throw new Error(`no schema at ${pointer}`);
      compiled.set(pointer, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e: ErrorObject) => ({
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      keyword: e.keyword,
      message: e.message ?? 'is invalid',
      params: e.params as Record<string, unknown>,
    }));
  };
  cached = { doc, operations: ops, byId: new Map(ops.map((o) => [o.operationId, o])), codes: errorCodesFromSpec(doc), validate };
  return cached;
}
