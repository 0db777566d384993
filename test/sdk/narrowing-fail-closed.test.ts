// Scope narrowing never fails open: a scoped client sends only operations of its own API that its
// scopes grant, however the path is written, and no client sends a path with a `.` or `..`
// segment. Every case is refused before any request (the injected fetch counts the calls).
import { describe, expect, it, vi } from 'vitest';
import { PermissionError, ValidationError, createOrganizationClient, createPartnerClient, type OrganizationClient, type PartnerClient } from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY, expectNoKey, rejectionOf } from './support/helpers.js';

function countingFetch() {
  return vi.fn(async (_req: Request) => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

type Loose = { request(method: string, path: string, init?: unknown): Promise<unknown> } & Record<'GET' | 'DELETE' | 'POST', (path: string, init?: unknown) => Promise<unknown>>;
const loose = (c: OrganizationClient<never> | PartnerClient<never> | OrganizationClient | PartnerClient): Loose => c as unknown as Loose;

describe('a client with scopes ["read"]', () => {
  const cases: [string, string, unknown][] = [
    ['the literal path of a key', '/organization/o/api-keys/k', undefined],
    ['the template with a trailing slash', '/organization/{organization_id}/api-keys/{key_id}/', { params: { path: { organization_id: 'o', key_id: 'k' } } }],
    ['the template with a renamed placeholder', '/organization/{org}/api-keys/{key}', { params: { path: { org: 'o', key: 'k' } } }],
    ['the literal path with a trailing slash', '/organization/o/api-keys/k/', undefined],
    ['the literal path with a doubled slash', '/organization/o//api-keys/k', undefined],
    ['the literal path with a query string', '/organization/o/api-keys/k?x=1', undefined],
    ['a path of no operation', '/organization/o/api-keys/k/extra', undefined],
    ['a path of the other API', '/partner/api-keys/k', undefined],
  ];
  for (const [what, path, init] of cases) {
    it(`refuses DELETE on ${what}, before any request`, async () => {
      const fetch = countingFetch();
      const client = loose(createOrganizationClient({ apiKey: ORG_KEY, scopes: ['read'], fetch }));
      const err = await rejectionOf(client.DELETE(path, init));
      expect(err instanceof PermissionError || err instanceof ValidationError, String(err)).toBe(true);
      expectNoKey(err);
      expect(fetch).not.toHaveBeenCalled();
    });
  }

  it('resolves a literal path to its template: its operation and scope are named', async () => {
    const fetch = countingFetch();
    const client = loose(createOrganizationClient({ apiKey: ORG_KEY, scopes: ['read'], fetch }));
    const err = await rejectionOf(client.DELETE('/organization/o/api-keys/k'));
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ code: 'missing_scope', requiredScopes: ['admin'], operation: { operationId: 'revokeOrganizationApiKey', path: '/organization/{organization_id}/api-keys/{key_id}' } });
    // The same literal form of an operation the scope grants goes out.
    await client.GET('/companies/c1/visitors', { params: { query: { organizationId: 'o1' } } });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new URL(fetch.mock.calls[0]![0].url).pathname).toBe('/api/v1/companies/c1/visitors');
  });

  it('a path of no operation is refused as unknown_operation, even for GET', async () => {
    const fetch = countingFetch();
    const client = loose(createPartnerClient({ apiKey: PARTNER_KEY, scopes: ['admin'], fetch }));
    for (const path of ['/partner', '/partner/', '/partner/me/', '/partner/nothing', '/companies']) {
      expect(await rejectionOf(client.GET(path)), path).toMatchObject({ code: 'unknown_operation' });
    }
    expect(await rejectionOf(client.POST('/partner/me')), 'a method the path does not have').toMatchObject({ code: 'unknown_operation' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('no client sends a "." or ".." segment', () => {
  const paths = ['/partner/api-keys/..', '/partner/api-keys/.', '/partner/api-keys/%2e%2e', '/partner/api-keys/%2E.', '/partner/me/../api-keys', '/partner/api-keys/..\\', '/partner/api-keys\\..\\x'];
  for (const scoped of [true, false]) {
    for (const path of paths) {
      it(`${scoped ? 'scoped' : 'unscoped'} client: DELETE ${path} is refused`, async () => {
        const fetch = countingFetch();
        const client = loose(createPartnerClient({ apiKey: PARTNER_KEY, fetch, ...(scoped ? { scopes: ['admin'] as const } : {}) }));
        const err = await rejectionOf(client.DELETE(path));
        expect(err).toBeInstanceOf(ValidationError);
        expect(err).toMatchObject({ code: 'invalid_path' });
        expect(fetch).not.toHaveBeenCalled();
      });
    }
  }

  it('a placeholder value of "." or ".." is refused too (with request() as with the methods)', async () => {
    const fetch = countingFetch();
    const client = loose(createPartnerClient({ apiKey: PARTNER_KEY, fetch }));
    for (const keyId of ['..', '.']) {
      expect(await rejectionOf(client.request('DELETE', '/partner/api-keys/{keyId}', { params: { path: { keyId } } }))).toMatchObject({ code: 'invalid_path_parameter' });
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it('an unscoped client refuses a placeholder the spec does not have, and still sends literal paths', async () => {
    const fetch = countingFetch();
    const client = loose(createOrganizationClient({ apiKey: ORG_KEY, fetch }));
    expect(await rejectionOf(client.DELETE('/organization/{org}/api-keys/{key}', { params: { path: { org: 'o', key: 'k' } } }))).toMatchObject({ code: 'invalid_path' });
    expect(fetch).not.toHaveBeenCalled();
    await client.DELETE('/organization/o/api-keys/k');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
