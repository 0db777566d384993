// The Partner API over the store. Every operation sees only the calling partner's records: another
// partner's organization is a 404 like one that does not exist.
import { createHash } from 'node:crypto';
import { billingEvent } from '../billing-events.js';
import type { Context, Handler } from '../types.js';
import { HttpError } from '../errors.js';
import type { Json } from '../spec.js';
import { hashKey, type Delivery, type Rec } from '../store.js';
import { body, bySeq, checkExpiry, compareText, hex32, isoDay, notFound, partnerPage, recentFirst, recordsWhere, strip, unprocessable, uuid, withinDates, type Body } from './common.js';

/** Most credits a trial organization may hold (the partner guide). */
export const TRIAL_CREDIT_LIMIT = 500;

type Org = Rec & { seq: number };

function partnerOf(ctx: Context): Rec {
  const p = ctx.state.partners[ctx.auth.ownerId];
  if (!p) throw notFound('The partner account');
  return p;
}

function partnerOut(ctx: Context): Body {
  const p = partnerOf(ctx);
  const hooks = ctx.state.partnerWebhooks[ctx.auth.ownerId]!;
  const total = Number(p.creditPoolTotal ?? 0);
  const used = Number(p.creditPoolUsed ?? 0);
  return {
    ...p,
    creditPoolTotal: total,
    creditPoolUsed: used,
    creditPoolAvailable: Math.max(0, total - used),
    identificationWebhookUrl: hooks.identification.url,
    identificationWebhookEnabled: hooks.identification.enabled,
    billingWebhookUrl: hooks.billing.url,
    billingWebhookEnabled: hooks.billing.enabled,
  };
}

const poolAvailable = (p: Rec): number => Math.max(0, Number(p.creditPoolTotal ?? 0) - Number(p.creditPoolUsed ?? 0));

/** The calling partner's organization, or 404. */
function orgOf(ctx: Context, id = ctx.params.organizationId!): Org {
  const org = ctx.state.organizations[id];
  if (!org || org.partnerId !== ctx.auth.ownerId || !org.partner) throw notFound(`Organization ${id}`);
  return org;
}

const info = (org: Org): Rec => org.partner as Rec;

function orgOut(org: Org): Body {
  const p = info(org);
  return {
    id: org.id!,
    name: org.name!,
    externalId: p.externalId ?? null,
    status: p.status!,
    tier: p.tier!,
    credits: Number(p.credits),
    metadata: p.metadata ?? {},
    billingPeriod: p.billingPeriod!,
    billingDayOfMonth: p.billingDayOfMonth!,
    productType: p.productType!,
    createdAt: org.createdAt!,
  };
}

function keyOut(rec: Rec): Body {
  return strip(rec);
}

const partnerOrgs = (ctx: Context): Org[] => recordsWhere(ctx.state.organizations, (o) => o.partnerId === ctx.auth.ownerId && !!o.partner).sort(bySeq);

/** Moves credits between the pool and an organization (delta > 0 takes from the pool). */
function moveCredits(ctx: Context, org: Org, credits: number): void {
  const p = partnerOf(ctx);
  const i = info(org);
  const delta = credits - Number(i.credits);
  if (i.tier === 'trial' && credits > TRIAL_CREDIT_LIMIT) {
    throw unprocessable(`A trial organization holds at most ${TRIAL_CREDIT_LIMIT} credits`, { field: 'credits', reason: `exceeds the trial limit of ${TRIAL_CREDIT_LIMIT}`, limit: TRIAL_CREDIT_LIMIT });
  }
  if (delta > poolAvailable(p)) {
    throw unprocessable('The credit pool does not have enough credits available', { requested: delta, available: poolAvailable(p) });
  }
  p.creditPoolUsed = Number(p.creditPoolUsed ?? 0) + delta;
  i.credits = credits;
}

