// Reads the bundled spec once and answers the questions tests ask of it: which operations exist,
// what each one documents, and whether a value is valid against a schema at some place in the spec.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deref as derefRef, escapePointer, listOperations, operationScopes, resolvePointer } from '../../scripts/lib/spec.js';
import { apiOfPath, type ApiId } from '../../src/core/routes.js';
import { specValidator } from '../../packages/cli/src/openapi-validator.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  api: ApiId;
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

export { escapePointer };

/** The value at a local pointer; one that does not resolve is a broken test or spec, so it throws. */
export function get(doc: JsonObject, pointer: string): Json {
  const value = resolvePointer(doc, pointer) as Json | undefined;
  if (value === undefined) throw new Error(`pointer ${pointer} does not resolve`);
  return value;
}

/** Resolves a local `$ref` and returns the target with its pointer; throws when it does not resolve. */
export function deref(doc: JsonObject, node: Json, pointer: string): { node: Json; pointer: string } {
  const { node: target, pointer: ptr } = derefRef<Json>(doc, node, pointer);
  if (target === undefined) throw new Error(`pointer ${ptr} does not resolve`);
  return { node: target, pointer: ptr };
}

const fail = (message: string): never => {
  throw new Error(message);
};

export function operations(doc: JsonObject): Operation[] {
  return listOperations(doc).map(({ path: p, method, operation, pathItem, pointer }) => {
    const op = operation as JsonObject;
    const params = [...((pathItem.parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])].map((x) => deref(doc, x, '').node as JsonObject);
    const codes = Object.keys((op.responses ?? {}) as JsonObject).filter((c) => /^2\d\d$/.test(c)).map(Number).sort();
    return {
      operationId: String(op.operationId),
      method,
      path: p,
      api: apiOfPath(p) ?? fail(`${p} belongs to no API of generated/apis.ts`),
      pointer,
      op,
      successStatus: codes[0] ?? 0,
      hasRequestBody: op.requestBody !== undefined,
      hasRequiredParameter: params.some((x) => x.required === true),
      scopes: operationScopes(doc, op),
    };
  });
}

/** The shared validator over the whole document (packages/cli/src/openapi-validator.ts), errors as lines with their parameters. */
export function createValidator(doc: JsonObject): { validate(pointer: string, value: unknown): string[] } {
  const validator = specValidator(doc);
  return {
    validate: (pointer, value) => validator.errors(pointer, value).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
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
