// Which operation a request is, and the scope the spec requires for it (for PermissionError).
import { OPERATIONS } from './operations.gen.js';

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

/** Looks an operation up in the table generated from the spec. */
export function describeOperation(method: string, path: string): OperationInfo {
  const m = method.toUpperCase();
  const entry = OPERATIONS[`${m} ${path}`];
  return entry
    ? { method: m, path, operationId: entry[0], requiredScopes: entry[1] }
    : { method: m, path, requiredScopes: [] };
}
