// The base class of every error the SDK throws (the subclasses are in errors.ts). Every string an
// error holds has been through the redactor, so an API key never reaches a message, stack or JSON.
import type { OperationInfo } from './operations.js';
import type { RateLimitInfo } from './rate-limit.js';

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
      // Each class sets its name on its prototype (a static block): minifiers rename classes, so
      // `new.target.name` would not survive a production bundle.
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
