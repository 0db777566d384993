// The throwing style: turn openapi-fetch's `{ data, error, response }` into data or a typed error.
import { errorClassFor, label, type BullseyeError, type OperationInfo, type RateLimitError } from './errors.js';
import { getRateLimit, serverDelay } from './rate-limit.js';
import { createRedactor, type Redactor } from './redact.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The typed error of an error response. `body` is what openapi-fetch parsed from the (already
 * redacted) body: the `{code, message, details}` envelope, or text such as a proxy's HTML page.
 */
export function errorFromResponse(response: Response, body: unknown, operation: OperationInfo | undefined, redact: Redactor): BullseyeError {
  const status = response.status;
  let code = `http_${status}`;
  let message: string;
  let details: Record<string, unknown> = {};
  if (isRecord(body) && typeof body.code === 'string') {
    code = body.code;
    message = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
    if (isRecord(body.details)) details = body.details;
  } else {
    const type = (response.headers.get('Content-Type') ?? 'no content type').split(';')[0];
    message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} (not the API's error envelope: ${type})`;
    if (typeof body === 'string' && body) details = { body: body.slice(0, 500) };
  }
  const Cls = errorClassFor(status) as typeof RateLimitError;
  return new Cls({
    status,
    code: redact(code),
    message: redact(message) + (operation ? ` (${label(operation)})` : ''),
    details,
    rateLimit: getRateLimit(response),
    retryAfterMs: status === 429 ? serverDelay(response) : undefined,
    operation,
    response,
  });
}

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
