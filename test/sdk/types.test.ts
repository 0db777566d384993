// Type tests: checked by `tsc -p tsconfig.json` (expectTypeOf and @ts-expect-error fail the build
// when a type drifts), and run by vitest for the few runtime facts they rely on.
import { describe, expectTypeOf, it, expect } from 'vitest';
import {
  createOrganizationClient,
  createPartnerClient,
  unwrap,
  constructWebhookEvent,
  type components,
  type OrganizationClient,
  type PartnerClient,
  type PartnerPaths,
  type OrganizationPaths,
  type RateLimitInfo,
  type WebhookEvent,
  type WebhookPayload,
} from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY } from './support/helpers.js';

type Schemas = components['schemas'];

/** Type-checks a call without making it. */
const typeOnly = (call: () => unknown): void => void call;

// Never sent: the clients below are only used for their types (and a fetch that must not run).
const neverFetch = (): Promise<Response> => Promise.reject(new Error('type tests send no request'));
const partner: PartnerClient = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: 'http://127.0.0.1:9', fetch: neverFetch });
const org: OrganizationClient = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: 'http://127.0.0.1:9', fetch: neverFetch });

describe('client types', () => {
  it('each client accepts only its own API paths', () => {
    expectTypeOf<keyof PartnerPaths>().toExtend<`/partner/${string}`>();
    expectTypeOf<Extract<keyof OrganizationPaths, `/partner/${string}`>>().toBeNever();
    typeOnly(() => partner.GET('/partner/me'));
    typeOnly(() => org.GET('/agency/sub-organizations'));
    // @ts-expect-error an Organization API path on a Partner client
    typeOnly(() => partner.GET('/agency/sub-organizations'));
    // @ts-expect-error a Partner API path on an Organization client
    typeOnly(() => org.GET('/partner/me'));
    // @ts-expect-error a path that is in neither API
    typeOnly(() => partner.GET('/partner/not-a-path'));
    expect(typeof partner.GET).toBe('function');
  });

  it('request bodies and path parameters are checked', () => {
    // @ts-expect-error `name` is required to create a key
    typeOnly(() => partner.POST('/partner/api-keys', { body: { scopes: ['read'] } }));
    // @ts-expect-error an unknown scope
    typeOnly(() => partner.POST('/partner/api-keys', { body: { name: 'x', scopes: ['superuser'] } }));
    // @ts-expect-error the keyId path parameter is required
    typeOnly(() => partner.DELETE('/partner/api-keys/{keyId}', {}));
    expect(true).toBe(true);
  });

  it('result style and unwrap are typed from the operation', () => {
    type Me = Awaited<ReturnType<typeof partner.GET<'/partner/me'>>>;
    expectTypeOf<NonNullable<Me['data']>>().toEqualTypeOf<Schemas['PartnerResponse']>();
    expectTypeOf<ReturnType<typeof unwrap<Me>>>().toEqualTypeOf<Promise<Schemas['PartnerResponse']>>();
    type Streamed = Awaited<ReturnType<typeof partner.GET<'/partner/me', 'stream'>>>;
    expectTypeOf<Streamed['data']>().toEqualTypeOf<Response['body'] | undefined>();
    type Revoke = Awaited<ReturnType<typeof partner.DELETE<'/partner/api-keys/{keyId}'>>>;
    expectTypeOf<ReturnType<typeof unwrap<Revoke>>>().toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(partner.rateLimit).toEqualTypeOf<RateLimitInfo | undefined>();
    expect(partner.rateLimit).toBeUndefined();
  });

  it('paginate yields the items of the documented array, pages yields whole pages', () => {
    expectTypeOf(partner.paginate('/partner/organizations')).toEqualTypeOf<AsyncGenerator<Schemas['PartnerOrganization'], void, undefined>>();
    expectTypeOf(partner.pages('/partner/organizations')).toEqualTypeOf<AsyncGenerator<Schemas['PartnerOrganizationList'], void, undefined>>();
    type SubOrgPage = Schemas['AgencySubOrganizationPage'];
    expectTypeOf(org.paginate('/agency/sub-organizations')).toEqualTypeOf<AsyncGenerator<NonNullable<SubOrgPage['data']>[number], void, undefined>>();
    // query parameters are those of the operation
    typeOnly(() => partner.paginate('/partner/organizations', { params: { query: { pageSize: 50, status: 'active' } } }));
    // @ts-expect-error `limit` is the Organization API's parameter, not the Partner API's
    typeOnly(() => partner.paginate('/partner/organizations', { params: { query: { limit: 50 } } }));
    // @ts-expect-error /partner/me is not a paginated list
    typeOnly(() => partner.paginate('/partner/me'));
    expect(typeof partner.paginate).toBe('function');
  });

  it('webhook events are typed from the spec', () => {
    expectTypeOf<WebhookPayload<'visitor.identified'>>().toEqualTypeOf<Schemas['OrganizationVisitorIdentifiedEvent']>();
    expectTypeOf(constructWebhookEvent).returns.toEqualTypeOf<Promise<WebhookEvent>>();
    expectTypeOf<Schemas['OrganizationVisitorIdentifiedEvent']>().toExtend<WebhookEvent>();
    expect(typeof constructWebhookEvent).toBe('function');
  });
});
