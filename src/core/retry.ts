// When to retry. The transport applies this policy to each attempt; how long to wait is in backoff.ts.

/** Tuning of retries; every field has a default. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). Default 2. */
  maxRetries: number;
  /** First backoff step in ms, doubled on each retry. Default 500. */
  initialDelayMs: number;
  /** Upper bound of a computed backoff in ms. Default 8000. */
  maxBackoffMs: number;
  /** Longest wait the SDK accepts; a server asking for longer gets its error returned. Default 60000. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxBackoffMs: 8_000,
  maxWaitMs: 60_000,
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2). */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * Whether a status is worth another attempt. 429 means the request was not processed, so any
 * method may retry; 408 and 5xx may have been processed, so only idempotent methods do.
 */
export function isRetryableStatus(status: number, method: string): boolean {
  if (status === 429) return true;
  return (status === 408 || (status >= 500 && status <= 599)) && isIdempotent(method);
}
