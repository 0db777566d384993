// The two client factories: openapi-fetch clients typed to their own API's paths, with the SDK's
// transport (retries, timeouts, throttling) and helpers (pagination, rate-limit info).
import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
import { resolveOptions, type ClientOptions, type FetchLike } from './core/options.js';
import type {
  PageBody,
  PageItem,
  PaginateArgs,
  PaginatedPath,
} from './core/pagination.js';
import { getRateLimit, type RateLimitInfo } from './core/rate-limit.js';
import { slow } from './core/lazy.js';
import { createRedactor } from './core/redact.js';
import { attemptSignal } from './core/timeout.js';
import { createTransport, PlainRequest } from './core/transport.js';
import { unwrap, withContext, type ResultLike } from './core/unwrap.js';
import type { OrganizationPaths, PartnerPaths } from './paths.js';

export { DEFAULT_BASE_URL } from './core/options.js';
export type { ClientOptions } from './core/options.js';

/** The SDK's helpers, on top of openapi-fetch's `GET`/`POST`/`PUT`/`PATCH`/`DELETE`. */
export interface ClientHelpers<Paths extends Record<string, any>> {
  /**
   * Iterates over every item of a paginated list, fetching pages as needed. Throws a typed error
   * (see `unwrap`) if a page fails.
   *
   * @example
   * for await (const org of client.paginate('/partner/organizations', { params: { query: { pageSize: 50 } } })) {
   *   console.log(org.name);
   * }
   */
  paginate<P extends PaginatedPath<Paths>>(path: P, ...init: PaginateArgs<Paths, P>): AsyncGenerator<PageItem<Paths, P>, void, undefined>;
  /** Iterates page by page (each value is one whole response body, with `total` and the page number). */
  pages<P extends PaginatedPath<Paths>>(path: P, ...init: PaginateArgs<Paths, P>): AsyncGenerator<PageBody<Paths, P>, void, undefined>;
  /** Rate-limit headers of the most recent response received by this client (any status). */
  readonly rateLimit: RateLimitInfo | undefined;
}

/** A Partner API client: only `/partner/...` paths type-check. */
export type PartnerClient = Client<PartnerPaths> & ClientHelpers<PartnerPaths>;
/** An Organization API client: only Organization API paths type-check. */
export type OrganizationClient = Client<OrganizationPaths> & ClientHelpers<OrganizationPaths>;

interface ApiDescription {
  name: string;
  header: string;
  envHint: string;
}

type AnyInit = {
  fetch?: FetchLike;
  signal?: AbortSignal | null;
  parseAs?: string;
  middleware?: unknown[];
  params?: { query?: Record<string, unknown> };
} & Record<string, unknown>;

