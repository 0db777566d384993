// Clients for contract tests: one with a key per API, and key-less ones that strip the key header
// in the transport (the SDK itself refuses to be created without a key).
import { createOrganizationClient, createPartnerClient, type OrganizationClient, type PartnerClient } from '../../src/index.js';

export const PARTNER_TEST_KEY = 'pk_live_contract0test0key0000000000000';
export const ORGANIZATION_TEST_KEY = 'bsk_live_0123456789abcdef0123456789abcdef';

const stripHeader =
  (header: string): typeof fetch =>
  (input, init) => {
    const req = new Request(input, init);
    req.headers.delete(header);
    return fetch(req);
  };

const noRetry = { maxRetries: 0 };

export function partnerClient(baseUrl: string, opts: { withKey?: boolean } = {}): PartnerClient {
  return createPartnerClient({
    apiKey: PARTNER_TEST_KEY,
    baseUrl,
    ...noRetry,
    ...(opts.withKey === false ? { fetch: stripHeader('X-Partner-API-Key') } : {}),
  });
}

export function organizationClient(baseUrl: string, opts: { withKey?: boolean } = {}): OrganizationClient {
  return createOrganizationClient({
    apiKey: ORGANIZATION_TEST_KEY,
    baseUrl,
    ...noRetry,
    ...(opts.withKey === false ? { fetch: stripHeader('X-API-Key') } : {}),
  });
}
