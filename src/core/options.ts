// Client options, their defaults, and the checks made before any request is sent.
import type { Middleware } from 'openapi-fetch';
import { SDK_VERSION } from '../version.js';
import { BullseyeError } from './bullseye-error.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** Production base URL of both APIs. */
export const DEFAULT_BASE_URL = 'https://api.app.bullseye.so/api/v1';

/** Where the SDK writes its diagnostic lines (e.g. `console`). Lines never contain the API key. */
export interface Logger {
  /** Receives one line per retry or throttle wait. */
  debug(message: string): void;
}

/** A `fetch`-compatible function. The SDK calls it with a single, fresh `Request` per attempt. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Options of `createPartnerClient` and `createOrganizationClient`. */
export interface ClientOptions {
  /** The API key, sent in the API's key header. Required: a missing or blank key throws at once. */
  apiKey: string;
  /** Base URL of the API. Defaults to production, `https://api.app.bullseye.so/api/v1`. */
  baseUrl?: string;
  /** `fetch` implementation to use (defaults to the global one). */
  fetch?: FetchLike;
  /** Milliseconds one attempt may take, body included (default 30000; 0 turns the timeout off). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2; 0 turns retries off). */
  maxRetries?: number;
  /** Fine-tuning of backoff waits (milliseconds). */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** When true, after a response reports `X-RateLimit-Remaining: 0`, later calls wait for the reset. */
  throttle?: boolean;
  /** Your application, added to the `User-Agent` header, e.g. `{ name: 'acme-sync', version: '2.1.0' }`. */
  app?: { name: string; version?: string };
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** openapi-fetch middleware, registered in order. */
  middleware?: Middleware[];
  /** Receives diagnostic lines (retries, throttling). */
  logger?: Logger;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs: number;
  retry: RetryPolicy;
  throttle: boolean;
  userAgent: string;
  headers: Record<string, string>;
  middleware: Middleware[];
  logger: Logger | undefined;
}

/** Thrown synchronously by the client factories when the options cannot work. */
export class ConfigurationError extends BullseyeError {
  static {
    this.prototype.name = 'ConfigurationError';
  }

  constructor(message: string) {
    super({ code: 'configuration_error', message });
  }
}

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new ConfigurationError(`${name} must be a non-negative number`);
  return Math.floor(value);
}

/** Validates options and fills in defaults. Error messages never include the key itself. */
export function resolveOptions(options: ClientOptions, apiName: string, envHint: string): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`${apiName} client: options are required, e.g. { apiKey: process.env.${envHint} }`);
  }
  const apiKey: unknown = options.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new ConfigurationError(
      `${apiName} client: apiKey is missing or blank. Pass the key, e.g. { apiKey: process.env.${envHint} }`,
    );
  }
  if (apiKey !== apiKey.trim() || /[\r\n]/.test(apiKey)) {
    throw new ConfigurationError(`${apiName} client: apiKey has leading/trailing whitespace or a line break`);
  }
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetchImpl !== 'function') {
    throw new ConfigurationError(`${apiName} client: no fetch available; pass the fetch option`);
  }
  const r = options.retry ?? {};
  const retry: RetryPolicy = {
    maxRetries: nonNegativeInt('maxRetries', options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries),
    initialDelayMs: nonNegativeInt('retry.initialDelayMs', r.initialDelayMs, DEFAULT_RETRY_POLICY.initialDelayMs),
    maxBackoffMs: nonNegativeInt('retry.maxBackoffMs', r.maxBackoffMs, DEFAULT_RETRY_POLICY.maxBackoffMs),
    maxWaitMs: nonNegativeInt('retry.maxWaitMs', r.maxWaitMs, DEFAULT_RETRY_POLICY.maxWaitMs),
  };
  const app = options.app ? ` ${options.app.name}${options.app.version ? `/${options.app.version}` : ''}` : '';
  return {
    apiKey,
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    fetch: fetchImpl,
    timeoutMs: nonNegativeInt('timeoutMs', options.timeoutMs, 30_000),
    retry,
    throttle: options.throttle === true,
    userAgent: `bullseye-sdk-js/${SDK_VERSION}${app}`,
    headers: { ...options.headers },
    middleware: [...(options.middleware ?? [])],
    logger: options.logger,
  };
}
