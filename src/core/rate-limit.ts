// The documented rate-limit headers (X-RateLimit-Limit/Remaining/Reset), and the optional throttle
// that holds calls back once the window is used up. A leaf of src/core: it imports no other module.

/** The rate-limit state the API reported on a response. */
export interface RateLimitInfo {
  /** Requests allowed in the current one-minute window (`X-RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  remaining: number;
  /** When the window ends and the allowance is restored (`X-RateLimit-Reset`, Unix seconds). */
  reset: Date;
}

/** A header holding a whole number; `undefined` when absent, not a number, or too large to be exact (a 400-digit value). */
export function readInt(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  // Number() ignores the surrounding whitespace the pattern allows.
  return raw !== null && /^\s*\d{1,15}\s*$/.test(raw) ? Number(raw) : undefined;
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

/**
 * Milliseconds the server asked to wait: `Retry-After` (seconds or an HTTP date), else on a 429 the
 * time until `X-RateLimit-Reset` while it is in the future. `undefined` when it said nothing usable.
 */
export function serverDelay(response: Response, now: number = Date.now()): number | undefined {
  const headers = response.headers;
  const raw = headers.get('Retry-After')?.trim();
  if (raw) {
    if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = response.status === 429 ? readInt(headers, 'X-RateLimit-Reset') : undefined;
  return reset !== undefined && reset * 1000 > now ? reset * 1000 - now : undefined;
}

/**
 * Proactive throttling (the `throttle` option): one per client, no shared state. What it holds comes
 * from the latest response that said something, never more than `maxWaitMs` ahead: a server that
 * once asked for years, or sent a reset it later contradicts, cannot hold every later call back.
 */
export class Throttle {
  #until = 0;

  constructor(private readonly maxWaitMs: number) {}

  /** Learns from a response: a 429's requested wait, no request left until the reset, or (fresh headers with requests left) no wait. */
  observe(response: Response, now: number = Date.now()): void {
    const asked = response.status === 429 ? serverDelay(response, now) : undefined;
    const info = getRateLimit(response);
    let until: number | undefined;
    if (asked !== undefined && asked > 0) until = now + Math.min(asked, this.maxWaitMs);
    else if (info) until = info.remaining === 0 ? info.reset.getTime() : 0;
    if (until === undefined || !Number.isFinite(until)) return;
    this.#until = Math.min(until, now + this.maxWaitMs);
  }

  /** Milliseconds a new request should wait now (never more than the client's longest wait). */
  pendingMs(now: number = Date.now()): number {
    return Math.min(Math.max(0, this.#until - now), this.maxWaitMs);
  }
}
