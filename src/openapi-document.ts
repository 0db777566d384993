/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// The bundled OpenAPI document (generated/openapi.json, shipped in the package) read at run time by
// the CLI, the MCP server and the testing kit: each of them is a view of the spec, so none keeps a
// copy of an operation. Pointers, `$ref`s and examples are openapi-walk.js's, shared with the tools. Node only (it reads a file); the SDK's main entry never imports it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { operations as OPERATIONS } from '../generated/operations.js';
import { apiOfPath, type ApiId } from './core/routes.js';
import { deref, escapePointer, exampleOf, isObject } from './openapi-walk.js';

/** A JSON object of the document (the parts these tools read are typed where they are used). */
export type JsonObject = Record<string, unknown>;

export interface OpenApiDocument extends JsonObject {
  paths: Record<string, Record<string, JsonObject>>;
  webhooks?: Record<string, Record<string, JsonObject>>;
  components?: Record<string, Record<string, JsonObject>>;
  security?: Record<string, string[]>[];
}

/** One operation of the document, with what the tools need to know about it. */
export interface SpecOperation {
  operationId: string;
  /** Lower case, as a key of the path item (`get`, `post`, …). */
  method: string;
  path: string;
  api: ApiId;
  /** The scopes of its security requirement (any one grants access). */
  scopes: string[];
  /** Path-level and operation parameters, resolved (an operation's own one wins over the path's). */
  parameters: JsonObject[];
  op: JsonObject;
}

let cached: OpenApiDocument | undefined;

/**
 * The path of generated/openapi.json: the nearest one above this module. In the repository that is
 * `<root>/generated/` from `src/`; in the installed package it is `<package>/generated/` from `dist/src/`.
 */
export function specFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'generated', 'openapi.json');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('generated/openapi.json was not found next to the @bullseye/api package');
    dir = parent;
  }
}

/** The bundled document, read once. */
export function loadDocument(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(specFile(), 'utf8')) as OpenApiDocument;
  return cached;
}

/** Follows local `$ref`s (the bundle has only `#/...` ones) to the object they name; throws on a ref that does not resolve. */
export function resolve<T = JsonObject>(doc: OpenApiDocument, node: unknown): T {
  const { node: target, pointer } = deref<T>(doc, node);
  if (target === undefined && node !== undefined) throw new Error(`${pointer} does not resolve in the bundled spec`);
  return target as T;
}

export { escapePointer, isObject };

/**
 * Every operation of the document, in document order. Which methods a path has, their operationIds
 * and scopes come from the SDK's own operations table (generated/operations.ts), so these tools and
 * the SDK's scope checks agree by construction.
 */
export function listOperations(doc: OpenApiDocument = loadDocument()): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    const row: Record<string, { operationId: string; scopes: readonly string[] }> | undefined = OPERATIONS[p as keyof typeof OPERATIONS];
    const api = apiOfPath(p);
    if (!row || !api) continue;
    const shared = ((item.parameters as unknown as unknown[] | undefined) ?? []).map((x) => resolve(doc, x));
    for (const [method, { operationId, scopes }] of Object.entries(row)) {
      const op = item[method];
      if (!op) continue;
      out.push({
        operationId,
        method,
        path: p,
        api,
        scopes: [...scopes],
        parameters: mergeParameters(shared, ((op.parameters as unknown[] | undefined) ?? []).map((x) => resolve(doc, x))),
        op,
      });
    }
  }
  return out;
}

function mergeParameters(shared: JsonObject[], own: JsonObject[]): JsonObject[] {
  const key = (x: JsonObject): string => `${String(x.in)}:${String(x.name)}`;
  const overridden = new Set(own.map(key));
  return [...shared.filter((x) => !overridden.has(key(x))), ...own];
}

/** The example a media type object declares (see `exampleOf`), or `undefined` when there is none. */
export function firstExample(doc: OpenApiDocument, media: JsonObject | undefined): unknown {
  return exampleOf(doc, media)?.value;
}

/** The example value of a header object (its `example`, `examples`, or its schema's). */
export function headerExample(doc: OpenApiDocument, header: unknown): unknown {
  return exampleOf(doc, header)?.value;
}
