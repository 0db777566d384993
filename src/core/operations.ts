// Which operation a call is (from the table `npm run generate` writes to generated/operations.ts),
// and what a call must satisfy before it is sent: the client's scopes and safe path parameters.
import { operations } from '../../generated/operations.js';
import { label, PermissionError, ValidationError, type OperationInfo } from './errors.js';
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
  /** Every operation of the table by `METHOD template`; frozen: one object is shared by every call (and error) of it. */
  const known = new Map(
    Object.entries(table).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): [string, OperationInfo] => {
        const m = method.toUpperCase();
        return [`${m} ${path}`, Object.freeze({ method: m, path, operationId: op.operationId, requiredScopes: op.scopes })];
      }),
    ),
  );
  /** The operation `m` (upper case) on `path` (a template, or a concrete path of one) is; `undefined` for none. */
  const find = (m: string, path: string): OperationInfo | undefined => {
    const template = match(path)?.template;
    return template === undefined ? undefined : known.get(`${m} ${template}`);
  };
  const unknown = (m: string, path: string): OperationInfo => ({ method: m, path, requiredScopes: [] });
  return {
    describe(method, path) {
      const m = method.toUpperCase();
      return find(m, path) ?? unknown(m, path);
    },
    check(method, path, scopes) {
      const m = method.toUpperCase();
      // An operation's template is a valid path as it stands.
      let info = typeof path === 'string' ? known.get(`${m} ${path}`) : undefined;
      if (!info) {
        if (typeof path !== 'string' || !path.startsWith('/') || hasDotSegment(path) || (path.includes('{') && !Object.hasOwn(table, path))) {
          throw new ValidationError({
            code: 'invalid_path',
            message: `${m} ${String(path)} is not a path of the ${api.name} (a "." or ".." segment, or an unknown template; not sent)`,
            operation: unknown(m, String(path)),
          });
        }
        info = find(m, path);
      }
      const operation = info ?? unknown(m, path);
      if (!scopes) return operation;
      const held = `the client's scopes are ${scopes.map((s) => `"${s}"`).join(', ')}`;
      if (!info) throw new PermissionError({ code: 'unknown_operation', message: `${m} ${path} not sent: no operation of the ${api.name}, and ${held}`, operation });
      if (!allows(api, scopes, operation.requiredScopes)) throw new PermissionError({ code: 'missing_scope', message: `${operation.operationId} not sent: ${held}`, operation });
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

/** Whether a text can go into a URL: a lone half of a UTF-16 pair makes encodeURIComponent throw. */
function encodable(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses, before any request, a path parameter that is missing or would change the path's shape
 * (`''`, `'.'`, `'..'`, or not a string or number), or cannot be encoded (a lone surrogate). The
 * message names the parameter, never a value.
 */
export function checkPathParams(path: string, params: Record<string, unknown> | undefined, operation: OperationInfo): void {
  for (const [, name] of path.matchAll(PATH_PARAM)) {
    const value = params?.[name!];
    const why =
      value == null
        ? 'is missing'
        : typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))
          ? 'must be a string or a finite number'
          : ['', '.', '..'].includes(String(value))
            ? 'must not be empty, "." or ".."'
            : !encodable(String(value))
              ? 'holds a lone surrogate (not encodable in a URL)'
              : '';
    if (why) {
      throw new ValidationError({ code: 'invalid_path_parameter', message: `Path parameter "${name}" of ${path} ${why} (${label(operation)} not sent)`, details: { parameter: name }, operation });
    }
  }
}
