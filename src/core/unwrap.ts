// The throwing style: turn openapi-fetch's `{ data, error, response }` into data or a typed error.
import { errorFromResponse } from './errors.js';
import type { OperationInfo } from './operations.js';
import { createRedactor, type Redactor } from './redact.js';

/** Hidden on each failed result by the clients: which operation it was, and how to redact. */
const RESULT_CONTEXT: unique symbol = Symbol('bullseye.result');

interface ResultContext {
  operation: OperationInfo;
  redact: Redactor;
}

/** The shape of an openapi-fetch result. */
export interface ResultLike {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The success body of a result type; `undefined` for operations without one (e.g. 204). */
export type UnwrappedData<R> = R extends { data: infer D } ? ([D] extends [never] ? undefined : D) : never;

/** Attaches (not enumerable) the context `unwrap` uses to a failed result. */
export function withContext<R extends ResultLike>(result: R, context: ResultContext): R {
  return Object.defineProperty(result, RESULT_CONTEXT, { value: context });
}

const keyShapes = createRedactor();

/**
 * Returns the success body of a call, or throws the typed error for its status
 * (`ValidationError`, `AuthenticationError`, `PermissionError`, `NotFoundError`, `RateLimitError`,
 * `ServerError`, or `BullseyeError` for any other status).
 *
 * @example
 * const { partner } = await unwrap(client.GET('/partner/me'));
 */
export async function unwrap<R extends ResultLike>(result: R | Promise<R>): Promise<UnwrappedData<R>> {
  const r = await result;
  if (r.response.ok) return r.data as UnwrappedData<R>;
  const ctx = (r as { [RESULT_CONTEXT]?: ResultContext })[RESULT_CONTEXT];
  throw errorFromResponse(r.response, r.error, ctx?.operation, ctx?.redact ?? keyShapes);
}
