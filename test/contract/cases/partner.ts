import type { PartnerClient } from '../../../src/index.js';
import type { ContractCase } from './types.js';

// Ids shared by the spec's examples, so requests read like the documented story.
const ORG_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const orgPath = { organizationId: ORG_ID };
const NOT_A_UUID = 'not-a-uuid';

const enterpriseSaasGroups = [
  {
    operator: 'AND' as const,
    conditions: [
      { type: 'industry' as const, comparator: 'in', value: ['Technology', 'SaaS'], optional: false },
      { type: 'company_size' as const, comparator: 'gte', value: 50, optional: false },
    ],
  },
];

export const partnerCases: Record<string, ContractCase<PartnerClient>> = {
  // Partner Account
  getPartner: {
    call: (c) => c.GET('/partner/me'),
  },
  getPartnerScriptConfig: {
    call: (c) => c.GET('/partner/script-config'),
  },

  // Partner Branding
  updatePartnerBranding: {
    call: (c) => c.PUT('/partner/branding', { body: { primaryColor: '#0066cc', companyName: 'Northwind Growth Ltd' } }),
    invalid: (c) => c.PUT('/partner/branding', { body: { primaryColor: 'blue' } }),
  },

  // Partner API Keys
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
    invalid: (c) => c.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: NOT_A_UUID } } }),
  },

  // Partner Organizations
  listPartnerOrganizations: {
    call: (c) => c.GET('/partner/organizations', { params: { query: { page: 1, pageSize: 20, status: 'active', externalId: 'acme-123' } } }),
    // @ts-expect-error -- `deleted` is not an organization status
    invalid: (c) => c.GET('/partner/organizations', { params: { query: { status: 'deleted' } } }),
  },
  createPartnerOrganization: {
    call: (c) =>
      c.POST('/partner/organizations', {
        body: { name: 'Acme Corp', externalId: 'acme-123', initialCredits: 500, tier: 'trial', billingPeriod: 'monthly', billingDayOfMonth: 1, productType: 'B2B' },
      }),
    // @ts-expect-error -- name is required
    invalid: (c) => c.POST('/partner/organizations', { body: { externalId: 'acme-123' } }),
  },
  getPartnerOrganization: {
    call: (c) => c.GET('/partner/organizations/{organizationId}', { params: { path: orgPath } }),
    invalid: (c) => c.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: NOT_A_UUID } } }),
  },
  updatePartnerOrganization: {
    call: (c) =>
      c.PUT('/partner/organizations/{organizationId}', { params: { path: orgPath }, body: { metadata: { source: 'signup' }, billingDayOfMonth: 15 } }),
    invalid: (c) => c.PUT('/partner/organizations/{organizationId}', { params: { path: orgPath }, body: { billingDayOfMonth: 31 } }),
  },
  deletePartnerOrganization: {
    call: (c) => c.DELETE('/partner/organizations/{organizationId}', { params: { path: orgPath } }),
    invalid: (c) => c.DELETE('/partner/organizations/{organizationId}', { params: { path: { organizationId: NOT_A_UUID } } }),
  },
  updatePartnerOrganizationStatus: {
    call: (c) => c.PUT('/partner/organizations/{organizationId}/status', { params: { path: orgPath }, body: { status: 'suspended' } }),
    // @ts-expect-error -- `canceled` is reached by deleting, not through the status operation
    invalid: (c) => c.PUT('/partner/organizations/{organizationId}/status', { params: { path: orgPath }, body: { status: 'canceled' } }),
  },
  updatePartnerOrganizationTier: {
    call: (c) => c.PUT('/partner/organizations/{organizationId}/tier', { params: { path: orgPath }, body: { tier: 'paid' } }),
    // @ts-expect-error -- only `trial` and `paid` exist
    invalid: (c) => c.PUT('/partner/organizations/{organizationId}/tier', { params: { path: orgPath }, body: { tier: 'enterprise' } }),
  },
  getPartnerOrganizationPixelConfig: {
    call: (c) => c.GET('/partner/organizations/{organizationId}/pixel-config', { params: { path: orgPath } }),
    invalid: (c) => c.GET('/partner/organizations/{organizationId}/pixel-config', { params: { path: { organizationId: NOT_A_UUID } } }),
  },
  updatePartnerOrganizationPixelConfig: {
    call: (c) =>
      c.PUT('/partner/organizations/{organizationId}/pixel-config', { params: { path: orgPath }, body: { allowedReferrerDomains: ['acme.com', 'www.acme.com'] } }),
    // @ts-expect-error -- allowedReferrerDomains is required
    invalid: (c) => c.PUT('/partner/organizations/{organizationId}/pixel-config', { params: { path: orgPath }, body: {} }),
  },
  listPartnerOrganizationVisitors: {
    call: (c) => c.GET('/partner/organizations/{organizationId}/visitors', { params: { path: orgPath, query: { page: 1, pageSize: 20 } } }),
    invalid: (c) => c.GET('/partner/organizations/{organizationId}/visitors', { params: { path: orgPath, query: { pageSize: 0 } } }),
  },

  // Partner Billing
  allocatePartnerOrganizationCredits: {
    call: (c) =>
      c.PUT('/partner/organizations/{organizationId}/credits', { params: { path: orgPath }, body: { credits: 1000, notes: 'Monthly allocation for Acme Corp' } }),
    invalid: (c) => c.PUT('/partner/organizations/{organizationId}/credits', { params: { path: orgPath }, body: { credits: -5 } }),
  },
  getPartnerBilling: {
    call: (c) => c.GET('/partner/billing'),
  },
  getPartnerBillingUsage: {
    call: (c) => c.GET('/partner/billing/usage'),
  },
  calculatePartnerBilling: {
    call: (c) => c.GET('/partner/billing/calculate', { params: { query: { usage: 2500 } } }),
    // @ts-expect-error -- usage is required
    invalid: (c) => c.GET('/partner/billing/calculate', { params: { query: {} } }),
  },

  // Partner ICP Configs
  listPartnerIcpConfigs: {
    call: (c) => c.GET('/partner/organizations/{organizationId}/icp-configs', { params: { path: orgPath } }),
    invalid: (c) => c.GET('/partner/organizations/{organizationId}/icp-configs', { params: { path: { organizationId: NOT_A_UUID } } }),
  },
  createPartnerIcpConfig: {
    call: (c) =>
      c.POST('/partner/organizations/{organizationId}/icp-configs', {
        params: { path: orgPath },
        body: { slug: 'enterprise-saas', name: 'Enterprise SaaS', groups: enterpriseSaasGroups },
      }),
    invalid: (c) =>
      c.POST('/partner/organizations/{organizationId}/icp-configs', {
        params: { path: orgPath },
        body: {
          slug: 'enterprise-saas',
          name: 'Enterprise SaaS',
          // @ts-expect-error -- `XOR` is not a group operator
          groups: [{ operator: 'XOR', conditions: enterpriseSaasGroups[0]!.conditions }],
        },
      }),
  },
  getPartnerIcpConfig: {
    call: (c) => c.GET('/partner/organizations/{organizationId}/icp-configs/{slug}', { params: { path: { ...orgPath, slug: 'enterprise-saas' } } }),
    invalid: (c) => c.GET('/partner/organizations/{organizationId}/icp-configs/{slug}', { params: { path: { organizationId: NOT_A_UUID, slug: 'enterprise-saas' } } }),
  },
  updatePartnerIcpConfig: {
    call: (c) =>
      c.PUT('/partner/organizations/{organizationId}/icp-configs/{slug}', {
        params: { path: { ...orgPath, slug: 'enterprise-saas' } },
        body: { name: 'Enterprise SaaS', groups: enterpriseSaasGroups },
      }),
    invalid: (c) =>
      c.PUT('/partner/organizations/{organizationId}/icp-configs/{slug}', {
        params: { path: { ...orgPath, slug: 'enterprise-saas' } },
        // @ts-expect-error -- a group's operator is `AND` or `OR` (condition types are an open set, D10)
        body: { groups: [{ operator: 'XOR', conditions: [{ type: 'company_size', comparator: 'gte', value: 50 }] }] },
      }),
  },
  deletePartnerIcpConfig: {
    call: (c) => c.DELETE('/partner/organizations/{organizationId}/icp-configs/{slug}', { params: { path: { ...orgPath, slug: 'enterprise-saas' } } }),
    invalid: (c) => c.DELETE('/partner/organizations/{organizationId}/icp-configs/{slug}', { params: { path: { organizationId: NOT_A_UUID, slug: 'enterprise-saas' } } }),
  },

  // Partner Webhooks
  getPartnerWebhooks: {
    call: (c) => c.GET('/partner/webhooks'),
  },
  updatePartnerIdentificationWebhook: {
    call: (c) =>
      c.PUT('/partner/webhooks/identification', {
        body: { url: 'https://hooks.northwind.io/bullseye/identify', secret: 'whsec_your_webhook_secret', enabled: true },
      }),
    // @ts-expect-error -- enabled is a boolean
    invalid: (c) => c.PUT('/partner/webhooks/identification', { body: { enabled: 'yes' } }),
  },
  updatePartnerBillingWebhook: {
    call: (c) => c.PUT('/partner/webhooks/billing', { body: { url: 'https://hooks.northwind.io/bullseye/billing', enabled: true } }),
    invalid: (c) => c.PUT('/partner/webhooks/billing', { body: { url: 'not a url' } }),
  },
  sendPartnerTestWebhook: {
    call: (c) => c.POST('/partner/webhooks/test', { body: { type: 'identification' } }),
    // @ts-expect-error -- only `identification` and `billing` webhooks exist
    invalid: (c) => c.POST('/partner/webhooks/test', { body: { type: 'visitor.identified' } }),
  },
  listPartnerWebhookLogs: {
    call: (c) => c.GET('/partner/webhooks/logs', { params: { query: { page: 1, pageSize: 20, type: 'billing', status: 'failed', organizationId: ORG_ID } } }),
    invalid: (c) => c.GET('/partner/webhooks/logs', { params: { query: { organizationId: NOT_A_UUID } } }),
  },

  // Partner Domains
  setPartnerDomain: {
    call: (c) => c.PUT('/partner/domain', { body: { domain: 'track.northwind.io' } }),
    invalid: (c) => c.PUT('/partner/domain', { body: { domain: 'https://track.northwind.io/' } }),
  },
  getPartnerDomainVerification: {
    call: (c) => c.GET('/partner/domain/verification'),
  },
  verifyPartnerDomain: {
    call: (c) => c.POST('/partner/domain/verify'),
  },

  // Partner Analytics
  getPartnerAnalytics: {
    call: (c) => c.GET('/partner/analytics', { params: { query: { startDate: '2025-02-01', endDate: '2025-02-27' } } }),
    invalid: (c) => c.GET('/partner/analytics', { params: { query: { startDate: 'last month' } } }),
  },
  getPartnerUsage: {
    call: (c) => c.GET('/partner/usage', { params: { query: { startDate: '2025-02-01T00:00:00Z', endDate: '2025-02-27' } } }),
    invalid: (c) => c.GET('/partner/usage', { params: { query: { endDate: '27/02/2025' } } }),
  },
};
