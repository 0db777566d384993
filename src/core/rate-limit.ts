// Reads the documented rate-limit headers (X-RateLimit-Limit/Remaining/Reset); Retry-After is read
// in backoff.ts, where waits are computed.

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
