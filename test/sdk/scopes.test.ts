// Clients narrowed to their key's scopes: a call the scopes do not cover does not compile, and made
// anyway (a cast, plain JavaScript) throws PermissionError before any request. Without `scopes`,
// nothing changes. Both APIs.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ConfigurationError,
  PermissionError,
  createOrganizationClient,
  createPartnerClient,
  unwrap,
  type OrganizationClient,
  type PartnerClient,
} from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY, expectNoKey, rejectionOf } from './support/helpers.js';

const typeOnly = (call: () => unknown): void => void call;

function recordingFetch(status = 200, body: unknown = {}) {
  return vi.fn(async (_req: Request) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

describe('types', () => {
  it('Organization API: scopes ["read"] leaves out write, admin and agency operations', () => {
    const org = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['read'] as const, fetch: recordingFetch() });
    expectTypeOf(org).toEqualTypeOf<OrganizationClient<'read'>>();
    typeOnly(() => org.GET('/organization/list'));
    typeOnly(() => org.paginate('/companies/{company_id}/visitors', { params: { path: { company_id: 'c1' }, query: { organizationId: 'o1' } } }));
    // @ts-expect-error saving a list needs `write`
    typeOnly(() => org.POST('/lists/save', { body: { name: 'x' } }));
    // @ts-expect-error deleting an ICP config needs `write`
    typeOnly(() => org.DELETE('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { organization_id: 'o1', slug: 's' } } }));
    // @ts-expect-error listing API keys needs `admin`
    typeOnly(() => org.GET('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'o1' } } }));
    // @ts-expect-error the agency overview needs `agency:read`
    typeOnly(() => org.GET('/agency/overview'));
    // @ts-expect-error nor can paginate reach it
    typeOnly(() => org.paginate('/agency/sub-organizations'));
    expect(typeof org.GET).toBe('function');
  });

  it('Organization API: write includes read, agency:write includes agency:read', () => {
    const writer = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['write'], fetch: recordingFetch() });
    typeOnly(() => writer.GET('/organization/list'));
    typeOnly(() => writer.POST('/lists/save', { body: { name: 'x' } as never }));
    // @ts-expect-error API keys need `admin`
    typeOnly(() => writer.GET('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'o1' } } }));
    const agencyWriter = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['agency:write'], fetch: recordingFetch() });
    typeOnly(() => agencyWriter.GET('/agency/overview'));
    // @ts-expect-error the agency scopes do not reach the organization's own data
    typeOnly(() => agencyWriter.GET('/companies', { params: { query: { organizationId: 'o1' } } } as never));
    expect(typeof writer.GET).toBe('function');
  });

  it('Organization API: admin includes read and write but not the agency scopes; scopes combine', () => {
    const admin = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['admin'], fetch: recordingFetch() });
    typeOnly(() => admin.GET('/organization/list'));
    typeOnly(() => admin.POST('/organization', { body: { name: 'x' } as never }));
    typeOnly(() => admin.GET('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'o1' } } }));
    // @ts-expect-error agency:read is not part of admin
    typeOnly(() => admin.GET('/agency/overview'));
    const agency = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['agency:read', 'agency:write'], fetch: recordingFetch() });
    typeOnly(() => agency.GET('/agency/overview'));
    typeOnly(() => agency.POST('/agency/sub-organizations', { body: { name: 'x' } as never }));
    // @ts-expect-error agency scopes do not read the organization's own data
    typeOnly(() => agency.GET('/organization/list'));
    expect(typeof admin.GET).toBe('function');
  });

  it('Partner API: scopes ["read"] leaves out write and admin operations; no scopes leaves everything', () => {
    const reader = createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['read'], fetch: recordingFetch() });
    expectTypeOf(reader).toEqualTypeOf<PartnerClient<'read'>>();
    typeOnly(() => reader.GET('/partner/me'));
    typeOnly(() => reader.paginate('/partner/organizations'));
    // @ts-expect-error creating an organization needs `write`
    typeOnly(() => reader.POST('/partner/organizations', { body: { name: 'Acme' } }));
    // @ts-expect-error billing needs `admin`
    typeOnly(() => reader.GET('/partner/billing'));
    const writer = createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['write'], fetch: recordingFetch() });
    typeOnly(() => writer.POST('/partner/organizations', { body: { name: 'Acme' } }));
    // The docs: `write` is "read and write access".
    typeOnly(() => writer.GET('/partner/me'));
    // @ts-expect-error but not the API keys and billing of `admin`
    typeOnly(() => writer.GET('/partner/billing'));
    const full = createPartnerClient({ apiKey: PARTNER_KEY, fetch: recordingFetch() });
    expectTypeOf(full).toEqualTypeOf<PartnerClient>();
    typeOnly(() => full.GET('/partner/billing'));
    typeOnly(() => full.POST('/partner/api-keys', { body: { name: 'CI' } }));
    // @ts-expect-error an unknown scope
    typeOnly(() => createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['superuser'] }));
    // @ts-expect-error an Organization API scope on a Partner client
    typeOnly(() => createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['agency:read'] }));
    expect(typeof full.GET).toBe('function');
  });
});

