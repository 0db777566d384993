// Which operation a request is, and the scope the spec requires for it (for PermissionError).
// Looked up only when an error is built, and loaded then: a bundler that splits chunks leaves the
// table (which grows with the spec) out of what a successful call loads.

/** The API operation a request or an error belongs to. */
export interface OperationInfo {
  /** HTTP method in upper case, e.g. `GET`. */
  method: string;
  /** Path template as written in the spec, e.g. `/partner/api-keys/{keyId}`. */
  path: string;
  /** The spec's `operationId`, when the operation is in the spec. */
  operationId?: string;
  /** Scopes the spec requires for this operation (any one of them grants access). */
  requiredScopes: readonly string[];
}

let table: Promise<typeof import('./operations.gen.js')> | undefined;

/** Looks an operation up in the table generated from the spec (loaded once, on first use). */
export async function describeOperation(method: string, path: string): Promise<OperationInfo> {
  const { OPERATIONS } = await (table ??= import('./operations.gen.js'));
  const m = method.toUpperCase();
  const [, id, scopes] =
    OPERATIONS.split('\n')
      .find((line) => line.startsWith(`${path} `))
      ?.split(' ')
      .find((op) => op.startsWith(`${m}=`))
      ?.split('=') ?? [];
  const info: OperationInfo = { method: m, path, requiredScopes: scopes ? scopes.split(',') : [] };
  if (id) info.operationId = id;
  return info;
}

/** How messages name an operation: its operationId, else `METHOD /path`. */
export const label = (op: OperationInfo): string => op.operationId ?? `${op.method} ${op.path}`;
