// How long to wait before a retry, and the abortable wait itself. Loaded only when a call retries or
// waits (see slow.ts). Uses the global setTimeout at call time, so tests can fake it.
import { readInt } from './rate-limit.js';
import type { RetryPolicy } from './retry.js';
import { abortReason } from './sleep.js';

/**
 * Milliseconds to wait according to `Retry-After` (delay in seconds, or an HTTP date).
 * `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const raw = headers.get('Retry-After')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Milliseconds until `X-RateLimit-Reset`, or `undefined` when absent or already past. */
export function msUntilReset(headers: Headers, now: number = Date.now()): number | undefined {
  const reset = readInt(headers, 'X-RateLimit-Reset');
  if (reset === undefined) return undefined;
  const ms = reset * 1000 - now;
  return ms > 0 ? ms : undefined;
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, initial·2^retry)). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retrying after `response`: `Retry-After`, else (on 429) until `X-RateLimit-Reset`,
 * else backoff.
 */
export function retryDelay(response: Response, retry: number, policy: RetryPolicy, now: number = Date.now()): number {
  const headers = response.headers;
  const fromRetryAfter = parseRetryAfter(headers, now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  if (response.status === 429) {
    const fromReset = msUntilReset(headers, now);
    if (fromReset !== undefined) return fromReset;
  }
  return backoffDelay(retry, policy);
}

/** Waits `ms` milliseconds; the signal ends the wait at once with its reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
