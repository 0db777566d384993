// The two client factories: openapi-fetch clients typed to their own API's paths (exactly, and
// narrowed to the key's scopes when given), with the SDK's call loop (deadline, retries, throttle,
// checks before sending) and helpers (pagination, rate-limit info).
import createClient, { type Middleware } from 'openapi-fetch';
import { organizationApi, partnerApi } from '../generated/apis.js';
import { organizationOperations, partnerOperations } from '../generated/operations.js';
import { ConnectionError, label, TimeoutError, ValidationError } from './core/errors.js';
import { apiOperations, checkPathParams } from './core/operations.js';
import { checkHeaders, checkNumber, MAX_RETRIES, resolveOptions, type ApiFacts, type ClientOptions } from './core/options.js';
import { iteratePages, itemsOf } from './core/pagination.js';
import { getRateLimit, Throttle, type RateLimitInfo } from './core/rate-limit.js';
import { createRedactor } from './core/redact.js';
import type { OperationTable } from './core/routes.js';
import type { GrantedScope, ScopeOf } from './core/scopes.js';
import { isIdempotent, isRetryableStatus, retryDelay, sleep } from './core/retry.js';
import { attemptError, createTransport } from './core/transport.js';
import type { BullseyeClient } from './core/types.js';
import { unwrap, withContext, type ResultLike } from './core/unwrap.js';
import type { OrganizationPaths, PartnerPaths } from './paths.js';

export { DEFAULT_BASE_URL } from './core/options.js';
export type { ClientOptions } from './core/options.js';

/** Scopes of Partner API keys (the spec's `x-scope-includes` of `PartnerApiKey`). */
export type PartnerScope = ScopeOf<'partner'>;
/** Scopes of Organization API keys (the spec's `x-scope-includes` of `OrganizationApiKey`). */
export type OrganizationScope = ScopeOf<'organization'>;

/** A Partner API client: only `/partner/...` paths type-check (those its scopes `S`, and what they include, allow). */
export type PartnerClient<S extends PartnerScope = PartnerScope> = BullseyeClient<PartnerPaths, GrantedScope<'partner', S>>;
/** An Organization API client: only Organization API paths type-check (those its scopes `S`, and what they include, allow). */
export type OrganizationClient<S extends OrganizationScope = OrganizationScope> = BullseyeClient<OrganizationPaths, GrantedScope<'organization', S>>;

/**
 * Client options with the key's scopes. With `scopes`, a call to an operation that needs another
 * scope does not compile, and if made anyway throws `PermissionError` before any request; so does a
 * path that is no operation of the client's API. What each scope includes is the spec's (see
 * {@link apis}): `write` includes `read`, `admin` includes both. Leave it out for a key with full
 * access.
 */
export type ScopedClientOptions<S extends string> = ClientOptions & { scopes?: readonly S[] };

type AnyInit = {
  signal?: AbortSignal | null;
  timeoutMs?: number;
  maxRetries?: number;
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
} & Record<string, unknown>;