function createBullseyeClient<Paths extends Record<string, any>>(options: ClientOptions, api: ApiDescription): Client<Paths> & ClientHelpers<Paths> {
  const opts = resolveOptions(options, api.name, api.envHint);
  const redact = createRedactor([opts.apiKey]);
  // The throttle's code is loaded when the option is on (see core/slow.ts).
  const throttle = opts.throttle ? slow().then(({ Throttle }) => new Throttle(opts.retry.maxWaitMs)) : undefined;
  // The latest response that carried rate-limit headers; they are parsed only when read.
  let rateLimitSource: Response | undefined;
  let lastRateLimit: RateLimitInfo | undefined;
  const onResponse = (response: Response): void => {
    if (response.headers.has('X-RateLimit-Limit')) rateLimitSource = response;
  };

  const base = createClient<Paths>({
    baseUrl: opts.baseUrl,
    headers: { ...opts.headers, 'User-Agent': opts.userAgent, [api.header]: opts.apiKey },
  });
  // Lean mode (see core/transport.ts) needs the global fetch and no middleware: once middleware is
  // registered, this client stays in the faithful mode.
  let hasMiddleware = opts.middleware.length > 0;
  if (hasMiddleware) base.use(...opts.middleware);
  const customFetch = options.fetch !== undefined;
  const request = base.request as unknown as (m: string, p: string, i: AnyInit) => Promise<ResultLike>;

  const call = async (method: string, path: string, init?: AnyInit): Promise<ResultLike> => {
    const caller = init?.signal ?? undefined;
    const parseAs = init?.parseAs;
    const lean =
      !customFetch && !init?.fetch && !hasMiddleware && !init?.middleware?.length && (!parseAs || parseAs === 'json' || parseAs === 'text');
    // In lean mode the first attempt's deadline goes into the request openapi-fetch builds (unless
    // the throttle may hold the request back first, which must not eat into the attempt's time).
    const first = lean && !throttle ? attemptSignal(caller, opts.timeoutMs) : undefined;
    try {
      const transport = createTransport({
        options: opts,
        fetch: init?.fetch ?? opts.fetch,
        method,
        path,
        redact,
        throttle,
        signal: caller,
        lean,
        first,
        onResponse,
      });
      const result = await request(method, path, {
        ...init,
        signal: first?.signal ?? caller,
        fetch: transport,
        Request: lean ? PlainRequest : undefined,
      });
      // Only a failed result needs the context (for unwrap's typed error).
      return result.response.ok ? result : withContext(result, { method, path, redact });
    } finally {
      first?.dispose();
    }
  };

  // Pagination code is loaded on the first page (see core/slow.ts).
  async function* pages(path: string, init?: AnyInit): AsyncGenerator<unknown, void, undefined> {
    const { iteratePages } = await slow();
    const query = init?.params?.query ?? {};
    const first = typeof query.page === 'number' ? query.page : 1;
    const size = typeof query.pageSize === 'number' ? query.pageSize : typeof query.limit === 'number' ? query.limit : undefined;
    yield* iteratePages(
      (page) => unwrap(call('GET', path, { ...init, params: { ...init?.params, query: { ...query, page } } })),
      first,
      size,
    );
  }

  async function* paginate(path: string, init?: AnyInit): AsyncGenerator<unknown, void, undefined> {
    const { itemsOf } = await slow();
    for await (const body of pages(path, init)) yield* itemsOf(body);
  }

  const method =
    (m: string) =>
    (path: string, init?: AnyInit): Promise<ResultLike> =>
      call(m, path, init);

  const client = {
    request: (m: string, path: string, init?: AnyInit) => call(m.toUpperCase(), path, init),
    GET: method('GET'),
    PUT: method('PUT'),
    POST: method('POST'),
    DELETE: method('DELETE'),
    OPTIONS: method('OPTIONS'),
    HEAD: method('HEAD'),
    PATCH: method('PATCH'),
    TRACE: method('TRACE'),
    use: (...middleware: Middleware[]) => {
      hasMiddleware = true;
      base.use(...middleware);
    },
    eject: base.eject.bind(base),
    paginate,
    pages,
    get rateLimit() {
      if (rateLimitSource) {
        lastRateLimit = getRateLimit(rateLimitSource) ?? lastRateLimit;
        rateLimitSource = undefined;
      }
      return lastRateLimit;
    },
  };
  return client as unknown as Client<Paths> & ClientHelpers<Paths>;
}

/**
 * Creates a client of the Partner API (header `X-Partner-API-Key`).
 *
 * @throws {@link ConfigurationError} when `apiKey` is missing or blank (before any request).
 * @example
 * const client = createPartnerClient({ apiKey: process.env.BULLSEYE_PARTNER_API_KEY! });
 * const { data, error } = await client.GET('/partner/me');
 */
export function createPartnerClient(options: ClientOptions): PartnerClient {
  return createBullseyeClient<PartnerPaths>(options, {
    name: 'Partner API',
    header: 'X-Partner-API-Key',
    envHint: 'BULLSEYE_PARTNER_API_KEY',
  });
}

/**
 * Creates a client of the Organization API (header `X-API-Key`, keys `bsk_live_...`).
 *
 * @throws {@link ConfigurationError} when `apiKey` is missing or blank (before any request).
 * @example
 * const client = createOrganizationClient({ apiKey: process.env.BULLSEYE_API_KEY! });
 */
export function createOrganizationClient(options: ClientOptions): OrganizationClient {
  return createBullseyeClient<OrganizationPaths>(options, {
    name: 'Organization API',
    header: 'X-API-Key',
    envHint: 'BULLSEYE_API_KEY',
  });
}
