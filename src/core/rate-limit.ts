// The documented rate-limit headers (X-RateLimit-Limit/Remaining/Reset), and the optional throttle
// that holds calls back once the window is used up.
import { serverDelay } from './retry.js';

/** The rate-limit state the API reported on a response. */
export interface RateLimitInfo {
  /** Requests allowed in the current one-minute window (`X-RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  remaining: number;
  /** When the window ends and the allowance is restored (`X-RateLimit-Reset`, Unix seconds). */
  reset: Date;
}

export function readInt(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw.trim());
}

/**
 * Reads the rate-limit headers of any response (success or error).
 * Returns `undefined` when the three `X-RateLimit-*` headers are not all present and numeric.
 */
export function getRateLimit(response: Response | Headers): RateLimitInfo | undefined {
  const headers = response instanceof Headers ? response : response.headers;
  const limit = readInt(headers, 'X-RateLimit-Limit');
  const remaining = readInt(headers, 'X-RateLimit-Remaining');
  const reset = readInt(headers, 'X-RateLimit-Reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return { limit, remaining, reset: new Date(reset * 1000) };
}

/** Proactive throttling (the `throttle` option): one per client, no shared state. */
export class Throttle {
  #until = 0;

  constructor(private readonly maxWaitMs: number) {}

  /** Learns from a response: no request left until the reset, or a 429's requested wait. */
  observe(response: Response, now: number = Date.now()): void {
    const info = getRateLimit(response);
    if (info && info.remaining === 0) this.#until = Math.max(this.#until, info.reset.getTime());
    const asked = response.status === 429 ? serverDelay(response, now) : undefined;
    if (asked !== undefined) this.#until = Math.max(this.#until, now + asked);
  }

  /** Milliseconds a new request should wait now (never more than the client's longest wait). */
  pendingMs(now: number = Date.now()): number {
    return Math.min(Math.max(0, this.#until - now), this.maxWaitMs);
  }
}
