// Which operation a call is (from the table `npm run generate` writes to generated/operations.ts),
// and what a call must satisfy before it is sent: the client's scopes and safe path parameters.
import { operations } from '../../generated/operations.js';
import { PermissionError, ValidationError, type OperationInfo } from './errors.js';

export type { OperationInfo };

type Entry = { operationId: string; scopes: readonly string[] };

/** The scopes the spec requires for `method` (lower case) on `path`; `never` when there is no such operation. */
export type RequiredScope<P, M> = P extends keyof typeof operations
  ? M extends keyof (typeof operations)[P]
    ? (typeof operations)[P][M] extends { scopes: readonly (infer S)[] }
      ? S
      : never
    : never
  : never;

/** Scopes a key with scopes `S` holds: `admin` includes `read` and `write` (not the agency scopes). */
export type Granted<S extends string> = S | (S extends 'admin' ? 'read' | 'write' : never);

/** Whether a key with scopes `S` may call `method` on `path` (the run-time twin of `RequiredScope`/`Granted`). */
function grants(scopes: ReadonlySet<string>, required: readonly string[]): boolean {
  return required.some((s) => scopes.has(s) || ((s === 'read' || s === 'write') && scopes.has('admin')));
}

/** Every scope some operation of the spec requires. */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set(
  Object.values(operations).flatMap((item) => Object.values(item as Record<string, Entry>).flatMap((op) => op.scopes)),
);

/** Looks an operation up in the generated table; unknown ones get no operationId and no scopes. */
export function describeOperation(method: string, path: string): OperationInfo {
  const m = method.toUpperCase();
  const item = Object.hasOwn(operations, path) ? (operations as Record<string, Record<string, Entry>>)[path] : undefined;
  const op = item && Object.hasOwn(item, m.toLowerCase()) ? item[m.toLowerCase()] : undefined;
  return op ? { method: m, path, operationId: op.operationId, requiredScopes: op.scopes } : { method: m, path, requiredScopes: [] };
}

/** Throws `PermissionError` (before any request) when the client's scopes do not cover the operation. */
export function checkScope(operation: OperationInfo, scopes: ReadonlySet<string> | undefined, apiName: string): void {
  if (!scopes || !operation.requiredScopes.length || grants(scopes, operation.requiredScopes)) return;
  throw new PermissionError({
    code: 'missing_scope',
    message: `This ${apiName} client was made with the scopes ${[...scopes].map((s) => `"${s}"`).join(', ')} (${operation.operationId ?? `${operation.method} ${operation.path}`} not sent)`,
    operation,
  });
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
