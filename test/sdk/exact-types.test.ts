// Exact types: a misspelt field in a call's body, path parameters, query or options is a compile
// error in both APIs (checked by `tsc -p tsconfig.json`: each @ts-expect-error must meet an error),
// and a type-level sweep shows that no operation's options, body, query or path parameters accept
// unknown keys (which is what makes TypeScript's excess-property check apply to every operation).
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createOrganizationClient,
  createPartnerClient,
  type CallInit,
  type HttpMethod,
  type OrganizationPaths,
  type PartnerPaths,
} from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY } from './support/helpers.js';

const typeOnly = (call: () => unknown): void => void call;
const neverFetch = (): Promise<Response> => Promise.reject(new Error('type tests send no request'));
const partner = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: 'http://127.0.0.1:9', fetch: neverFetch });
const org = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: 'http://127.0.0.1:9', fetch: neverFetch });

type Opens<T> = [T] extends [never] ? false : [T] extends [undefined] ? false : string extends keyof NonNullable<T> ? true : false;
type Op<Paths, P extends keyof Paths, M extends HttpMethod> = M extends keyof Paths[P] ? NonNullable<Paths[P][M]> : never;
type Init<Paths, P extends keyof Paths, M extends HttpMethod> = CallInit<Op<Paths, P, M>>;
type Params<I> = I extends { params?: infer Q } ? NonNullable<Q> : never;
type Part<I, K extends string> = Params<I> extends { [Key in K]?: infer X } ? X : never;
type BodyOf<I> = I extends { body?: infer B } ? B : never;

/** `METHOD path: where` for every operation whose options, body, query or path parameters take any key. */
type LooseOperations<Paths> = {
  [P in keyof Paths & string]: {
    [M in HttpMethod]: Paths[P] extends { [K in M]: object }
      ?
          | (Opens<Init<Paths, P, M>> extends true ? `${M} ${P}: options` : never)
          | (Opens<BodyOf<Init<Paths, P, M>>> extends true ? `${M} ${P}: body` : never)
          | (Opens<Part<Init<Paths, P, M>, 'query'>> extends true ? `${M} ${P}: query` : never)
          | (Opens<Part<Init<Paths, P, M>, 'path'>> extends true ? `${M} ${P}: path` : never)
      : never;
  }[HttpMethod];
}[keyof Paths & string];

describe('exact types', () => {
  it('no operation of either API takes unknown keys in its options, body, query or path parameters', () => {
    expectTypeOf<LooseOperations<PartnerPaths>>().toBeNever();
    expectTypeOf<LooseOperations<OrganizationPaths>>().toBeNever();
    // The sweep does see an open query or body: it is not vacuous.
    type Fake = {
      '/x': {
        get: { parameters: { query: { [k: string]: unknown }; header?: never; path?: never; cookie?: never }; requestBody?: never; responses: {} };
        post: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; requestBody: { content: { 'application/json': { a: number } & Record<string, unknown> } }; responses: {} };
      };
    };
    expectTypeOf<LooseOperations<Fake>>().toEqualTypeOf<'get /x: query' | 'post /x: body'>();
    expect(typeof partner.GET).toBe('function');
  });

  it('Partner API: a misspelt field next to the required ones does not compile', () => {
    typeOnly(() => partner.POST('/partner/organizations', { body: { name: 'Acme', externalId: 'crm-1' } }));
    // @ts-expect-error externalID is not a field (externalId is)
    typeOnly(() => partner.POST('/partner/organizations', { body: { name: 'Acme', externalID: 'crm-1' } }));
    // @ts-expect-error `scope` instead of `scopes`: the key would get full access
    typeOnly(() => partner.POST('/partner/api-keys', { body: { name: 'CI', scope: ['read'] } }));
    // @ts-expect-error a query parameter the operation does not have
    typeOnly(() => partner.GET('/partner/organizations', { params: { query: { pageSize: 10, page_size: 10 } } }));
    // @ts-expect-error a path parameter the path does not have
    typeOnly(() => partner.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: 'k1', id: 'k1' } } }));
    // @ts-expect-error query parameters on an operation without any
    typeOnly(() => partner.GET('/partner/me', { params: { query: { verbose: true } } }));
    // @ts-expect-error an option that is neither openapi-fetch's nor the SDK's
    typeOnly(() => partner.GET('/partner/me', { timeout: 5000 }));
    // @ts-expect-error a per-call fetch would bypass the client's transport
    typeOnly(() => partner.GET('/partner/me', { fetch: neverFetch }));
    // @ts-expect-error a per-call baseUrl would send the key elsewhere
    typeOnly(() => partner.GET('/partner/me', { baseUrl: 'https://example.com' }));
    typeOnly(() => partner.GET('/partner/me', { timeoutMs: 5000, maxRetries: 0, signal: AbortSignal.timeout(1000), headers: { 'X-Trace': '1' } }));
    expect(typeof partner.POST).toBe('function');
  });

  it('Organization API: the same holds for body, path and query', () => {
    typeOnly(() => org.PUT('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { organization_id: 'o1', slug: 's' } }, body: {} }));
    // @ts-expect-error organizationId is the Partner API's spelling; this path says organization_id
    typeOnly(() => org.GET('/organizations/{organization_id}/icp-configs', { params: { path: { organizationId: 'o1' } } }));
    // @ts-expect-error pageSize is the Partner API's parameter; the Organization API pages with limit
    typeOnly(() => org.GET('/agency/sub-organizations', { params: { query: { page: 1, pageSize: 10 } } }));
    // @ts-expect-error a misspelt body field of an Organization API key
    typeOnly(() => org.POST('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'o1' } }, body: { name: 'CI', scopes: ['read'], expires_at: '2027-01-01T00:00:00Z' } }));
    // @ts-expect-error paginate options are exact too
    typeOnly(() => org.paginate('/agency/sub-organizations', { params: { query: { limit: 10, limt: 10 } } }));
    expect(typeof org.GET).toBe('function');
  });
});