/** Everything that hangs off an organization goes with it. */
function removeDependents(ctx: Context, orgId: string): void {
  const s = ctx.state;
  for (const [k, v] of Object.entries(s.partnerIcpConfigs)) if (v.organizationId === orgId) delete s.partnerIcpConfigs[k];
  for (const [k, v] of Object.entries(s.organizationIcpConfigs)) if (v.organizationId === orgId) delete s.organizationIcpConfigs[k];
  for (const [k, v] of Object.entries(s.visitors)) if (v.organizationId === orgId) delete s.visitors[k];
  for (const [k, v] of Object.entries(s.companies)) if (v.organizationId === orgId) delete s.companies[k];
  for (const [k, v] of Object.entries(s.lists)) if (v.organizationId === orgId) delete s.lists[k];
  for (const [k, v] of Object.entries(s.flows)) if (v.organizationId === orgId) delete s.flows[k];
  for (const k of Object.values(s.organizationKeys)) if (k.ownerId === orgId) k.record.status = 'revoked';
  delete s.pixelConfigs[orgId];
  delete s.integrations[orgId];
  delete s.allocations[orgId];
  delete s.organizationWebhooks[orgId];
}

function domainRecord(domain: string): Rec {
  const token = createHash('sha256').update(domain).digest('hex').slice(0, 12);
  const value = `bullseye-verify=${token}`;
  return {
    domain,
    verified: false,
    verificationRecord: value,
    cnameTarget: 'track.bullseye.so',
    dnsRecords: [
      { type: 'CNAME', name: domain, value: 'track.bullseye.so' },
      { type: 'TXT', name: `_bullseye-verify.${domain}`, value },
    ],
    instructions: `Point a CNAME record for ${domain} at track.bullseye.so and add the TXT record _bullseye-verify.${domain} with the value ${value}, then verify the domain.`,
  };
}

export function logOut(d: Delivery): Body {
  return {
    id: d.id,
    type: d.type === 'organization' ? 'identification' : d.type,
    organizationId: d.organizationId,
    url: d.url,
    status: d.status,
    responseStatus: d.responseStatus,
    attempts: d.attempts,
    error: d.error,
    test: d.test,
    createdAt: d.createdAt,
  };
}

function pricing(ctx: Context, usage: number): { tier: string; price: number } {
  const tiers = (ctx.state.partnerBilling[ctx.auth.ownerId]?.pricingTiers ?? []) as Rec[];
  const band = tiers.find((t) => usage >= Number(t.minUsage) && (t.maxUsage === null || usage <= Number(t.maxUsage))) ?? tiers[tiers.length - 1];
  return { tier: String(band?.tier ?? 'standard'), price: Number(band?.pricePerIdentification ?? 0) };
}

/** Start and end of the billing period containing `now`, from the partner's billing day. */
function billingPeriod(ctx: Context): { start: Date; end: Date } {
  const day = Number(ctx.state.partnerBilling[ctx.auth.ownerId]?.billingDayOfMonth ?? 1);
  const now = ctx.now();
  let start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day));
  if (start > now) start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, day));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, day));
  return { start, end };
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Identifications of the partner's organizations between two dates (visitors first seen then). */
function identifications(ctx: Context, from: string | undefined, to: string | undefined): Rec[] {
  const orgIds = new Set(partnerOrgs(ctx).map((o) => o.id));
  return Object.values(ctx.state.visitors).filter((v) => orgIds.has(v.organizationId as string) && withinDates(v.firstSeenAt, from, to));
}

function dateRange(ctx: Context, defaultFrom: string): { from: string; to: string } {
  return { from: String(ctx.query.startDate ?? defaultFrom), to: String(ctx.query.endDate ?? isoDay(ctx.now())) };
}

