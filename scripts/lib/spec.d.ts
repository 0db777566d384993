// Types of spec.js (plain JavaScript so that the Redocly plugins can import it).

/** The operation fields of a Path Item, in the order the OpenAPI specification lists them. */
export declare const HTTP_METHODS: readonly ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Production base URL of both APIs (`servers[0].url` of the spec, the SDK's `DEFAULT_BASE_URL`). */
export declare const PRODUCTION_BASE_URL: 'https://api.app.bullseye.so/api/v1';

/** Escapes one key for use as a JSON-pointer segment (RFC 6901). */
export declare function escapePointer(s: string): string;

/** The value at a local JSON pointer (`#/a/b`), or `undefined` when it does not resolve. */
export declare function resolvePointer(doc: unknown, pointer: string): unknown;

/** Follows local `$ref`s; `node` is `undefined` when a ref is not local or does not resolve. */
export declare function deref<T = unknown>(doc: unknown, node: unknown, pointer?: string): { node: T | undefined; pointer: string };

/** The scopes an operation requires (its own security, else the document's), each once. */
export declare function operationScopes(doc: unknown, operation: unknown): string[];

export interface ListedOperation {
  path: string;
  method: HttpMethod;
  operation: Record<string, unknown>;
  pathItem: Record<string, unknown>;
  /** JSON pointer of the operation object inside the document. */
  pointer: string;
}

/** Every operation of the document's paths (webhooks are not operations), path items dereferenced. */
export declare function listOperations(doc: unknown): ListedOperation[];

/** esbuild options for bundling the SDK as a typical browser consumer does. */
export declare const CONSUMER_BUNDLE_OPTIONS: Readonly<{
  bundle: true;
  minify: true;
  treeShaking: true;
  format: 'esm';
  platform: 'browser';
  target: 'es2022';
  logLevel: 'silent';
}>;