function createBullseyeClient(options: ScopedClientOptions<string>, api: ApiFacts, table: OperationTable): BullseyeClient<unknown, string> {
  const opts = resolveOptions(options, api);
  const operations = apiOperations(api, table);
  const redact = createRedactor([opts.apiKey]);
  const throttle = opts.throttle ? new Throttle(opts.retry.maxWaitMs) : undefined;
  // Parsed at once: holding the Response until someone reads `rateLimit` would keep its body alive.
  let lastRateLimit: RateLimitInfo | undefined;

  const transport = createTransport(opts, redact);
  const base = createClient({
    baseUrl: opts.baseUrl,
    headers: { ...opts.headers, 'User-Agent': opts.userAgent, [api.keyHeader]: opts.apiKey },
    // Every Request openapi-fetch builds is already manual, so the transport need not copy it (the
    // transport still enforces it on a request a middleware or a call's own init changed).
    redirect: 'manual',
  });
  if (opts.middleware.length) base.use(...opts.middleware);
  const request = base.request as unknown as (method: string, path: string, init: Record<string, unknown>) => Promise<ResultLike>;

  async function call(method: string, path: string, init?: AnyInit): Promise<ResultLike> {
    // `fetch`, `baseUrl` and `Request` are openapi-fetch per-call options that would bypass the transport.
    const { signal, timeoutMs: callTimeout, maxRetries: callRetries, fetch: _f, baseUrl: _b, Request: _r, ...rest } = init ?? {};
    const timeoutMs = checkNumber('timeoutMs', callTimeout, opts.timeoutMs);
    const maxRetries = checkNumber('maxRetries', callRetries, opts.retry.maxRetries, MAX_RETRIES);
    const operation = operations.check(method, path, opts.scopes);
    checkPathParams(path, rest.params?.path, operation);
    if (rest.headers != null) checkHeaders(rest.headers, `${label(operation)}: headers`);
    // A body the caller streams is the caller's to bound.
    const maxBytes = rest.parseAs === 'stream' ? 0 : opts.maxResponseBytes;
    const caller = signal ?? undefined;
    const log = (line: string): void => opts.logger?.debug(redact(`bullseye: ${operation.method} ${path}: ${line}`));

    for (let attempt = 0; ; attempt++) {
      const held = throttle?.pendingMs() ?? 0;
      if (held > 0) {
        log(`no request left in the window, waiting ${held} ms for the reset`);
        await sleep(held, caller);
      }
      caller?.throwIfAborted();
      const deadline = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
      let result: ResultLike;
      let sent = false;
      const fetchAttempt = (req: Request): Promise<Response> => {
        sent = true;
        return transport(req, maxBytes);
      };
      try {
        result = await request(method, path, { ...rest, fetch: fetchAttempt, signal: caller && deadline ? AbortSignal.any([caller, deadline]) : (caller ?? deadline) });
      } catch (err) {
        const error = attemptError(err, { operation, attempt, timeoutMs, caller, deadline, redact, sent });
        if ((error instanceof ConnectionError || error instanceof TimeoutError) && attempt < maxRetries && isIdempotent(method)) {
          const wait = retryDelay(attempt, opts.retry);
          log(`${error.code}, retry ${attempt + 1}/${maxRetries} in ${wait} ms`);
          await sleep(wait, caller);
          continue;
        }
        throw error;
      }
      const response = result.response;
      throttle?.observe(response);
      lastRateLimit = getRateLimit(response) ?? lastRateLimit;
      if (attempt < maxRetries && isRetryableStatus(response.status, method)) {
        const wait = retryDelay(attempt, opts.retry, response);
        if (wait <= opts.retry.maxWaitMs) {
          log(`HTTP ${response.status}, retry ${attempt + 1}/${maxRetries} in ${wait} ms`);
          await sleep(wait, caller);
          continue;
        }
        log(`HTTP ${response.status} asks for ${wait} ms, more than maxWaitMs; not retrying`);
      }
      return response.ok ? result : withContext(result, { operation, redact });
    }
  }

  async function* pages(path: string, init?: AnyInit): AsyncGenerator<unknown, void, undefined> {
    const query = init?.params?.query ?? {};
    const first = (query.page ?? 1) as number;
    const size = query.pageSize ?? query.limit;
    // Number.isInteger is false for anything but a number.
    if (!(Number.isInteger(first) && first >= 1 && (size === undefined || (typeof size === 'number' && size >= 1)))) {
      throw new ValidationError({ code: 'invalid_page', message: `${path}: page and page size must be numbers of at least 1`, operation: operations.describe('GET', path) });
    }
    yield* iteratePages((page) => unwrap(call('GET', path, { ...init, params: { ...init?.params, query: { ...query, page } } })), first, size);
  }

  async function* paginate(path: string, init?: AnyInit): AsyncGenerator<unknown, void, undefined> {
    for await (const body of pages(path, init)) yield* itemsOf(body);
  }

  const method = (m: string) => (path: string, init?: AnyInit) => call(m, path, init);
  const client = {
    request: (m: string, path: string, init?: AnyInit) => call(m.toUpperCase(), path, init),
    GET: method('GET'),
    PUT: method('PUT'),
    POST: method('POST'),
    DELETE: method('DELETE'),
    PATCH: method('PATCH'),
    OPTIONS: method('OPTIONS'),
    HEAD: method('HEAD'),
    TRACE: method('TRACE'),
    use: (...middleware: Middleware[]) => base.use(...middleware),
    eject: (...middleware: Middleware[]) => base.eject(...middleware),
    paginate,
    pages,
    get rateLimit() {
      return lastRateLimit;
    },
  };
  return client as unknown as BullseyeClient<unknown, string>;
}

/**
 * Creates a client of the Partner API (its key header and scopes: `apis.partner`).
 *
 * @throws {@link ConfigurationError} when an option cannot work, or a scope is unknown (before any request).
 * @example
 * const client = createPartnerClient({ apiKey: partnerKey });
 * const { data, error } = await client.GET('/partner/me');
 */
export function createPartnerClient<const S extends PartnerScope = PartnerScope>(options: ScopedClientOptions<S>): PartnerClient<S> {
  return createBullseyeClient(options, partnerApi, partnerOperations) as PartnerClient<S>;
}

/**
 * Creates a client of the Organization API (its key header and scopes: `apis.organization`; keys `bsk_live_...`).
 *
 * @throws {@link ConfigurationError} when an option cannot work, or a scope is unknown (before any request).
 * @example
 * const client = createOrganizationClient({ apiKey: organizationKey, scopes: ['read'] });
 */
export function createOrganizationClient<const S extends OrganizationScope = OrganizationScope>(options: ScopedClientOptions<S>): OrganizationClient<S> {
  return createBullseyeClient(options, organizationApi, organizationOperations) as OrganizationClient<S>;
}
