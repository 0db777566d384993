// Client options, their defaults, and the checks made when a client is created (and on a call's own
// options). Every message names the option, never the key.
import type { Middleware } from 'openapi-fetch';
import { SDK_VERSION } from '../version.js';
import { ConfigurationError } from './errors.js';
import { partnerApi } from '../../generated/apis.js';
import { unknownScopes, type ScopeFacts } from './scopes.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** Production base URL of both APIs (`servers[0]` of the spec). */
export const DEFAULT_BASE_URL = partnerApi.baseUrl;

/** Where the SDK writes its diagnostic lines (e.g. `console`). Lines never contain the API key. */
export interface Logger {
  /** Receives one line per retry or throttle wait. */
  debug(message: string): void;
}

/** A `fetch`-compatible function. The SDK calls it with one fresh `Request` per attempt. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Largest delay a timer accepts (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Most retries a client or a call may ask for. */
export const MAX_RETRIES = 10;
/**
 * Default of `maxResponseBytes`: 32 MiB. The docs set no upper page size; a page of a thousand
 * visitors (the largest items of any list) is about 1 MB, so this leaves a wide margin.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Options of `createPartnerClient` and `createOrganizationClient`. */
export interface ClientOptions {
  /** The API key, sent in the API's key header. Required: missing, blank, or with a control, space or non-ASCII character, it throws at once. */
  apiKey: string;
  /**
   * Base URL of the API. Defaults to production, `https://api.app.bullseye.so/api/v1`. Must be an
   * absolute `https://` URL without query or fragment; `http://` only for a loopback host
   * (`localhost`, `127.0.0.1`, `[::1]`) unless `allowInsecureHttp` is set.
   */
  baseUrl?: string;
  /** Allows an `http://` base URL to a host other than loopback (the key then travels unencrypted). */
  allowInsecureHttp?: boolean;
  /** `fetch` implementation to use (defaults to the global one). */
  fetch?: FetchLike;
  /** Milliseconds one attempt may take, body included (default 30000; 0 turns the timeout off; at most 2^31 − 1). A call can override it. */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2; 0 turns retries off; at most 10). A call can override it. */
  maxRetries?: number;
  /** Fine-tuning of backoff waits (milliseconds). */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** When true, after a response reports `X-RateLimit-Remaining: 0`, later calls wait for the reset. */
  throttle?: boolean;
  /** Your application, added to the `User-Agent` header, e.g. `{ name: 'acme-sync', version: '2.1.0' }`. */
  app?: { name: string; version?: string };
  /** Extra headers sent with every request. A name that is not a token, or a value with CR, LF, NUL or a character above U+00FF, throws at once. */
  headers?: Record<string, string>;
  /**
   * Largest response body, in bytes, the SDK reads and parses (default 32 MiB, see
   * `DEFAULT_MAX_RESPONSE_BYTES`; 0 turns the limit off; at most 2^31 − 1). A larger body is cancelled and the call fails
   * with `InvalidResponseError` (code `response_too_large`). A body read with `parseAs: 'stream'`
   * (e.g. the CSV download) is not counted: bound it yourself.
   */
  maxResponseBytes?: number;
  /** openapi-fetch middleware, registered in order (run once per attempt). */
  middleware?: Middleware[];
  /** Receives diagnostic lines (retries, throttling). */
  logger?: Logger;
}

/** What the options read of the client's API (a row of generated/apis.ts). */
export interface ApiFacts extends ScopeFacts {
  readonly envVar: string;
  readonly baseUrl: string;
  readonly keyHeader: string;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  /** `scheme://host[:port]` of `baseUrl`: the only place the key is sent. */
  origin: string;
  fetch: FetchLike;
  timeoutMs: number;
  retry: RetryPolicy;
  throttle: boolean;
  userAgent: string;
  headers: Record<string, string>;
  maxResponseBytes: number;
  middleware: Middleware[];
  logger: Logger | undefined;
  /** The scopes given to the client, when it was narrowed to them. */
  scopes: readonly string[] | undefined;
}

/** Checks a count or a duration: a whole number from 0 to `max` (default 2^31 − 1; fractions are rounded down). */
export function checkNumber(name: string, value: number | undefined, fallback: number, max = MAX_TIMEOUT_MS): number {
  if (value === undefined) return fallback;
  // Also false for NaN and ±Infinity (`max` is finite).
  if (!(typeof value === 'number' && value >= 0 && value <= max)) throw new ConfigurationError(`${name} must be a number from 0 to ${max}`);
  return Math.floor(value);
}

