// What the pixel does in production, on demand: a visitor of an organization is identified. The
// visitor (and its company) is stored, a Partner client organization uses one credit, and the
// documented webhooks go out: `visitor.identified` to the organization's webhook and
// `partner.identification` to the partner's identification webhook.
import { randomUUID } from 'node:crypto';
import { HttpError } from './errors.js';
import type { Json } from './spec.js';
import type { Rec, State } from './store.js';
import type { Webhooks } from './webhooks.js';
import { billingEvent } from './billing-events.js';

const str = (v: Json | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);

export interface IdentifyInput {
  email?: string;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  linkedinUrl?: string;
  companyName?: string;
  companyDomain?: string;
  industry?: string;
  employeeCount?: number;
  location?: string;
  landingPage?: string;
}

export function identifyVisitor(state: State, organizationId: string, input: Record<string, Json>, nowMs: number, webhooks: Webhooks): Record<string, Json> {
  const org = state.organizations[organizationId];
  if (!org) throw new HttpError(404, `No organization ${organizationId}`);
  const partnerInfo = org.partner as Rec | null;
  if (partnerInfo && partnerInfo.status !== 'active') throw new HttpError(422, `The organization ${organizationId} is ${String(partnerInfo.status)}; only an active organization identifies visitors`);
  if (partnerInfo && Number(partnerInfo.creditsUsed) >= Number(partnerInfo.credits)) {
    throw new HttpError(422, `The organization ${organizationId} has no credits left (allocate credits first)`);
  }
  const now = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const n = ++state.seq;
  const email = str(input.email) ?? `visitor${n}@example.com`;
  const firstName = str(input.firstName) ?? 'Dana';
  const lastName = str(input.lastName) ?? `Visitor ${n}`;
  const companyDomain = str(input.companyDomain) ?? (email.split('@')[1] || null);
  const companyName = str(input.companyName) ?? (companyDomain ? companyDomain.split('.')[0]!.replace(/^./, (c) => c.toUpperCase()) : null);
  const location = str(input.location) ?? 'San Francisco, CA, US';
  const jobTitle = str(input.jobTitle) ?? 'Head of Growth';
  const linkedinUrl = str(input.linkedinUrl);
  const industry = str(input.industry) ?? null;
  const employeeCount = typeof input.employeeCount === 'number' ? input.employeeCount : null;
  const landingPage = str(input.landingPage) ?? `https://${org.domain ?? 'example.com'}/pricing`;

  let company = Object.values(state.companies).find((c) => c.organizationId === organizationId && companyDomain !== null && c.domain === companyDomain);
  if (!company && companyName) {
    const id = `cmp_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    company = { seq: n, id, organizationId, name: companyName, domain: companyDomain, industry, employeeCount, location, isIcp: false, icpScore: null, visitorsCount: 0, sessionsCount: 0, pageViews: 0, firstSeenAt: now, lastSeenAt: now };
    state.companies[id] = company;
  }
  if (company) {
    company.visitorsCount = Number(company.visitorsCount ?? 0) + 1;
    company.sessionsCount = Number(company.sessionsCount ?? 0) + 1;
    company.pageViews = Number(company.pageViews ?? 0) + 1;
    company.lastSeenAt = now;
  }
  const id = partnerInfo ? randomUUID() : `vis_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const visitor = {
    seq: n,
    id,
    organizationId,
    companyId: company ? (company.id as string) : null,
    companyName,
    companyDomain,
    email,
    firstName,
    lastName,
    jobTitle,
    linkedinUrl,
    industry,
    location,
    country: null,
    region: null,
    city: null,
    isIcp: company ? company.isIcp === true : false,
    pageViewCount: 1,
    sessionCount: 1,
    pageViews: 1,
    sessionsCount: 1,
    firstSeenAt: now,
    lastSeenAt: now,
  };
  state.visitors[id] = visitor;
  if (partnerInfo) partnerInfo.creditsUsed = Number(partnerInfo.creditsUsed) + 1;
  org.identificationsThisPeriod = Number(org.identificationsThisPeriod ?? 0) + 1;
  org.visitorsThisPeriod = Number(org.visitorsThisPeriod ?? 0) + 1;

  const sessionId = `sess_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const event = {
    event: 'visitor.identified',
    timestamp: now,
    organization_id: organizationId,
    session_id: sessionId,
    visitor: { email, first_name: firstName, last_name: lastName, job_title: jobTitle, linkedin_url: linkedinUrl, location },
    company: { name: companyName, domain: companyDomain, industry, employee_count: employeeCount, location },
    session: { landing_page: landingPage, pages_visited: [landingPage], utm_source: null, utm_medium: null, referrer: null, device_type: 'desktop' },
  };
  const deliveries: string[] = [];
  const orgHook = state.organizationWebhooks[organizationId] ?? state.organizationWebhooks['*'];
  if (orgHook?.url && orgHook.enabled && orgHook.secret) {
    deliveries.push(webhooks.enqueue({ partnerId: null, type: 'organization', organizationId, url: orgHook.url, secret: orgHook.secret, payload: event }).id);
  }
  const partnerId = typeof org.partnerId === 'string' ? org.partnerId : null;
  const partnerHook = partnerId ? state.partnerWebhooks[partnerId]?.identification : undefined;
  if (partnerId && partnerInfo && partnerHook?.url && partnerHook.enabled && partnerHook.secret) {
    const payload = { ...event, partner_id: partnerId, external_id: (partnerInfo.externalId as string | null) ?? null, credits_used: 1 };
    deliveries.push(webhooks.enqueue({ partnerId, type: 'identification', organizationId, url: partnerHook.url, secret: partnerHook.secret, payload }).id);
  }
  if (partnerId && partnerInfo) {
    const left = Number(partnerInfo.credits) - Number(partnerInfo.creditsUsed);
    // An organization reaching a tenth of its allocation, or its end, tells the billing webhook.
    if (left === 0) billingEvent(state, webhooks, partnerId, organizationId, 'credits.depleted', now);
    else if (left === Math.floor(Number(partnerInfo.credits) / 10)) billingEvent(state, webhooks, partnerId, organizationId, 'credits.low', now);
  }
  const { seq: _seq, ...out } = visitor;
  return { visitor: out, sessionId, deliveries };
}
