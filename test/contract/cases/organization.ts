// One contract case per Organization API operation, keyed by operationId. Ids and bodies match the
// spec's examples (organization `org_abc123`, list `list_xyz789`, ICP config `enterprise-saas`, …).
// Invalid requests break one rule each: a missing required field, a wrong type, a value outside an
// enum or range, or a path parameter that does not match its pattern.
import type { OrganizationClient } from '../../../src/index.js';
import type { ContractCase } from './types.js';

const ORG = 'org_abc123';
const KEY_ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const BAD_ID = 'not a valid id!';
const org = { organization_id: ORG };
const badOrg = { organization_id: BAD_ID };
const filter = { industries: ['Software'], job_titles: ['VP Marketing'], countries: ['US'], company_sizes: ['201-500'] };

export const organizationCases: Record<string, ContractCase<OrganizationClient>> = {
  // API keys
  listOrganizationApiKeys: {
    call: (c) => c.GET('/organization/{organization_id}/api-keys', { params: { path: org } }),
    invalid: (c) => c.GET('/organization/{organization_id}/api-keys', { params: { path: badOrg } }),
  },
  createOrganizationApiKey: {
    call: (c) =>
      c.POST('/organization/{organization_id}/api-keys', {
        params: { path: org },
        body: { name: 'CRM Sync', scopes: ['read'], expiresAt: '2036-12-31T23:59:59Z' },
      }),
    invalid: (c) =>
      // @ts-expect-error -- `delete` is not a scope
      c.POST('/organization/{organization_id}/api-keys', { params: { path: org }, body: { name: 'CRM Sync', scopes: ['delete'] } }),
  },
  revokeOrganizationApiKey: {
    call: (c) => c.DELETE('/organization/{organization_id}/api-keys/{key_id}', { params: { path: { ...org, key_id: KEY_ID } } }),
    invalid: (c) => c.DELETE('/organization/{organization_id}/api-keys/{key_id}', { params: { path: { ...org, key_id: 'not-a-uuid' } } }),
  },

  // Organizations
  createOrganization: {
    call: (c) => c.POST('/organization', { body: { organizationName: 'Acme Corp', domain: 'acme.com' } }),
    // @ts-expect-error -- organizationName is required
    invalid: (c) => c.POST('/organization', { body: { domain: 'acme.com' } }),
  },
  listOrganizations: {
    call: (c) => c.GET('/organization/list'),
  },
  getOrganization: {
    call: (c) => c.GET('/organization/{organization_id}', { params: { path: org } }),
    invalid: (c) => c.GET('/organization/{organization_id}', { params: { path: badOrg } }),
  },
  updateOrganization: {
    call: (c) => c.PUT('/organization/{organization_id}', { params: { path: org }, body: { name: 'Acme Corporation' } }),
    // @ts-expect-error -- name must be a string
    invalid: (c) => c.PUT('/organization/{organization_id}', { params: { path: org }, body: { name: 42 } }),
  },
  removeOrganizationMember: {
    call: (c) => c.DELETE('/organization/{organization_id}/member/{user_id}', { params: { path: { ...org, user_id: 'user_def456' } } }),
    invalid: (c) => c.DELETE('/organization/{organization_id}/member/{user_id}', { params: { path: { ...org, user_id: BAD_ID } } }),
  },
  setOrganizationMaxOverages: {
    call: (c) => c.PATCH('/organization/{organization_id}/max-overages', { params: { path: org }, body: { maxOverages: 500 } }),
    invalid: (c) => c.PATCH('/organization/{organization_id}/max-overages', { params: { path: org }, body: { maxOverages: -1 } }),
  },

  // Companies
  listCompanies: {
    call: (c) =>
      c.GET('/companies', {
        params: { query: { organizationId: ORG, page: 1, limit: 20, from: '2026-02-01', to: '2026-02-28', ICPOnly: true, fields: 'domain,industry' } },
      }),
    invalid: (c) => c.GET('/companies', { params: { query: { organizationId: ORG, limit: 0 } } }),
  },
  listOrganizationVisitors: {
    call: (c) => c.GET('/companies/visitors', { params: { query: { organizationId: ORG, page: 1, limit: 20 } } }),
    // @ts-expect-error -- organizationId is required
    invalid: (c) => c.GET('/companies/visitors', { params: { query: { page: 1 } } }),
  },
  listCompanyVisitors: {
    call: (c) => c.GET('/companies/{company_id}/visitors', { params: { path: { company_id: 'cmp_8d2f1a' }, query: { organizationId: ORG } } }),
    invalid: (c) => c.GET('/companies/{company_id}/visitors', { params: { path: { company_id: 'cmp_8d2f1a' }, query: { organizationId: ORG, page: 0 } } }),
  },
  downloadCompanies: {
    call: (c) => c.GET('/companies/download', { params: { query: { organizationId: ORG, ICPOnly: true } }, parseAs: 'text' }),
    invalid: (c) => c.GET('/companies/download', { params: { query: { organizationId: ORG, from: 'last week' } }, parseAs: 'text' }),
  },
  getCompanyStatisticsTotal: {
    call: (c) =>
      c.GET('/companies/statistic/{organization_id}/total', { params: { path: org, query: { from: '2026-02-01', to: '2026-02-28' } } }),
    invalid: (c) => c.GET('/companies/statistic/{organization_id}/total', { params: { path: badOrg } }),
  },
  getVisitorChart: {
    call: (c) => c.GET('/companies/statistic/{organization_id}/visitors/chart', { params: { path: org, query: { interval: 'day' } } }),
    invalid: (c) =>
      // @ts-expect-error -- `hour` is not an interval
      c.GET('/companies/statistic/{organization_id}/visitors/chart', { params: { path: org, query: { interval: 'hour' } } }),
  },

  // Lists
  getLists: {
    call: (c) => c.GET('/lists/{id}', { params: { path: { id: ORG } } }),
    invalid: (c) => c.GET('/lists/{id}', { params: { path: { id: BAD_ID } } }),
  },
  deleteList: {
    call: (c) => c.DELETE('/lists/{id}', { params: { path: { id: 'list_xyz789' } } }),
    invalid: (c) => c.DELETE('/lists/{id}', { params: { path: { id: BAD_ID } } }),
  },
  saveList: {
    call: (c) => c.POST('/lists/save', { body: { organizationId: ORG, listName: 'SaaS decision makers', contacts_found: 1250, filter } }),
    // @ts-expect-error -- contacts_found is required
    invalid: (c) => c.POST('/lists/save', { body: { organizationId: ORG, listName: 'SaaS decision makers', filter } }),
  },
  refreshList: {
    call: (c) => c.POST('/lists/refresh/{id}', { params: { path: { id: 'list_xyz789' } } }),
    invalid: (c) => c.POST('/lists/refresh/{id}', { params: { path: { id: BAD_ID } } }),
  },

  // ICP configs
  listOrganizationIcpConfigs: {
    call: (c) => c.GET('/organizations/{organization_id}/icp-configs', { params: { path: org } }),
    invalid: (c) => c.GET('/organizations/{organization_id}/icp-configs', { params: { path: badOrg } }),
  },
  createOrganizationIcpConfig: {
    call: (c) =>
      c.POST('/organizations/{organization_id}/icp-configs', {
        params: { path: org },
        body: { slug: 'enterprise-saas', name: 'Enterprise SaaS', filter },
      }),
    invalid: (c) =>
      c.POST('/organizations/{organization_id}/icp-configs', { params: { path: org }, body: { slug: 'Enterprise SaaS', name: 'Enterprise SaaS', filter } }),
  },
  getOrganizationIcpConfigStats: {
    call: (c) => c.GET('/organizations/{organization_id}/icp-configs/stats', { params: { path: org } }),
    invalid: (c) => c.GET('/organizations/{organization_id}/icp-configs/stats', { params: { path: badOrg } }),
  },
  getOrganizationIcpConfig: {
    call: (c) => c.GET('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { ...org, slug: 'enterprise-saas' } } }),
    invalid: (c) => c.GET('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { ...badOrg, slug: 'enterprise-saas' } } }),
  },
  updateOrganizationIcpConfig: {
    call: (c) =>
      c.PUT('/organizations/{organization_id}/icp-configs/{slug}', {
        params: { path: { ...org, slug: 'enterprise-saas' } },
        body: { name: 'Enterprise SaaS (US)', isActive: true },
      }),
    invalid: (c) =>
      c.PUT('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { ...org, slug: 'enterprise-saas' } }, body: {} }),
  },
  deleteOrganizationIcpConfig: {
    call: (c) => c.DELETE('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { ...org, slug: 'mid-market-fintech' } } }),
    invalid: (c) => c.DELETE('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { ...badOrg, slug: 'enterprise-saas' } } }),
  },
  recalculateOrganizationIcpConfig: {
    call: (c) =>
      c.POST('/organizations/{organization_id}/icp-configs/{slug}/recalculate', { params: { path: { ...org, slug: 'enterprise-saas' } } }),
    invalid: (c) =>
      c.POST('/organizations/{organization_id}/icp-configs/{slug}/recalculate', { params: { path: { ...badOrg, slug: 'enterprise-saas' } } }),
  },

  // Integrations
  listIntegrations: {
    call: (c) => c.GET('/integrations/{organization_id}', { params: { path: org } }),
    invalid: (c) => c.GET('/integrations/{organization_id}', { params: { path: badOrg } }),
  },
  listIntegrationFlows: {
    call: (c) => c.GET('/integrations/{organization_id}/flows', { params: { path: org } }),
    invalid: (c) => c.GET('/integrations/{organization_id}/flows', { params: { path: badOrg } }),
  },
  getIntegrationFlow: {
    call: (c) => c.GET('/integrations/{organization_id}/flows/{flow_id}', { params: { path: { ...org, flow_id: 'flow_7h2k9d' } } }),
    invalid: (c) => c.GET('/integrations/{organization_id}/flows/{flow_id}', { params: { path: { ...org, flow_id: BAD_ID } } }),
  },
  deleteIntegrationFlow: {
    call: (c) => c.DELETE('/integrations/{organization_id}/flows/{flow_id}', { params: { path: { ...org, flow_id: 'flow_2b6x4n' } } }),
    invalid: (c) => c.DELETE('/integrations/{organization_id}/flows/{flow_id}', { params: { path: { ...org, flow_id: BAD_ID } } }),
  },
  createIntegrationFlow: {
    call: (c) =>
      c.POST('/integrations/flows', {
        body: { organizationId: ORG, name: 'Push ICP visitors to HubSpot', integrationType: 'hubspot', trigger: 'visitor_identified', icpSlug: 'enterprise-saas' },
      }),
    invalid: (c) =>
      c.POST('/integrations/flows', {
        // @ts-expect-error -- `page_view` is not a trigger
        body: { organizationId: ORG, name: 'Push ICP visitors to HubSpot', integrationType: 'hubspot', trigger: 'page_view' },
      }),
  },
  createIntegratorToken: {
    call: (c) => c.POST('/integrations/integrator/token', { body: { organizationId: ORG } }),
    // @ts-expect-error -- organizationId is required
    invalid: (c) => c.POST('/integrations/integrator/token', { body: {} }),
  },
  selectIntegrationAccount: {
    call: (c) =>
      c.POST('/integrations/account/select', { body: { organizationId: ORG, integrationType: 'linkedin_ads', accountId: '508799001' } }),
    // @ts-expect-error -- accountId is required
    invalid: (c) => c.POST('/integrations/account/select', { body: { organizationId: ORG, integrationType: 'linkedin_ads' } }),
  },
  requestIntegrationInstall: {
    call: (c) => c.GET('/integrations/request-install', { params: { query: { organizationId: ORG, integrationType: 'salesforce' } } }),
    // @ts-expect-error -- integrationType is required
    invalid: (c) => c.GET('/integrations/request-install', { params: { query: { organizationId: ORG } } }),
  },

  // Payments
  listSubscriptionPlans: {
    call: (c) => c.GET('/payment/subscription-plans', { params: { query: { organizationId: ORG } } }),
    // @ts-expect-error -- organizationId is required
    invalid: (c) => c.GET('/payment/subscription-plans', { params: { query: {} } }),
  },
  createSubscriptionCheckout: {
    call: (c) =>
      c.POST('/payment/subscription-checkout', {
        body: { organizationId: ORG, priceId: 'price_scale_monthly', productId: 'prod_scale', successUrl: 'https://app.acme.com/billing/success' },
      }),
    // @ts-expect-error -- priceId is required
    invalid: (c) => c.POST('/payment/subscription-checkout', { body: { organizationId: ORG, productId: 'prod_scale' } }),
  },
  processSubscription: {
    call: (c) => c.POST('/payment/subscription-process', { params: { query: { secret: 'cs_live_a1B2c3D4e5F6g7H8' } } }),
    // @ts-expect-error -- secret is required
    invalid: (c) => c.POST('/payment/subscription-process', { params: { query: {} } }),
  },
  updateSubscription: {
    call: (c) =>
      c.POST('/payment/subscription-update', { body: { organizationId: ORG, priceId: 'price_expansion_monthly', productId: 'prod_expansion' } }),
    // @ts-expect-error -- productId is required
    invalid: (c) => c.POST('/payment/subscription-update', { body: { organizationId: ORG, priceId: 'price_expansion_monthly' } }),
  },
  cancelSubscription: {
    call: (c) => c.POST('/payment/subscription-cancel', { body: { organizationId: ORG } }),
    // @ts-expect-error -- organizationId must be a string
    invalid: (c) => c.POST('/payment/subscription-cancel', { body: { organizationId: 123 } }),
  },
  getCustomerInfo: {
    call: (c) => c.GET('/payment/customer-info', { params: { query: { organizationId: ORG } } }),
    invalid: (c) => c.GET('/payment/customer-info', { params: { query: { organizationId: BAD_ID } } }),
  },
  createCustomerPortalSession: {
    call: (c) => c.POST('/payment/customer-portal', { body: { organizationId: ORG, returnUrl: 'https://app.acme.com/billing' } }),
    invalid: (c) => c.POST('/payment/customer-portal', { body: { organizationId: ORG, returnUrl: 'not a url' } }),
  },

  // Agency
  getAgencyOverview: {
    call: (c) => c.GET('/agency/overview'),
  },
  listAgencySubOrganizations: {
    call: (c) => c.GET('/agency/sub-organizations', { params: { query: { page: 1, limit: 20 } } }),
    invalid: (c) => c.GET('/agency/sub-organizations', { params: { query: { page: 0 } } }),
  },
  createAgencySubOrganization: {
    call: (c) => c.POST('/agency/sub-organizations', { body: { name: 'Initech Software', domain: 'initech.io' } }),
    // @ts-expect-error -- name is required
    invalid: (c) => c.POST('/agency/sub-organizations', { body: { domain: 'initech.io' } }),
  },
  getAgencySubOrganization: {
    call: (c) => c.GET('/agency/sub-organizations/{organization_id}', { params: { path: { organization_id: 'org_ghi789' } } }),
    invalid: (c) => c.GET('/agency/sub-organizations/{organization_id}', { params: { path: badOrg } }),
  },
  updateAgencySubOrganization: {
    call: (c) =>
      c.PUT('/agency/sub-organizations/{organization_id}', { params: { path: { organization_id: 'org_ghi789' } }, body: { status: 'disabled' } }),
    invalid: (c) =>
      // @ts-expect-error -- `paused` is not a status
      c.PUT('/agency/sub-organizations/{organization_id}', { params: { path: { organization_id: 'org_ghi789' } }, body: { status: 'paused' } }),
  },
};