const samplePayload = (ctx: Context, type: string): Body => {
  const org = partnerOrgs(ctx)[0];
  const ts = ctx.nowIso();
  if (type === 'billing') {
    const p = partnerOut(ctx);
    return {
      event: 'credits.allocated',
      timestamp: ts,
      partner_id: ctx.auth.ownerId,
      organization_id: org ? String(org.id) : null,
      external_id: org ? ((info(org).externalId as string | null) ?? null) : null,
      credit_pool: { total: Number(p.creditPoolTotal), used: Number(p.creditPoolUsed), available: Number(p.creditPoolAvailable) },
      organization_credits: org ? { allocated: Number(info(org).credits), used: Number(info(org).creditsUsed), available: Math.max(0, Number(info(org).credits) - Number(info(org).creditsUsed)) } : null,
    };
  }
  return {
    event: 'visitor.identified',
    timestamp: ts,
    partner_id: ctx.auth.ownerId,
    organization_id: org ? String(org.id) : null,
    external_id: org ? ((info(org).externalId as string | null) ?? null) : null,
    session_id: 'sess_test',
    credits_used: 0,
    visitor: { email: 'test.visitor@example.com', first_name: 'Test', last_name: 'Visitor', job_title: 'Head of Growth', linkedin_url: null, location: 'San Francisco, CA, US' },
    company: { name: 'Example', domain: 'example.com', industry: 'Software', employee_count: 100, location: 'San Francisco, CA, US' },
    session: { landing_page: 'https://example.com/pricing', pages_visited: ['https://example.com/pricing'], utm_source: null, utm_medium: null, referrer: null, device_type: 'desktop' },
  };
};