// Only names that never leave the machine: `localhost` itself (hosts file on every OS) and loopback
// addresses. `x.localhost` is loopback by RFC 6761 but some resolvers send it to DNS.
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** What is wrong with a base URL (the reason, after "baseUrl "), or '' when nothing is. */
function baseUrlProblem(raw: string, url: URL | undefined, allowInsecureHttp: boolean): string {
  if (!url) return 'is not an absolute URL';
  const { protocol, hostname } = url;
  if (protocol !== 'https:' && protocol !== 'http:') return `must use https:// (got ${protocol})`;
  if (url.search || url.hash || /[?#]/.test(raw)) return 'must not have a query or a fragment';
  if (url.username || url.password) return 'must not hold credentials';
  return protocol === 'http:' && !LOOPBACK.test(hostname) && !allowInsecureHttp
    ? `must use https:// (http:// to ${hostname} sends the key unencrypted; allowInsecureHttp allows it)`
    : '';
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What fetch refuses in a header value (CR, LF, NUL) or cannot send as bytes (above U+00FF).
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;

/**
 * Refuses headers fetch would refuse (or, worse, a runtime would send as two headers), naming the
 * header and never its value, which may be a secret.
 */
export function checkHeaders(headers: unknown, where: string): void {
  if (headers == null || headers instanceof Headers) return;
  if (typeof headers !== 'object') throw new ConfigurationError(`${where} must be an object of header names and values`);
  for (const entry of Array.isArray(headers) ? (headers as unknown[]) : Object.entries(headers)) {
    const [name, value] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      // JSON.stringify shows a control character as an escape, never as itself.
      throw new ConfigurationError(`${where}: header name ${JSON.stringify(String(name).slice(0, 40))} is not a valid HTTP token`);
    }
    for (const v of [value].flat()) {
      if (v != null && (!['string', 'number', 'boolean'].includes(typeof v) || BAD_VALUE.test(String(v)))) {
        throw new ConfigurationError(`${where}: the value of header "${name}" holds CR, LF, NUL or a character above U+00FF (value not shown)`);
      }
    }
  }
}

/** Validates options and fills in defaults. Error messages never include the key itself. */
export function resolveOptions(options: ClientOptions & { scopes?: readonly string[] }, facts: ApiFacts): ResolvedOptions {
  const { name: api, envVar } = facts;
  const fail: (problem: string) => never = (problem) => {
    throw new ConfigurationError(`${api} client: ${problem}`);
  };
  const example = `e.g. { apiKey: process.env.${envVar} }`;
  if (options === null || typeof options !== 'object') fail(`options are required, ${example}`);
  const { apiKey, scopes, app } = options as { apiKey: unknown; scopes: unknown; app: unknown };
  if (typeof apiKey !== 'string' || apiKey.trim() === '') fail(`apiKey is missing or blank, ${example}`);
  // Header values allow neither control characters nor (portably) non-ASCII; a key has no spaces.
  if (!/^[\x21-\x7e]+$/.test(apiKey as string)) fail('apiKey holds a space, a control or a non-ASCII character');
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetchImpl !== 'function') fail('no fetch available; pass the fetch option');
  const rawUrl = options.baseUrl ?? facts.baseUrl;
  let url: URL | undefined;
  try {
    url = new URL(rawUrl);
  } catch {}
  const urlProblem = baseUrlProblem(rawUrl, url, options.allowInsecureHttp === true);
  if (urlProblem) fail(`baseUrl ${urlProblem}`);
  if (scopes !== undefined) {
    if (!Array.isArray(scopes) || scopes.length === 0) fail('scopes must list at least one scope (leave it out for a full-access key)');
    const unknown = unknownScopes(facts, scopes as unknown[]);
    if (unknown) fail(unknown);
  }
  checkHeaders(options.headers, `${api} client: headers`);
  let product = '';
  if (app !== undefined) {
    const { name, version } = (app ?? {}) as { name?: unknown; version?: unknown };
    // A product token of User-Agent: no spaces, slashes or anything a header cannot carry.
    if (typeof name !== 'string' || !TOKEN.test(name) || (version !== undefined && (typeof version !== 'string' || !TOKEN.test(version)))) {
      fail("app.name and app.version must be HTTP tokens, e.g. { name: 'acme-sync', version: '2.1.0' }");
    }
    product = ` ${name}${version ? `/${version}` : ''}`;
  }
  const r = options.retry ?? {};
  const d = DEFAULT_RETRY_POLICY;
  return {
    apiKey: apiKey as string,
    baseUrl: url!.href.replace(/\/+$/, ''),
    origin: url!.origin,
    fetch: fetchImpl!,
    timeoutMs: checkNumber('timeoutMs', options.timeoutMs, 30_000),
    retry: {
      maxRetries: checkNumber('maxRetries', options.maxRetries, d.maxRetries, MAX_RETRIES),
      initialDelayMs: checkNumber('retry.initialDelayMs', r.initialDelayMs, d.initialDelayMs),
      maxBackoffMs: checkNumber('retry.maxBackoffMs', r.maxBackoffMs, d.maxBackoffMs),
      maxWaitMs: checkNumber('retry.maxWaitMs', r.maxWaitMs, d.maxWaitMs),
    },
    throttle: options.throttle === true,
    userAgent: `bullseye-sdk-js/${SDK_VERSION}${product}`,
    headers: { ...options.headers },
    maxResponseBytes: checkNumber('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
    middleware: [...(options.middleware ?? [])],
    logger: options.logger,
    scopes: scopes && [...new Set(scopes as string[])],
  };
}
