// Every error class the SDK throws (but the webhook helpers' own, in src/core/webhooks.ts, so that a
// bundle that verifies no delivery leaves it out), and the status → class table. Every string an
// error holds has been through the client's redactor, so an API key never reaches a message, a
// stack, JSON or util.inspect.
// A leaf of src/core: it imports no other module's code, so every module can import it.
import type { RateLimitInfo } from './rate-limit.js';

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
  static {
    this.prototype.name = 'BullseyeError';
  }

  /** HTTP status, or `undefined` when no response arrived (connection errors, timeouts, refusals). */
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
    // Own enumerable fields (what toJSON serialises). Each class sets its name on its prototype in a
    // static block: minifiers rename classes, so `new.target.name` would not survive a bundle.
    Object.assign(this, {
      name: this.name,
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

/** Options that cannot work, refused by the client factories (or by a call's own options) before any request. */
export class ConfigurationError extends BullseyeError {
  static {
    this.prototype.name = 'ConfigurationError';
  }

  constructor(message: string) {
    super({ code: 'configuration_error', message });
  }
}

/**
 * 400 or 422: the request was malformed or failed validation; `details` says which fields. Also
 * thrown before any request for a path parameter that would change the path (`code`
 * `invalid_path_parameter`) or a page size below 1.
 */
export class ValidationError extends BullseyeError {
  static {
    this.prototype.name = 'ValidationError';
  }
}

/** 401: the API key is missing, invalid, expired or revoked. */
export class AuthenticationError extends BullseyeError {
  static {
    this.prototype.name = 'AuthenticationError';
  }
}

/**
 * 403: the key lacks the scope the operation needs. Also thrown before any request by a client made
 * with `scopes` that do not cover the operation (`code` `missing_scope`, no `status`).
 */
export class PermissionError extends BullseyeError {
  static {
    this.prototype.name = 'PermissionError';
  }

  /** Scopes the spec requires for the operation (any one of them is enough). */
  declare readonly requiredScopes: readonly string[];
  constructor(init: BullseyeErrorInit) {
    const requiredScopes = init.operation?.requiredScopes ?? [];
    const needs = requiredScopes.length ? `; this operation requires the scope ${requiredScopes.map((s) => `"${s}"`).join(' or ')}` : '';
    super({ ...init, message: init.message + needs });
    Object.assign(this, { requiredScopes });
  }
}

/** 404: the resource does not exist (or is not visible to this key). */
export class NotFoundError extends BullseyeError {
  static {
    this.prototype.name = 'NotFoundError';
  }
}

/** 429: the rate limit was hit and the retries allowed were used up. */
export class RateLimitError extends BullseyeError {
  static {
    this.prototype.name = 'RateLimitError';
  }

  /** Milliseconds the server asked to wait (`Retry-After`, else until `X-RateLimit-Reset`), when it said. */
  declare readonly retryAfterMs: number | undefined;
  constructor(init: BullseyeErrorInit & { retryAfterMs?: number | undefined }) {
    super(init);
    Object.assign(this, { retryAfterMs: init.retryAfterMs });
  }
}

/** 5xx: the server (or a proxy in front of it) failed. */
export class ServerError extends BullseyeError {
  static {
    this.prototype.name = 'ServerError';
  }
}

/** No usable response: the connection failed, was reset, or the body was cut off. */
export class ConnectionError extends BullseyeError {
  static {
    this.prototype.name = 'ConnectionError';
  }
}

/** An attempt took longer than the `timeoutMs` option. */
export class TimeoutError extends BullseyeError {
  static {
    this.prototype.name = 'TimeoutError';
  }
}

/**
 * The answer cannot be used: a success whose body is not the JSON the spec describes, a custom
 * `fetch` that resolved to something other than a `Response`, or pages that do not advance.
 */
export class InvalidResponseError extends BullseyeError {
  static {
    this.prototype.name = 'InvalidResponseError';
  }
}

/**
 * The server answered with a redirect (3xx). The SDK never follows one: the key would go along, and a
 * POST could turn into a GET. `location` is where the server pointed (when the runtime shows it).
 */
export class RedirectError extends BullseyeError {
  static {
    this.prototype.name = 'RedirectError';
  }

  /** The `Location` header of the redirect, or `undefined` (browsers hide it). */
  declare readonly location: string | undefined;
  constructor(init: BullseyeErrorInit & { location?: string | undefined }) {
    super(init);
    Object.assign(this, { location: init.location });
  }
}

/** The status → class table of error responses. */
export function errorClassFor(status: number): typeof BullseyeError {
  if (status === 400 || status === 422) return ValidationError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return BullseyeError;
}

/** How messages name an operation: its operationId, else `METHOD /path`. */
export const label = (op: OperationInfo): string => op.operationId ?? `${op.method} ${op.path}`;
