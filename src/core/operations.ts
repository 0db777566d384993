// Which operation a call is (from the table `npm run generate` writes to generated/operations.ts),
// and what a call must satisfy before it is sent: the client's scopes and safe path parameters.
import { apis } from '../../generated/apis.js';
import { operations } from '../../generated/operations.js';
import { PermissionError, ValidationError, type OperationInfo } from './errors.js';
import { hasDotSegment, isPathTemplate, matchOperation, type ApiId } from './routes.js';
import { scopesAllow } from './scopes.js';

export type { OperationInfo };

/** The scopes the spec requires for `method` (lower case) on `path`; `never` when there is no such operation. */
export type RequiredScope<P, M> = P extends keyof typeof operations
  ? M extends keyof (typeof operations)[P]
    ? (typeof operations)[P][M] extends { scopes: readonly (infer S)[] }
      ? S
      : never
    : never
  : never;

/**
 * Looks an operation up in the generated table: a template as the spec writes it, or a concrete
 * path resolved to its template by the path matcher. Unknown ones get no operationId and no scopes.
 */
export function describeOperation(method: string, path: string): OperationInfo {
  const m = method.toUpperCase();
  return known(m, path)?.info ?? { method: m, path, requiredScopes: [] };
}

/** Templates called so far, per method: a typed call names its template, so most calls look it up once. */
const KNOWN = new Map<string, { api: ApiId; info: OperationInfo }>();

/** The operation `m` (upper case) on `path` is, with its API; `undefined` for none. */
function known(m: string, path: string): { api: ApiId; info: OperationInfo } | undefined {
  const key = `${m} ${path}`;
  const hit = KNOWN.get(key);
  if (hit) return hit;
  const match = matchOperation(m, path);
  if (!match) return undefined;
  // Frozen: one object is shared by every call (and error) of that operation.
  const found = { api: match.api, info: Object.freeze({ method: m, path: match.template, operationId: match.operation.operationId, requiredScopes: match.operation.scopes }) };
  // Only templates: they are finitely many, concrete paths (ids) are not.
  if (match.template === path) KNOWN.set(key, found);
  return found;
}

/**
 * What a call is, checked before anything is sent: no client sends a path with a `.` or `..`
 * segment (the URL parser would send it elsewhere) or a placeholder the spec does not have; a
 * client narrowed to scopes sends only operations of its own API (a concrete path resolved to its
 * template) whose scope its scopes grant. Throws `ValidationError` or `PermissionError`.
 */
export function checkCall(api: ApiId, method: string, path: string, scopes: readonly string[] | undefined): OperationInfo {
  const m = method.toUpperCase();
  const name = apis[api].name;
  // A template of the table met before is a valid path as it stands.
  let match = typeof path === 'string' ? KNOWN.get(`${m} ${path}`) : undefined;
  if (!match) {
    if (typeof path !== 'string' || !path.startsWith('/') || hasDotSegment(path) || (path.includes('{') && !isPathTemplate(path))) {
      throw new ValidationError({
        code: 'invalid_path',
        message: `${m} ${String(path)} is not a path of the ${name}: give a path template of the spec (with params.path) or a path without "." or ".." segments (not sent)`,
        operation: { method: m, path: String(path), requiredScopes: [] },
      });
    }
    match = known(m, path);
  }
  const operation: OperationInfo = match?.info ?? { method: m, path, requiredScopes: [] };
  if (!scopes) return operation;
  const held = `This ${name} client was made with the scopes ${scopes.map((s) => `"${s}"`).join(', ')}`;
  if (!match || match.api !== api) {
    throw new PermissionError({ code: 'unknown_operation', message: `${held}, and ${m} ${path} is no operation of the ${name}, so they cannot cover it (not sent)`, operation });
  }
  if (!scopesAllow(api, scopes, operation.requiredScopes)) {
    throw new PermissionError({ code: 'missing_scope', message: `${held} (${operation.operationId} not sent)`, operation });
  }
  return operation;
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
