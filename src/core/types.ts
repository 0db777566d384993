// The clients' method types: openapi-fetch's, made exact. openapi-fetch takes a call's options as a
// type parameter (`Init extends …`) and adds an index signature, so a misspelt field compiles. Here
// the options are a plain parameter type computed from the path and method, so TypeScript's
// excess-property check reaches the body, `params.path` and `params.query`. Paths whose operation
// needs a scope the client was not given are left out (`createOrganizationClient({ scopes })`).
import type { BodySerializer, FetchResponse, HeadersOptions, Middleware, ParamsOption, ParseAs, QuerySerializer, QuerySerializerOptions, RequestBodyOption } from 'openapi-fetch';
import type { RequiredScope } from './operations.js';
import type { PageBody, PageItem, PaginatedPath } from './pagination.js';
import type { RateLimitInfo } from './rate-limit.js';

/** HTTP methods, as the generated path map spells them. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** The operation of `Paths[P][M]`. */
export type OperationOf<Paths, P, M extends HttpMethod> = P extends keyof Paths ? (M extends keyof Paths[P] ? NonNullable<Paths[P][M]> : never) : never;

/** Paths that have method `M` and whose operation a key holding the scopes `S` (includes granted) may call. */
export type AllowedPath<Paths, M extends HttpMethod, S extends string> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: object }
    ? [Extract<RequiredScope<P, M>, S>] extends [never]
      ? [RequiredScope<P, M>] extends [never]
        ? P
        : never
      : P
    : never;
}[keyof Paths] &
  string;

/** Options every call takes besides its parameters and body. */
export interface CallOptions<A extends ParseAs = ParseAs> {
  /** Cancels the call (the current attempt and any wait), rejecting with the signal's reason. */
  signal?: AbortSignal | null;
  /** This call's per-attempt deadline in ms (overrides the client's; 0 turns it off). */
  timeoutMs?: number;
  /** This call's retries after the first attempt (overrides the client's). */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: HeadersOptions;
  /** How to read a success body (default `json`). */
  parseAs?: A;
  /** openapi-fetch middleware for this call only (run once per attempt). */
  middleware?: Middleware[];
}

/** The exact options of one call of operation `Op`. */
export type CallInit<Op, A extends ParseAs = 'json'> = ParamsOption<Op> &
  RequestBodyOption<Op> &
  CallOptions<A> & { querySerializer?: QuerySerializer<Op> | QuerySerializerOptions; bodySerializer?: BodySerializer<Op> };

/** Keys of `T` that are not optional. */
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** The options argument: optional when nothing in it is required. */
export type InitArgs<Init> = [RequiredKeys<Init>] extends [never] ? [init?: Init] : [init: Init];

/** The result of a call, as openapi-fetch returns it (`data` or `error`, and the `response`). */
export type CallResult<Op, A extends ParseAs = 'json'> = FetchResponse<Op & Record<string | number, any>, { parseAs: A }, `${string}/${string}`>;

/** One HTTP method of a client. */
export type ExactMethod<Paths, M extends HttpMethod, S extends string> = <P extends AllowedPath<Paths, M, S>, A extends ParseAs = 'json'>(
  url: P,
  ...init: InitArgs<CallInit<OperationOf<Paths, P, M>, A>>
) => Promise<CallResult<OperationOf<Paths, P, M>, A>>;

/** The options of `paginate`/`pages` for path `P` (`params.query.page` is the first page, default 1). */
export type PaginateArgs<Paths, P> = InitArgs<CallInit<OperationOf<Paths, P, 'get'>>>;

/**
 * A client of one API: openapi-fetch's methods (exact) and the SDK's helpers. `S` is the union of
 * the scopes the client holds: those it was made with and every scope they include (every scope
 * when none were given).
 */
export interface BullseyeClient<Paths, S extends string> {
  /** Calls `method` on `url`: the same as the method of that name. */
  request<M extends HttpMethod, P extends AllowedPath<Paths, M, S>, A extends ParseAs = 'json'>(
    method: M,
    url: P,
    ...init: InitArgs<CallInit<OperationOf<Paths, P, M>, A>>
  ): Promise<CallResult<OperationOf<Paths, P, M>, A>>;
  GET: ExactMethod<Paths, 'get', S>;
  PUT: ExactMethod<Paths, 'put', S>;
  POST: ExactMethod<Paths, 'post', S>;
  DELETE: ExactMethod<Paths, 'delete', S>;
  PATCH: ExactMethod<Paths, 'patch', S>;
  OPTIONS: ExactMethod<Paths, 'options', S>;
  HEAD: ExactMethod<Paths, 'head', S>;
  TRACE: ExactMethod<Paths, 'trace', S>;
  /** Registers openapi-fetch middleware (run once per attempt). */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware. */
  eject(...middleware: Middleware[]): void;
  /**
   * Iterates over every item of a paginated list, fetching pages as needed. Throws a typed error
   * (see `unwrap`) if a page fails, and `InvalidResponseError` if the pages do not advance.
   *
   * @example
   * for await (const org of client.paginate('/partner/organizations', { params: { query: { pageSize: 50 } } })) {
   *   console.log(org.name);
   * }
   */
  paginate<P extends PaginatedPath<Paths> & AllowedPath<Paths, 'get', S>>(path: P, ...init: PaginateArgs<Paths, P>): AsyncGenerator<PageItem<Paths, P>, void, undefined>;
  /** Iterates page by page (each value is one whole response body, with `total` and the page number). */
  pages<P extends PaginatedPath<Paths> & AllowedPath<Paths, 'get', S>>(path: P, ...init: PaginateArgs<Paths, P>): AsyncGenerator<PageBody<Paths, P>, void, undefined>;
  /** Rate-limit headers of the most recent response received by this client (any status). */
  readonly rateLimit: RateLimitInfo | undefined;
}
