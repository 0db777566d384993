// Typed errors. Every string they hold has been through the client's redactor, so an API key can
// never reach a message, a stack, JSON.stringify or util.inspect.
import { label, type OperationInfo } from './operations.js';
import type { RateLimitInfo } from './rate-limit.js';
import { getRateLimit, parseRetryAfter } from './rate-limit.js';
import { defaultRedactor, redactDeep, type Redactor } from './redact.js';

/** Fields shared by every error the SDK throws. */
export interface BullseyeErrorInit {
  /** HTTP status, when the error comes from a response. */
  status?: number | undefined;
  /** Machine-readable code: the API's `code`, or one of the SDK's own (`connection_error`, `timeout`, ...). */
  code: string;
  /** Human-readable explanation. */
  message: string;
  /** Structured context (the API's `details`). */
  details?: Record<string, unknown> | undefined;
  /** Rate-limit headers of the response, when present. */
  rateLimit?: RateLimitInfo | undefined;
  /** The operation that failed. */
  operation?: OperationInfo | undefined;
  /** The response, when there was one (not serialised). */
  response?: Response | undefined;
  /** The underlying error (already redacted). */
  cause?: unknown;
}

/** Base class of every error thrown by the SDK. Branch on `instanceof` a subclass, or on `code`. */
export class BullseyeError extends Error {
  // `declare`d, then assigned in the constructor: no class-field code, and every field is an own
  // enumerable property, which is what `toJSON` serialises.
  /** HTTP status, or `undefined` when no response arrived (connection errors, timeouts). */
  declare readonly status: number | undefined;
  /** Machine-readable code (PascalCase in the Partner API, snake_case in the Organization API). */
  declare readonly code: string;
  /** Structured context from the API; `{}` when there is none. */
  declare readonly details: Record<string, unknown>;
  /** Rate-limit headers of the failed response, when present. */
  declare readonly rateLimit: RateLimitInfo | undefined;
  /** The operation that failed (method, path template, operationId, required scopes). */
  declare readonly operation: OperationInfo | undefined;
  /** The HTTP response, when one arrived. Not enumerable: left out of logs and JSON. */
  declare readonly response: Response | undefined;

  constructor(init: BullseyeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    Object.assign(this, {
      name: new.target.name,
      status: init.status,
      code: init.code,
      details: init.details ?? {},
      rateLimit: init.rateLimit,
      operation: init.operation,
    });
    Object.defineProperty(this, 'response', { value: init.response });
  }

  /** A plain, key-free representation for logs: name, message and every field but `response`. */
  toJSON(): Record<string, unknown> {
    return { message: this.message, ...(this as object) };
  }
}

/** 400 or 422: the request was malformed or failed validation; `details` says which fields. */
export class ValidationError extends BullseyeError {}

/** 401: the API key is missing, invalid, expired or revoked. */
export class AuthenticationError extends BullseyeError {}

/** 403: the key is valid but lacks the scope the operation needs. */
export class PermissionError extends BullseyeError {
  /** Scopes the spec requires for the operation (any one of them is enough). */
  declare readonly requiredScopes: readonly string[];
  constructor(init: BullseyeErrorInit) {
    super(init);
    Object.assign(this, { requiredScopes: init.operation?.requiredScopes ?? [] });
  }
}

/** 404: the resource does not exist (or is not visible to this key). */
export class NotFoundError extends BullseyeError {}

/** 429: the rate limit was hit and the retries allowed were used up. */
export class RateLimitError extends BullseyeError {
  /** Milliseconds the server asked to wait (`Retry-After`, else until `X-RateLimit-Reset`). */
  declare readonly retryAfterMs: number | undefined;
  constructor(init: BullseyeErrorInit & { retryAfterMs?: number | undefined }) {
    super(init);
    Object.assign(this, { retryAfterMs: init.retryAfterMs });
  }
}

/** 5xx: the server (or a proxy in front of it) failed. */
export class ServerError extends BullseyeError {}

/** No usable response: the connection failed, was reset, or the body was cut off. */
export class ConnectionError extends BullseyeError {}

/** An attempt took longer than the `timeoutMs` option. */
export class TimeoutError extends BullseyeError {}

/** A success status whose body is not the JSON the spec describes. */
export class InvalidResponseError extends BullseyeError {}

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
