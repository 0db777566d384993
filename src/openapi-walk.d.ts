// Types of openapi-walk.js (plain JavaScript so that the Redocly plugins can import it).

/** The operation fields of a Path Item, in the order the OpenAPI specification lists them. */
export declare const HTTP_METHODS: readonly ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export type HttpMethodName = (typeof HTTP_METHODS)[number];

/** Whether a value is a JSON object (not an array, not null). */
export declare function isObject(v: unknown): v is Record<string, unknown>;

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
  method: HttpMethodName;
  operation: Record<string, unknown>;
  pathItem: Record<string, unknown>;
  /** JSON pointer of the operation object inside the document. */
  pointer: string;
}

/** Every operation of the document's paths (webhooks are not operations), path items dereferenced. */
export declare function listOperations(doc: unknown): ListedOperation[];

/** The example a media type, parameter, header or schema declares (see openapi-walk.js), or `undefined`. */
export declare function exampleOf<T = unknown>(doc: unknown, node: unknown): { value: T } | undefined;