describe('at run time', () => {
  it('Organization API: a write call on a read client throws PermissionError naming the scope, before any request', async () => {
    const fetch = recordingFetch();
    const org = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['read'], fetch });
    const loose = org as unknown as OrganizationClient;
    const err = await rejectionOf(loose.POST('/lists/save', { body: { name: 'x' } as never }));
    expect(err).toBeInstanceOf(PermissionError);
    const e = err as PermissionError;
    expect(e).toMatchObject({ code: 'missing_scope', status: undefined, requiredScopes: ['write'], operation: { operationId: 'saveList' } });
    expect(e.message).toContain('requires the scope "write"');
    expect(e.message).toContain('"read"');
    expectNoKey(e);
    const admin = await rejectionOf(loose.GET('/organization/{organization_id}/api-keys', { params: { path: { organization_id: 'o1' } } }));
    expect(admin).toMatchObject({ code: 'missing_scope', requiredScopes: ['admin'] });
    const pages = await rejectionOf(loose.paginate('/agency/sub-organizations').next());
    expect(pages).toMatchObject({ code: 'missing_scope', requiredScopes: ['agency:read'] });
    expect(fetch).not.toHaveBeenCalled();
    // A call the scopes cover goes out.
    await org.GET('/organization/list');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('Partner API: the same, and admin covers read and write', async () => {
    const fetch = recordingFetch();
    const reader = createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['read'], fetch }) as unknown as PartnerClient;
    const err = await rejectionOf(reader.GET('/partner/billing'));
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ requiredScopes: ['admin'], operation: { operationId: 'getPartnerBilling' } });
    expect(fetch).not.toHaveBeenCalled();
    const admin = createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['admin'], fetch });
    await admin.GET('/partner/me');
    await admin.POST('/partner/organizations', { body: { name: 'Acme' } });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('without scopes nothing is refused up front: the server decides (403 becomes PermissionError with its status)', async () => {
    const fetch = recordingFetch(403, { code: 'Forbidden', message: 'Missing scope', details: {} });
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch, maxRetries: 0 });
    const err = await rejectionOf(unwrap(client.GET('/partner/billing')));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ status: 403, code: 'Forbidden', requiredScopes: ['admin'] });
  });

  it('write includes read at run time too, on both APIs (Partner docs; Organization: D14)', async () => {
    const fetch = recordingFetch();
    await createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['write'], fetch }).GET('/partner/me');
    await createOrganizationClient({ apiKey: ORG_KEY, scopes: ['write'], fetch }).GET('/organization/list');
    await createOrganizationClient({ apiKey: ORG_KEY, scopes: ['agency:write'], fetch }).GET('/agency/overview');
    expect(fetch).toHaveBeenCalledTimes(3);
    const writer = createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['write'], fetch }) as unknown as PartnerClient;
    expect(await rejectionOf(writer.GET('/partner/billing'))).toMatchObject({ code: 'missing_scope', requiredScopes: ['admin'] });
    const orgAdmin = createOrganizationClient({ apiKey: ORG_KEY, scopes: ['admin'], fetch }) as unknown as OrganizationClient;
    expect(await rejectionOf(orgAdmin.GET('/agency/overview'))).toMatchObject({ code: 'missing_scope', requiredScopes: ['agency:read'] });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('refuses an empty or unknown scope list at construction, listing the valid scopes of that API', () => {
    expect(() => createPartnerClient({ apiKey: PARTNER_KEY, scopes: [] })).toThrow(ConfigurationError);
    expect(() => createOrganizationClient({ apiKey: ORG_KEY, scopes: ['superuser' as 'read'] })).toThrow(
      'unknown scope "superuser"; the Organization API scopes are read, write, admin, agency:read, agency:write',
    );
    // A scope of the other API is unknown here.
    expect(() => createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['agency:read' as 'read'] })).toThrow('unknown scope "agency:read"; the Partner API scopes are read, write, admin');
    expect(() => createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['reed' as 'read'] })).toThrow(ConfigurationError);
  });
});
