// Client options, their defaults, and the checks made when a client is created (and on a call's own
// options). Every message names the option, never the key.
import type { Middleware } from 'openapi-fetch';
import { SDK_VERSION } from '../version.js';
import { ConfigurationError } from './errors.js';
import { apis } from '../../generated/apis.js';
import type { ApiId } from './routes.js';
import { unknownScopesMessage } from './scopes.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** Production base URL of both APIs (`servers[0]` of the spec). */
export const DEFAULT_BASE_URL = apis.partner.baseUrl;

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

/** Checks a count or a duration: a whole number from 0 to `max` (fractions are rounded down). */
export function checkNumber(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new ConfigurationError(`${name} must be a number from 0 to ${max}`);
  }
  return Math.floor(value);
}

// Only names that never leave the machine: `localhost` itself (hosts file on every OS) and loopback
// addresses. `x.localhost` is loopback by RFC 6761 but some resolvers send it to DNS.
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function checkBaseUrl(raw: string, allowInsecureHttp: boolean, api: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${api} client: baseUrl is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigurationError(`${api} client: baseUrl must use https:// (got ${url.protocol})`);
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) throw new ConfigurationError(`${api} client: baseUrl must not have a query or a fragment`);
  if (url.username || url.password) throw new ConfigurationError(`${api} client: baseUrl must not hold credentials`);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new ConfigurationError(`${api} client: baseUrl uses http:// to ${url.hostname}, which would send the key unencrypted; use https://, or set allowInsecureHttp`);
  }
  return url;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What fetch refuses in a header value (CR, LF, NUL) or cannot send as bytes (above U+00FF).
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/;

/**
 * Refuses headers fetch would refuse (or, worse, a runtime would send as two headers), naming the
 * header and never its value, which may be a secret.
 */
export function checkHeaders(headers: unknown, where: string): void {
  if (headers === undefined || headers === null || (typeof Headers !== 'undefined' && headers instanceof Headers)) return;
  const entries: [unknown, unknown][] = Array.isArray(headers) ? (headers as [unknown, unknown][]) : typeof headers === 'object' ? Object.entries(headers) : [];
  if (!Array.isArray(headers) && typeof headers !== 'object') throw new ConfigurationError(`${where} must be an object of header names and values`);
  for (const entry of entries) {
    const [name, value] = Array.isArray(entry) ? entry : [undefined, undefined];
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new ConfigurationError(`${where}: ${typeof name === 'string' ? `header name ${JSON.stringify(name.slice(0, 40).replace(/[^\x20-\x7e]/g, '?'))}` : 'a header name'} is not a valid HTTP token`);
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === undefined || v === null) continue;
      if (!['string', 'number', 'boolean'].includes(typeof v) || BAD_VALUE.test(String(v))) {
        throw new ConfigurationError(`${where}: the value of header "${name}" holds a line break, a NUL or a character above U+00FF (the value is not shown)`);
      }
    }
  }
}

/** Validates options and fills in defaults. Error messages never include the key itself. */
export function resolveOptions(options: ClientOptions & { scopes?: readonly string[] }, apiId: ApiId): ResolvedOptions {
  const api = apis[apiId].name;
  const envHint = apis[apiId].envVar;
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`${api} client: options are required, e.g. { apiKey: process.env.${envHint} }`);
  }
  const apiKey: unknown = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new ConfigurationError(`${api} client: apiKey is missing or blank. Pass the key, e.g. { apiKey: process.env.${envHint} }`);
  }
  // Header values allow neither control characters nor (portably) non-ASCII; a key has no spaces.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new ConfigurationError(`${api} client: apiKey holds whitespace, a control character or a non-ASCII character; check how it was read`);
  }
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetchImpl !== 'function') throw new ConfigurationError(`${api} client: no fetch available; pass the fetch option`);
  const url = checkBaseUrl(options.baseUrl ?? apis[apiId].baseUrl, options.allowInsecureHttp === true, api);
  let scopes: string[] | undefined;
  if (options.scopes !== undefined) {
    if (!Array.isArray(options.scopes) || options.scopes.length === 0) {
      throw new ConfigurationError(`${api} client: scopes must list at least one scope (leave the option out for a key with full access)`);
    }
    const unknown = unknownScopesMessage(apiId, options.scopes);
    if (unknown) throw new ConfigurationError(`${api} client: ${unknown}`);
    scopes = [...new Set(options.scopes)];
  }
  const r = options.retry ?? {};
  checkHeaders(options.headers, `${api} client: headers`);
  if (options.app !== undefined) {
    const { name, version } = options.app ?? {};
    // A product token of User-Agent: no spaces, slashes or anything a header cannot carry.
    if (typeof name !== 'string' || !TOKEN.test(name) || (version !== undefined && (typeof version !== 'string' || !TOKEN.test(version)))) {
      throw new ConfigurationError(`${api} client: app.name and app.version must be HTTP tokens (letters, digits and !#$%&'*+.^_\`|~-), e.g. { name: 'acme-sync', version: '2.1.0' }`);
    }
  }
  const app = options.app ? ` ${options.app.name}${options.app.version ? `/${options.app.version}` : ''}` : '';
  return {
    apiKey,
    baseUrl: url.href.replace(/\/+$/, ''),
    origin: url.origin,
    fetch: fetchImpl,
    timeoutMs: checkNumber('timeoutMs', options.timeoutMs, 30_000, MAX_TIMEOUT_MS),
    retry: {
      maxRetries: checkNumber('maxRetries', options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, MAX_RETRIES),
      initialDelayMs: checkNumber('retry.initialDelayMs', r.initialDelayMs, DEFAULT_RETRY_POLICY.initialDelayMs, MAX_TIMEOUT_MS),
      maxBackoffMs: checkNumber('retry.maxBackoffMs', r.maxBackoffMs, DEFAULT_RETRY_POLICY.maxBackoffMs, MAX_TIMEOUT_MS),
      maxWaitMs: checkNumber('retry.maxWaitMs', r.maxWaitMs, DEFAULT_RETRY_POLICY.maxWaitMs, MAX_TIMEOUT_MS),
    },
    throttle: options.throttle === true,
    userAgent: `bullseye-sdk-js/${SDK_VERSION}${app}`,
    headers: { ...options.headers },
    maxResponseBytes: checkNumber('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, MAX_TIMEOUT_MS),
    middleware: [...(options.middleware ?? [])],
    logger: options.logger,
    scopes,
  };
}
