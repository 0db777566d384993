// Proactive throttling: once the API says no request is left in the window, later calls wait for
// the reset instead of collecting 429s. One instance per client (no shared state).
import { parseRetryAfter } from './backoff.js';
import { getRateLimit } from './rate-limit.js';

export class Throttle {
  #until = 0;

  constructor(private readonly maxWaitMs: number) {}

  /** Learns from a response's rate-limit headers. */
  observe(response: Response, now: number = Date.now()): void {
    const info = getRateLimit(response);
    if (info && info.remaining === 0) this.#until = Math.max(this.#until, info.reset.getTime());
    if (response.status === 429) {
      const ra = parseRetryAfter(response.headers, now);
      if (ra !== undefined) this.#until = Math.max(this.#until, now + ra);
    }
  }

  /** Milliseconds a new request should wait now (never more than the client's longest wait). */
  pendingMs(now: number = Date.now()): number {
    return Math.min(Math.max(0, this.#until - now), this.maxWaitMs);
  }
}
