// The one store behind both APIs: plain JSON records (so a snapshot is a `JSON.stringify` away),
// seeded from the spec's own examples so the docs' samples work against the sandbox, plus the
// sandbox's fixed keys. Records keep their creation order (`seq`) for stable pagination.
import { createHash } from 'node:crypto';
import { deref } from '../../../scripts/lib/spec.js';
import type { Contract, Json, JsonObject } from './spec.js';

/** The seeded keys: fake, fixed and documented, so samples and the README's curl line work. */
export const SEEDED_KEYS = {
  partner: 'pk_live_5a4db0c5000000000000000000000001',
  organization: {
    read: 'bsk_live_5a4db0c5000000000000000000000001',
    readWrite: 'bsk_live_5a4db0c5000000000000000000000002',
    admin: 'bsk_live_5a4db0c5000000000000000000000003',
    agency: 'bsk_live_5a4db0c5000000000000000000000004',
  },
} as const;

/** Secrets of the seeded webhooks (fake, documented): deliveries are signed with them. */
export const SEEDED_WEBHOOK_SECRETS = {
  identification: 'whsec_sandbox_identification',
  billing: 'whsec_sandbox_billing',
  organization: 'whsec_sandbox_organization',
} as const;

export type Rec = Record<string, Json>;

export interface KeyRecord {
  seq: number;
  /** SHA-256 of the key; the key itself is never stored (it is shown once, at creation). */
  hash: string | null;
  /** The API record, as listed. */
  record: Rec;
  /** Owner: the partner (Partner keys) or the organization (Organization keys). */
  ownerId: string;
}

export interface WebhookConfig {
  url: string | null;
  enabled: boolean;
  secret: string | null;
}

export interface Delivery {
  seq: number;
  id: string;
  partnerId: string | null;
  /** `identification`/`billing` for Partner webhooks, `organization` for an organization's webhook. */
  type: 'identification' | 'billing' | 'organization';
  organizationId: string | null;
  url: string;
  secret: string;
  body: string;
  status: 'pending' | 'success' | 'failed';
  responseStatus: number | null;
  attempts: number;
  error: string | null;
  test: boolean;
  createdAt: string;
  /** Sandbox time (ms) of the next attempt while pending. */
  nextAttemptAt: number | null;
}

