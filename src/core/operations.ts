// Which operation a call is (from the table `npm run generate` writes to generated/operations.ts),
// and what a call must satisfy before it is sent: the client's scopes and safe path parameters.
import { operations } from '../../generated/operations.js';
import { PermissionError, ValidationError, type OperationInfo } from './errors.js';
import { hasDotSegment, tableMatcher, type OperationTable } from './routes.js';
import { allows, type ScopeFacts } from './scopes.js';

export type { OperationInfo };

/** The scopes the spec requires for `method` (lower case) on `path`; `never` when there is no such operation. */
export type RequiredScope<P, M> = P extends keyof typeof operations
  ? M extends keyof (typeof operations)[P]
    ? (typeof operations)[P][M] extends { scopes: readonly (infer S)[] }
      ? S
      : never
    : never
  : never;

/** What a client knows of its API: its facts (name, scopes) and its operations table. */
export interface ApiOperations {
  /** The operation `method` on `path` is (a template, or a concrete path resolved to its template); unknown ones get no operationId and no scopes. */
  describe(method: string, path: string): OperationInfo;
  /**
   * What a call is, checked before anything is sent: no client sends a path with a `.` or `..`
   * segment (the URL parser would send it elsewhere) or a placeholder its API does not have; a
   * client narrowed to scopes sends only operations of its own API (a concrete path resolved to
   * its template) whose scope its scopes grant. Throws `ValidationError` or `PermissionError`.
   */
  check(method: string, path: string, scopes: readonly string[] | undefined): OperationInfo;
}

/** The lookups and checks of one API's table (`operations` for both, as `describeOperation` uses). */
export function apiOperations(api: ScopeFacts, table: OperationTable): ApiOperations {
  const match = tableMatcher(table);
  /** Templates called so far, per method: a typed call names its template, so most calls look it up once. */
  const known = new Map<string, OperationInfo>();
  /** The operation `m` (upper case) on `path` is; `undefined` for none. */
  const find = (m: string, path: string): OperationInfo | undefined => {
    const key = `${m} ${path}`;
    const hit = known.get(key);
    if (hit) return hit;
    const found = match(path);
    const lower = m.toLowerCase();
    if (!found || !Object.hasOwn(found.methods, lower)) return undefined;
    const operation = found.methods[lower]!;
    // Frozen: one object is shared by every call (and error) of that operation.
    const info = Object.freeze({ method: m, path: found.template, operationId: operation.operationId, requiredScopes: operation.scopes });
    // Only templates: they are finitely many, concrete paths (ids) are not.
    if (found.template === path) known.set(key, info);
    return info;
  };
  const unknown = (m: string, path: string): OperationInfo => ({ method: m, path, requiredScopes: [] });
  return {
    describe(method, path) {
      const m = method.toUpperCase();
      return find(m, path) ?? unknown(m, path);
    },
    check(method, path, scopes) {
      const m = method.toUpperCase();
      // A template of the table met before is a valid path as it stands.
      let info = typeof path === 'string' ? known.get(`${m} ${path}`) : undefined;
      if (!info) {
        if (typeof path !== 'string' || !path.startsWith('/') || hasDotSegment(path) || (path.includes('{') && !Object.hasOwn(table, path))) {
          throw new ValidationError({
            code: 'invalid_path',
            message: `${m} ${String(path)} is not a path of the ${api.name}: give a path template (with params.path) or a path without "." or ".." segments (not sent)`,
            operation: unknown(m, String(path)),
          });
        }
        info = find(m, path);
      }
      const operation = info ?? unknown(m, path);
      if (!scopes) return operation;
      const held = `This ${api.name} client was made with the scopes ${scopes.map((s) => `"${s}"`).join(', ')}`;
      if (!info) {
        throw new PermissionError({ code: 'unknown_operation', message: `${held}, and ${m} ${path} is no operation of the ${api.name}, so they cannot cover it (not sent)`, operation });
      }
      if (!allows(api, scopes, operation.requiredScopes)) {
        throw new PermissionError({ code: 'missing_scope', message: `${held} (${operation.operationId} not sent)`, operation });
      }
      return operation;
    },
  };
}

let everyOperation: ApiOperations | undefined;

/**
 * Looks an operation up in the generated table of both APIs: a template as the spec writes it, or a
 * concrete path resolved to its template by the path matcher. Unknown ones get no operationId and no scopes.
 */
export function describeOperation(method: string, path: string): OperationInfo {
  // Built on first use: a bundle with one API's client never asks, and carries one API's table only.
  return (everyOperation ??= apiOperations({ name: 'API', scopes: {} }, operations)).describe(method, path);
}

const PATH_PARAM = /\{([^{}]+)\}/g;
// Half of a UTF-16 pair without the other half: encodeURIComponent throws URIError on it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses, before any request, a path parameter that is missing or would change the path's shape
 * (`''`, `'.'`, `'..'`, or not a string or number), or cannot be encoded (a lone surrogate). The
 * message names the parameter, never a value.
 */
export function checkPathParams(path: string, params: Record<string, unknown> | undefined, operation: OperationInfo): void {
  if (!path.includes('{')) return;
  for (const [, name] of path.matchAll(PATH_PARAM)) {
    const value = params?.[name!];
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    if (text !== undefined && text !== '' && text !== '.' && text !== '..' && !LONE_SURROGATE.test(text)) continue;
    const why =
      text === undefined
        ? value === undefined || value === null
          ? 'is missing'
          : 'must be a string or a finite number'
        : LONE_SURROGATE.test(text)
          ? 'is not valid Unicode (it holds a lone surrogate, which cannot be encoded in a URL)'
          : 'must not be empty, "." or ".."';
    throw new ValidationError({
      code: 'invalid_path_parameter',
      message: `Path parameter "${name}" of ${path} ${why} (${operation.operationId ?? `${operation.method} ${path}`} not sent)`,
      details: { parameter: name },
      operation,
    });
  }
}