export const partnerHandlers: Record<string, Handler> = {
  getPartner: (ctx) => ({ status: 200, body: { partner: partnerOut(ctx) } }),

  updatePartnerBranding: (ctx) => {
    const p = partnerOf(ctx);
    Object.assign(p, body(ctx));
    ctx.changed();
    return { status: 200, body: { partner: { id: p.id!, name: p.name!, slug: p.slug!, logoUrl: p.logoUrl ?? null, primaryColor: p.primaryColor ?? null, secondaryColor: p.secondaryColor ?? null, companyName: p.companyName! } } };
  },

  getPartnerScriptConfig: (ctx) => {
    const p = partnerOf(ctx);
    return { status: 200, body: { companyName: p.companyName!, slug: p.slug!, scriptDomain: p.scriptDomain ?? null, scriptDomainVerified: p.scriptDomainVerified === true, logoUrl: p.logoUrl ?? null, primaryColor: p.primaryColor ?? null, secondaryColor: p.secondaryColor ?? null } };
  },

  listPartnerApiKeys: (ctx) => ({
    status: 200,
    body: { apiKeys: Object.values(ctx.state.partnerKeys).filter((k) => k.ownerId === ctx.auth.ownerId).sort(bySeq).map((k) => keyOut(k.record)) },
  }),

  createPartnerApiKey: (ctx) => {
    const b = body(ctx);
    checkExpiry(ctx, b.expiresAt);
    const plainKey = `pk_live_${hex32()}`;
    const id = uuid();
    const record: Rec = { id, name: b.name!, keyPrefix: plainKey.slice(0, 14), scopes: (b.scopes as string[] | undefined) ?? [], status: 'active', expiresAt: b.expiresAt ?? null, lastUsedAt: null, createdAt: ctx.nowIso() };
    ctx.state.partnerKeys[id] = { seq: ++ctx.state.seq, hash: hashKey(plainKey), record, ownerId: ctx.auth.ownerId };
    ctx.changed();
    return { status: 201, body: { apiKey: keyOut(record), plainKey } };
  },

  revokePartnerApiKey: (ctx) => {
    const key = ctx.state.partnerKeys[ctx.params.keyId!];
    if (!key || key.ownerId !== ctx.auth.ownerId) throw notFound(`API key ${ctx.params.keyId!}`);
    key.record.status = 'revoked';
    ctx.changed();
    return { status: 204 };
  },

  listPartnerOrganizations: (ctx) => {
    const { status, search, externalId } = ctx.query as Record<string, string | undefined>;
    const q = search?.toLowerCase();
    const items = partnerOrgs(ctx).filter((o) => {
      const i = info(o);
      return (!status || i.status === status) && (externalId === undefined || i.externalId === externalId) && (!q || String(o.name).toLowerCase().includes(q) || String(i.externalId ?? '').toLowerCase().includes(q));
    });
    return { status: 200, body: partnerPage(ctx, 'organizations', items, orgOut) };
  },

  createPartnerOrganization: (ctx) => {
    const b = body(ctx);
    const p = partnerOf(ctx);
    const open = partnerOrgs(ctx).filter((o) => info(o).status !== 'canceled').length;
    if (typeof p.maxOrganizations === 'number' && open >= p.maxOrganizations) {
      throw unprocessable(`The partner account already has its maximum of ${p.maxOrganizations} organizations`, { limit: p.maxOrganizations });
    }
    const id = uuid();
    const now = ctx.nowIso();
    const org: Org = {
      seq: ++ctx.state.seq,
      id,
      name: b.name!,
      domain: null,
      ownerUserId: (b.ownerUserId as string | undefined) ?? null,
      maxOverages: null,
      members: [],
      createdAt: now,
      updatedAt: now,
      partnerId: ctx.auth.ownerId,
      agencyId: null,
      partner: {
        externalId: b.externalId ?? null,
        status: 'active',
        tier: b.tier ?? 'trial',
        credits: 0,
        creditsUsed: 0,
        metadata: b.metadata ?? {},
        billingPeriod: b.billingPeriod ?? 'monthly',
        billingDayOfMonth: b.billingDayOfMonth ?? 1,
        productType: b.productType ?? 'B2B',
      },
    };
    const initial = Number(b.initialCredits ?? 0);
    moveCredits(ctx, org, initial);
    ctx.state.organizations[id] = org;
    ctx.state.pixelConfigs[id] = { organizationId: id, pixelApiKey: `px_${hex32()}`, allowedReferrerDomains: [] };
    if (initial > 0) billingEvent(ctx.state, ctx.webhooks, ctx.auth.ownerId, id, 'credits.allocated', now);
    ctx.changed();
    return { status: 201, body: { organization: orgOut(org) } };
  },

  getPartnerOrganization: (ctx) => ({ status: 200, body: { organization: orgOut(orgOf(ctx)) } }),

  updatePartnerOrganization: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const i = info(org);
    if (b.name !== undefined) org.name = b.name;
    if (b.ownerUserId !== undefined) org.ownerUserId = b.ownerUserId;
    for (const f of ['externalId', 'metadata', 'billingPeriod', 'billingDayOfMonth', 'productType']) if (b[f] !== undefined) i[f] = b[f]!;
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: { organization: orgOut(org) } };
  },

  deletePartnerOrganization: (ctx) => {
    const org = orgOf(ctx);
    const i = info(org);
    if (i.status !== 'canceled') {
      // Unused credits go back to the pool; used ones stay spent.
      moveCredits(ctx, org, Math.min(Number(i.credits), Number(i.creditsUsed)));
      i.status = 'canceled';
      org.updatedAt = ctx.nowIso();
      removeDependents(ctx, String(org.id));
      ctx.changed();
    }
    return { status: 204 };
  },

  updatePartnerOrganizationStatus: (ctx) => {
    const org = orgOf(ctx);
    const i = info(org);
    if (i.status === 'canceled') throw unprocessable('A canceled organization cannot be enabled or disabled', { status: 'canceled' });
    i.status = body(ctx).status!;
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: { organization: orgOut(org) } };
  },

  updatePartnerOrganizationTier: (ctx) => {
    const org = orgOf(ctx);
    const i = info(org);
    const tier = String(body(ctx).tier);
    if (i.status === 'canceled') throw unprocessable('The tier of a canceled organization cannot change', { status: 'canceled' });
    if (tier === 'trial' && Number(i.credits) > TRIAL_CREDIT_LIMIT) {
      throw unprocessable(`A trial organization holds at most ${TRIAL_CREDIT_LIMIT} credits; lower the allocation first`, { credits: Number(i.credits), limit: TRIAL_CREDIT_LIMIT });
    }
    const changed = i.tier !== tier;
    i.tier = tier;
    org.updatedAt = ctx.nowIso();
    if (changed) billingEvent(ctx.state, ctx.webhooks, ctx.auth.ownerId, String(org.id), 'credits.allocated', ctx.nowIso());
    ctx.changed();
    return { status: 200, body: { organization: orgOut(org) } };
  },

  getPartnerOrganizationPixelConfig: (ctx) => {
    const org = orgOf(ctx);
    const px = ctx.state.pixelConfigs[String(org.id)];
    if (!px) throw notFound(`The pixel configuration of organization ${String(org.id)}`);
    return { status: 200, body: px };
  },

  updatePartnerOrganizationPixelConfig: (ctx) => {
    const org = orgOf(ctx);
    const px = ctx.state.pixelConfigs[String(org.id)];
    if (!px) throw notFound(`The pixel configuration of organization ${String(org.id)}`);
    px.allowedReferrerDomains = body(ctx).allowedReferrerDomains!;
    ctx.changed();
    return { status: 200, body: px };
  },

  listPartnerOrganizationVisitors: (ctx) => {
    const org = orgOf(ctx);
    const items = recordsWhere(ctx.state.visitors, (v) => v.organizationId === org.id).sort(recentFirst('lastSeenAt'));
    const out = (v: Rec): Body => ({
      id: v.id!,
      organizationId: v.organizationId!,
      email: v.email ?? null,
      firstName: v.firstName ?? null,
      lastName: v.lastName ?? null,
      jobTitle: v.jobTitle ?? null,
      linkedinUrl: v.linkedinUrl ?? null,
      companyName: v.companyName ?? null,
      companyDomain: v.companyDomain ?? null,
      industry: v.industry ?? null,
      country: v.country ?? null,
      region: v.region ?? null,
      city: v.city ?? null,
      pageViewCount: Number(v.pageViewCount ?? 0),
      sessionCount: Number(v.sessionCount ?? 0),
      firstSeenAt: v.firstSeenAt!,
      lastSeenAt: v.lastSeenAt!,
    });
    return { status: 200, body: partnerPage(ctx, 'visitors', items, out) };
  },

  allocatePartnerOrganizationCredits: (ctx) => {
    const org = orgOf(ctx);
    const i = info(org);
    if (i.status === 'canceled') throw unprocessable('Credits cannot be allocated to a canceled organization', { status: 'canceled' });
    moveCredits(ctx, org, Number(body(ctx).credits));
    const now = ctx.nowIso();
    const allocation = {
      id: uuid(),
      partnerId: ctx.auth.ownerId,
      organizationId: String(org.id),
      creditsAllocated: Number(i.credits),
      creditsUsed: Number(i.creditsUsed),
      creditsAvailable: Math.max(0, Number(i.credits) - Number(i.creditsUsed)),
      allocatedAt: now,
    };
    ctx.state.allocations[String(org.id)] = allocation;
    billingEvent(ctx.state, ctx.webhooks, ctx.auth.ownerId, String(org.id), 'credits.allocated', now);
    ctx.changed();
    return { status: 200, body: { allocation } };
  },

  listPartnerIcpConfigs: (ctx) => {
    const org = orgOf(ctx);
    const items = Object.values(ctx.state.partnerIcpConfigs).filter((c) => c.organizationId === org.id).sort(bySeq).map((c) => strip(c));
    return { status: 200, body: { icpConfigs: items } };
  },

  createPartnerIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const key = `${String(org.id)}/${String(b.slug)}`;
    if (ctx.state.partnerIcpConfigs[key]) throw unprocessable(`An ICP config with the slug ${String(b.slug)} already exists`, { field: 'slug', reason: 'is already used' });
    const now = ctx.nowIso();
    const rec = { seq: ++ctx.state.seq, slug: b.slug!, name: b.name!, organizationId: String(org.id), groups: b.groups!, createdAt: now, updatedAt: now };
    ctx.state.partnerIcpConfigs[key] = rec;
    ctx.changed();
    return { status: 201, body: { icpConfig: strip(rec) } };
  },

  getPartnerIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const rec = ctx.state.partnerIcpConfigs[`${String(org.id)}/${ctx.params.slug!}`];
    if (!rec) throw notFound(`ICP config ${ctx.params.slug!}`);
    return { status: 200, body: { icpConfig: strip(rec) } };
  },

  updatePartnerIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const rec = ctx.state.partnerIcpConfigs[`${String(org.id)}/${ctx.params.slug!}`];
    if (!rec) throw notFound(`ICP config ${ctx.params.slug!}`);
    const b = body(ctx);
    if (b.name !== undefined) rec.name = b.name;
    if (b.groups !== undefined) rec.groups = b.groups;
    rec.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: { icpConfig: strip(rec) } };
  },

  deletePartnerIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const key = `${String(org.id)}/${ctx.params.slug!}`;
    if (!ctx.state.partnerIcpConfigs[key]) throw notFound(`ICP config ${ctx.params.slug!}`);
    delete ctx.state.partnerIcpConfigs[key];
    ctx.changed();
    return { status: 204 };
  },

  getPartnerBilling: (ctx) => {
    const billing = ctx.state.partnerBilling[ctx.auth.ownerId] ?? {};
    const p = partnerOut(ctx);
    const { start, end } = billingPeriod(ctx);
    return {
      status: 200,
      body: { ...billing, partnerId: ctx.auth.ownerId, billingPeriodStart: iso(start), nextBillingDate: iso(end), creditPoolTotal: p.creditPoolTotal!, creditPoolUsed: p.creditPoolUsed!, creditPoolAvailable: p.creditPoolAvailable! },
    };
  },

  getPartnerBillingUsage: (ctx) => {
    const { start, end } = billingPeriod(ctx);
    const usage = identifications(ctx, iso(start), isoDay(ctx.now())).length;
    const { tier, price } = pricing(ctx, usage);
    return { status: 200, body: { partnerId: ctx.auth.ownerId, billingPeriodStart: iso(start), billingPeriodEnd: iso(end), usage, tier, estimatedCost: Math.round(usage * price * 100) / 100 } };
  },

  calculatePartnerBilling: (ctx) => {
    const usage = Number(ctx.query.usage);
    const { tier, price } = pricing(ctx, usage);
    return { status: 200, body: { usage, tier, pricePerIdentification: price, totalCost: Math.round(usage * price * 100) / 100 } };
  },

  getPartnerWebhooks: (ctx) => {
    const h = ctx.state.partnerWebhooks[ctx.auth.ownerId]!;
    const out = (c: { url: string | null; enabled: boolean; secret: string | null }): Body => ({ url: c.url, enabled: c.enabled, hasSecret: c.secret !== null });
    return { status: 200, body: { identification: out(h.identification), billing: out(h.billing) } };
  },

  updatePartnerIdentificationWebhook: (ctx) => updateWebhook(ctx, 'identification'),
  updatePartnerBillingWebhook: (ctx) => updateWebhook(ctx, 'billing'),

  sendPartnerTestWebhook: async (ctx) => {
    const type = String(body(ctx).type) as 'identification' | 'billing';
    const hook = ctx.state.partnerWebhooks[ctx.auth.ownerId]![type];
    if (!hook.url) throw unprocessable(`The ${type} webhook has no URL; set one with PUT /partner/webhooks/${type}`, { type });
    const delivery = ctx.webhooks.enqueue({ partnerId: ctx.auth.ownerId, type, organizationId: null, url: hook.url, secret: hook.secret ?? '', payload: samplePayload(ctx, type), test: true });
    ctx.changed();
    await ctx.webhooks.sendNow(delivery);
    return { status: 200, body: { delivery: logOut(ctx.state.deliveries[delivery.id] ?? delivery) } };
  },

  listPartnerWebhookLogs: (ctx) => {
    const { type, status, organizationId } = ctx.query as Record<string, string | undefined>;
    const items = recordsWhere(
      ctx.state.deliveries,
      (d) => d.partnerId === ctx.auth.ownerId && d.type !== 'organization' && (!type || d.type === type) && (!status || d.status === status) && (!organizationId || d.organizationId === organizationId),
    ).sort((a, b) => compareText(b.createdAt, a.createdAt) || b.seq - a.seq);
    return { status: 200, body: partnerPage(ctx, 'logs', items, logOut) };
  },

  setPartnerDomain: (ctx) => {
    const domain = String(body(ctx).domain).toLowerCase();
    const p = partnerOf(ctx);
    const rec = domainRecord(domain);
    ctx.state.partnerDomains[ctx.auth.ownerId] = rec;
    p.scriptDomain = domain;
    p.scriptDomainVerified = false;
    ctx.changed();
    return { status: 200, body: rec };
  },

  getPartnerDomainVerification: (ctx) => {
    const rec = ctx.state.partnerDomains[ctx.auth.ownerId];
    if (!rec) throw notFound('A custom domain');
    return { status: 200, body: rec };
  },

  verifyPartnerDomain: (ctx) => {
    const rec = ctx.state.partnerDomains[ctx.auth.ownerId];
    if (!rec) throw notFound('A custom domain');
    // No DNS is looked up: a domain under the reserved `.invalid` TLD fails, every other passes.
    if (String(rec.domain).endsWith('.invalid')) {
      throw new HttpError(422, 'The DNS records of the domain were not found', { failedRecords: rec.dnsRecords as Json[] });
    }
    rec.verified = true;
    partnerOf(ctx).scriptDomainVerified = true;
    ctx.changed();
    return { status: 200, body: rec };
  },

  getPartnerAnalytics: (ctx) => {
    const now = ctx.now();
    const { from, to } = dateRange(ctx, isoDay(new Date(now.getTime() - 30 * 86_400_000)));
    const orgs = partnerOrgs(ctx);
    const p = partnerOut(ctx);
    return {
      status: 200,
      body: {
        partnerId: ctx.auth.ownerId,
        startDate: from,
        endDate: to,
        totalOrganizations: orgs.length,
        activeOrganizations: orgs.filter((o) => info(o).status === 'active').length,
        totalIdentifications: identifications(ctx, from, to).length,
        creditsRemaining: Number(p.creditPoolAvailable),
        creditsUsed: Number(p.creditPoolUsed),
      },
    };
  },

  getPartnerUsage: (ctx) => {
    const now = ctx.now();
    const { from, to } = dateRange(ctx, isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))));
    const ids = identifications(ctx, from, to);
    return { status: 200, body: { totalQuantity: ids.length, totalEvents: ids.reduce((n, v) => n + Number(v.pageViewCount ?? 0), 0), startDate: from, endDate: to } };
  },
};

function updateWebhook(ctx: Context, type: 'identification' | 'billing'): { status: number; body: Json } {
  const hook = ctx.state.partnerWebhooks[ctx.auth.ownerId]![type];
  const b = body(ctx);
  if (b.url !== undefined) hook.url = String(b.url);
  if (b.secret !== undefined) hook.secret = String(b.secret);
  if (b.enabled !== undefined) hook.enabled = b.enabled === true;
  else if (b.url !== undefined) hook.enabled = true;
  ctx.changed();
  return { status: 200, body: { [type]: { url: hook.url, enabled: hook.enabled, hasSecret: hook.secret !== null } } };
}