export interface State {
  seq: number;
  /** Added to the real clock: the sandbox's time can only move forward. */
  clockOffsetMs: number;
  partners: Record<string, Rec>;
  partnerWebhooks: Record<string, { identification: WebhookConfig; billing: WebhookConfig }>;
  partnerDomains: Record<string, Rec | null>;
  partnerBilling: Record<string, Rec>;
  partnerKeys: Record<string, KeyRecord>;
  /** Organizations of both APIs: one record per organization (see the sandbox README). */
  organizations: Record<string, Rec & { seq: number }>;
  organizationKeys: Record<string, KeyRecord>;
  allocations: Record<string, Rec>;
  pixelConfigs: Record<string, Rec>;
  visitors: Record<string, Rec & { seq: number }>;
  companies: Record<string, Rec & { seq: number }>;
  lists: Record<string, Rec & { seq: number }>;
  partnerIcpConfigs: Record<string, Rec & { seq: number }>;
  organizationIcpConfigs: Record<string, Rec & { seq: number }>;
  integrations: Record<string, Rec[]>;
  flows: Record<string, Rec & { seq: number }>;
  plans: Rec[];
  customers: Record<string, Rec>;
  organizationWebhooks: Record<string, WebhookConfig>;
  deliveries: Record<string, Delivery>;
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A deterministic id from a name, for records the examples leave without one. */
export function stableId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The value of a response example of an operation (first example, or the one named). */
function example(contract: Contract, operationId: string, status: number, name?: string): Json {
  const op = contract.byId.get(operationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const pointer = op.responses.get(status);
  if (!pointer) throw new Error(`${operationId} has no ${status} JSON response`);
  const mediaPointer = pointer.replace(/\/schema$/, '');
  const { node: media } = deref<JsonObject>(contract.doc, { $ref: mediaPointer });
  const examples = (media?.examples ?? {}) as JsonObject;
  const chosen = name ? examples[name] : Object.values(examples)[0];
  const { node } = deref<JsonObject>(contract.doc, chosen);
  if (!node || !('value' in node)) throw new Error(`${operationId} ${status} has no example ${name ?? ''}`);
  return structuredClone(node.value);
}

const obj = (v: Json): Rec => v as Rec;
const arr = (v: Json): Rec[] => v as Rec[];

/** The seed: the spec's examples, joined up so the id a sample creates is the id it reads. */
export function seedFromSpec(contract: Contract): State {
  let seq = 0;
  const next = (): number => ++seq;
  const s: State = {
    seq: 0,
    clockOffsetMs: 0,
    partners: {},
    partnerWebhooks: {},
    partnerDomains: {},
    partnerBilling: {},
    partnerKeys: {},
    organizations: {},
    organizationKeys: {},
    allocations: {},
    pixelConfigs: {},
    visitors: {},
    companies: {},
    lists: {},
    partnerIcpConfigs: {},
    organizationIcpConfigs: {},
    integrations: {},
    flows: {},
    plans: [],
    customers: {},
    organizationWebhooks: {},
    deliveries: {},
  };

  // The partner account. Its webhooks start unconfigured (the `notConfigured` example): the
  // example URLs are hosts a local sandbox cannot reach.
  const partner = obj(obj(example(contract, 'getPartner', 200)).partner!);
  const partnerId = String(partner.id);
  Object.assign(partner, { identificationWebhookUrl: null, identificationWebhookEnabled: false, billingWebhookUrl: null, billingWebhookEnabled: false });
  s.partners[partnerId] = partner;
  s.partnerWebhooks[partnerId] = {
    identification: { url: null, enabled: false, secret: null },
    billing: { url: null, enabled: false, secret: null },
  };
  s.partnerDomains[partnerId] = obj(example(contract, 'getPartnerDomainVerification', 200));
  s.partnerBilling[partnerId] = obj(example(contract, 'getPartnerBilling', 200));

  for (const k of arr(obj(example(contract, 'listPartnerApiKeys', 200)).apiKeys!)) {
    s.partnerKeys[String(k.id)] = { seq: next(), hash: null, record: k, ownerId: partnerId };
  }
  const sandboxKeyId = stableId('sandbox partner key');
  s.partnerKeys[sandboxKeyId] = {
    seq: next(),
    hash: hashKey(SEEDED_KEYS.partner),
    ownerId: partnerId,
    record: { id: sandboxKeyId, name: 'Sandbox key (full access)', keyPrefix: SEEDED_KEYS.partner.slice(0, 14), scopes: [], status: 'active', expiresAt: null, lastUsedAt: null, createdAt: String(partner.createdAt) },
  };

  // The partner's client organizations.
  const pixel = obj(example(contract, 'getPartnerOrganizationPixelConfig', 200));
  for (const o of arr(obj(example(contract, 'listPartnerOrganizations', 200)).organizations!)) {
    const id = String(o.id);
    s.organizations[id] = {
      seq: next(),
      id,
      name: o.name!,
      domain: null,
      ownerUserId: null,
      maxOverages: null,
      members: [],
      createdAt: o.createdAt!,
      updatedAt: o.createdAt!,
      partnerId,
      agencyId: null,
      partner: { externalId: o.externalId!, status: o.status!, tier: o.tier!, credits: o.credits!, creditsUsed: 0, metadata: o.metadata!, billingPeriod: o.billingPeriod ?? 'monthly', billingDayOfMonth: o.billingDayOfMonth ?? 1, productType: o.productType ?? 'B2B' },
    };
    s.pixelConfigs[id] =
      pixel.organizationId === id ? pixel : { organizationId: id, pixelApiKey: `px_${hashKey(`pixel ${id}`).slice(0, 32)}`, allowedReferrerDomains: [] };
  }
  for (const v of arr(obj(example(contract, 'listPartnerOrganizationVisitors', 200)).visitors!)) {
    s.visitors[String(v.id)] = { seq: next(), ...v, location: [v.city, v.region, v.country].filter(Boolean).join(', ') || null, companyId: null, isIcp: false };
  }
  for (const c of arr(obj(example(contract, 'listPartnerIcpConfigs', 200)).icpConfigs!)) {
    s.partnerIcpConfigs[`${String(c.organizationId)}/${String(c.slug)}`] = { seq: next(), ...c };
  }

  // The Organization API's organizations: the user `user_xyz`'s two, and the agency's clients.
  for (const o of arr(example(contract, 'listOrganizations', 200))) {
    s.organizations[String(o.id)] = { seq: next(), ...o, partnerId: null, agencyId: null, partner: null };
  }
  const agencyId = String(obj(example(contract, 'getAgencyOverview', 200)).organizationId);
  const owner = String(s.organizations[agencyId]?.ownerUserId ?? 'user_xyz');
  for (const o of arr(obj(example(contract, 'listAgencySubOrganizations', 200)).data!)) {
    s.organizations[String(o.id)] = {
      seq: next(),
      id: o.id!,
      name: o.name!,
      domain: o.domain ?? null,
      ownerUserId: owner,
      maxOverages: null,
      members: [],
      createdAt: o.createdAt!,
      updatedAt: o.createdAt!,
      partnerId: null,
      agencyId,
      agencyStatus: o.status ?? 'active',
      identificationsThisPeriod: o.identificationsThisPeriod ?? 0,
      visitorsThisPeriod: o.visitorsThisPeriod ?? 0,
      partner: null,
    };
  }
  for (const k of arr(obj(example(contract, 'listOrganizationApiKeys', 200)).apiKeys!)) {
    s.organizationKeys[String(k.id)] = { seq: next(), hash: null, record: k, ownerId: String(k.organizationId) };
  }
  const orgKey = (label: string, key: string, scopes: string[]): void => {
    const id = stableId(`sandbox organization key ${label}`);
    s.organizationKeys[id] = {
      seq: next(),
      hash: hashKey(key),
      ownerId: agencyId,
      record: { id, organizationId: agencyId, createdByUserId: owner, name: `Sandbox key (${scopes.join(', ')})`, keyPrefix: key.slice(0, 13), scopes, status: 'active', expiresAt: null, lastUsedAt: null, createdAt: '2026-01-10T09:00:00Z' },
    };
  };
  orgKey('read', SEEDED_KEYS.organization.read, ['read']);
  orgKey('readWrite', SEEDED_KEYS.organization.readWrite, ['read', 'write']);
  orgKey('admin', SEEDED_KEYS.organization.admin, ['admin']);
  orgKey('agency', SEEDED_KEYS.organization.agency, ['agency:read', 'agency:write']);

  for (const c of arr(obj(example(contract, 'listCompanies', 200)).data!)) s.companies[String(c.id)] = { seq: next(), ...c, organizationId: agencyId };
  for (const v of arr(obj(example(contract, 'listOrganizationVisitors', 200)).data!)) {
    s.visitors[String(v.id)] = { seq: next(), ...v, organizationId: agencyId, pageViewCount: v.pageViews ?? 0, sessionCount: v.sessionsCount ?? 0 };
  }
  const detail = obj(example(contract, 'getLists', 200, 'oneList'));
  for (const l of arr(example(contract, 'getLists', 200, 'organizationLists'))) {
    const full = l.id === detail.id ? { ...detail } : { ...l, filter: {}, createdAt: '2026-02-05T12:00:00Z', updatedAt: '2026-02-05T12:00:00Z' };
    s.lists[String(l.id)] = { seq: next(), ...full };
  }
  for (const c of arr(example(contract, 'listOrganizationIcpConfigs', 200))) {
    s.organizationIcpConfigs[`${String(c.organizationId)}/${String(c.slug)}`] = { seq: next(), ...c };
  }
  s.integrations[agencyId] = arr(example(contract, 'listIntegrations', 200));
  for (const f of arr(example(contract, 'listIntegrationFlows', 200))) s.flows[String(f.id)] = { seq: next(), ...f };
  s.plans = arr(example(contract, 'listSubscriptionPlans', 200));
  s.customers[agencyId] = obj(example(contract, 'getCustomerInfo', 200));
  s.seq = seq;
  return s;
}
