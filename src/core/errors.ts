// Typed errors: one subclass of BullseyeError per kind of failure. Every string they hold has been
// through the client's redactor, so an API key can never reach a message, a stack, JSON.stringify or
// util.inspect.
import { BullseyeError, type BullseyeErrorInit } from './bullseye-error.js';

export { BullseyeError, type BullseyeErrorInit } from './bullseye-error.js';

/** 400 or 422: the request was malformed or failed validation; `details` says which fields. */
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

/** 403: the key is valid but lacks the scope the operation needs. */
export class PermissionError extends BullseyeError {
  static {
    this.prototype.name = 'PermissionError';
  }

  /** Scopes the spec requires for the operation (any one of them is enough). */
  declare readonly requiredScopes: readonly string[];
  constructor(init: BullseyeErrorInit) {
    super(init);
    Object.assign(this, { requiredScopes: init.operation?.requiredScopes ?? [] });
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

  /** Milliseconds the server asked to wait (`Retry-After`, else until `X-RateLimit-Reset`). */
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

/** A success status whose body is not the JSON the spec describes. */
export class InvalidResponseError extends BullseyeError {
  static {
    this.prototype.name = 'InvalidResponseError';
  }
}
