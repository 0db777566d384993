// Builds the typed errors of failed calls: error responses, attempts without a response, success
// bodies that are not JSON. Loaded only when a call fails (see slow.ts).
import {
  AuthenticationError,
  BullseyeError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  type BullseyeErrorInit,
} from './errors.js';
import { describeOperation, label, type OperationInfo } from './operations.js';
import { parseRetryAfter } from './backoff.js';
import { getRateLimit } from './rate-limit.js';
import { defaultRedactor, type Redactor } from './redact.js';

/** One line about a failed fetch: its message, its cause's message and the cause's code (e.g. ECONNRESET). */
export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
  const causeMsg = cause instanceof Error && cause.message !== err.message ? `: ${cause.message}` : '';
  return `${err.message}${causeMsg}${code}`;
}

/** The attempt an error belongs to, and how to word it. */
export interface AttemptContext {
  method: string;
  path: string;
  /** Zero-based attempt number. */
  attempt: number;
  timeoutMs: number;
  redact: Redactor;
}

/** The error of an attempt that got no usable response: a timeout, or a connection failure. */
export async function attemptError(err: unknown, timedOut: boolean, at: AttemptContext): Promise<BullseyeError> {
  const operation = await describeOperation(at.method, at.path);
  return timedOut
    ? new TimeoutError({
        code: 'timeout',
        message: `${label(operation)} took longer than ${at.timeoutMs} ms (attempt ${at.attempt + 1})`,
        operation,
      })
    : new ConnectionError({
        code: 'connection_error',
        message: at.redact(`${label(operation)} failed: ${describeFailure(err)} (attempt ${at.attempt + 1})`),
        operation,
      });
}

/** The error of a success status whose body claims to be JSON and is not (always rejects). */
export async function invalidJsonError(response: Response, text: string, err: unknown, method: string, path: string, redact: Redactor): Promise<never> {
  const operation = await describeOperation(method, path);
  throw new InvalidResponseError({
    status: response.status,
    code: 'invalid_json',
    message: redact(`The API answered ${response.status} with a body that is not valid JSON (${describeFailure(err)}) (${label(operation)})`),
    details: { body: redact(text.slice(0, 200)) },
    operation,
    response,
  });
}

/** Deep copy of a JSON-like value with every string passed through the redactor. */
export function redactDeep(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v, redact, depth + 1);
  return out;
}

function errorClassFor(status: number): typeof BullseyeError {
  if (status === 400 || status === 422) return ValidationError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return BullseyeError;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds the typed error for an error response. `body` is what openapi-fetch parsed: the
 * `{code, message, details}` envelope, or text (e.g. an HTML page from a proxy).
 */
export function errorFromResponse(
  response: Response,
  body: unknown,
  operation?: OperationInfo,
  redact: Redactor = defaultRedactor,
): BullseyeError {
  const status = response.status;
  const where = operation ? ` (${label(operation)})` : '';
  let code: string;
  let message: string;
  let details: Record<string, unknown> = {};
  if (isRecord(body) && typeof body.code === 'string') {
    code = body.code;
    message = typeof body.message === 'string' && body.message ? body.message : `HTTP ${status}`;
    if (isRecord(body.details)) details = body.details;
  } else {
    // Not the API's envelope: a proxy page, an empty body, or something else.
    const type = response.headers.get('Content-Type') ?? 'no content type';
    code = `http_${status}`;
    message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} with a body that is not the API's error envelope (${type.split(';')[0]})`;
    if (typeof body === 'string' && body) details = { body: body.slice(0, 500) };
  }
  const Cls = errorClassFor(status);
  const init: BullseyeErrorInit & { retryAfterMs?: number | undefined } = {
    status,
    code: redact(code),
    message: redact(message) + where,
    details: redactDeep(details, redact) as Record<string, unknown>,
    rateLimit: getRateLimit(response),
    operation,
    response,
  };
  if (Cls === PermissionError && operation?.requiredScopes.length) {
    init.message += `; this operation requires the scope ${operation.requiredScopes.map((s) => `"${s}"`).join(' or ')}`;
  }
  if (Cls === RateLimitError) init.retryAfterMs = parseRetryAfter(response.headers) ?? msUntilResetOrUndefined(response);
  return new Cls(init);
}

function msUntilResetOrUndefined(response: Response): number | undefined {
  const info = getRateLimit(response);
  return info ? Math.max(0, info.reset.getTime() - Date.now()) : undefined;
}
