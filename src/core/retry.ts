// When to retry and how long to wait first. The client's call loop applies this to each attempt.
import { serverDelay } from './rate-limit.js';

/** Tuning of retries; every field has a default. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). Default 2, at most 10. */
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

/**
 * The wait before retry number `retry + 1`: what the server asked for (see `serverDelay`) when it is
 * more than 0, else
 * exponential backoff with full jitter, a random wait in [0, min(cap, initial·2^retry)).
 */
export function retryDelay(retry: number, policy: RetryPolicy, response?: Response, now: number = Date.now()): number {
  const asked = response && serverDelay(response, now);
  // `Retry-After: 0` or a date in the past is no wait at all: retrying at once would be a storm.
  if (asked !== undefined && asked > 0) return asked;
  return Math.floor(Math.random() * Math.min(policy.maxBackoffMs, policy.initialDelayMs * 2 ** retry));
}

/** Waits `ms` milliseconds (global setTimeout, so tests can fake it); the signal ends the wait at once with its reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
