import type { PartnerClient } from '../../../src/index.js';
import type { ContractCase } from './types.js';

export const partnerCases: Record<string, ContractCase<PartnerClient>> = {
  getPartner: {
    call: (c) => c.GET('/partner/me'),
  },
  listPartnerApiKeys: {
    call: (c) => c.GET('/partner/api-keys'),
  },
  createPartnerApiKey: {
    call: (c) => c.POST('/partner/api-keys', { body: { name: 'Production Key', scopes: ['read', 'write'] } }),
    // @ts-expect-error -- name is required
    invalid: (c) => c.POST('/partner/api-keys', { body: { scopes: ['read'] } }),
  },
  revokePartnerApiKey: {
    call: (c) => c.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: '550e8400-e29b-41d4-a716-446655440000' } } }),
    invalid: (c) => c.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: 'not-a-uuid' } } }),
  },
};
