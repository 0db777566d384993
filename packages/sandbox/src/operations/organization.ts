// The Organization API over the store. An Organization key reaches its own organization, the
// organizations its creator belongs to (as `GET /organization/list` says) and, for an agency, its
// sub-organizations; anything else is a 404 like an organization that does not exist.
import type { Context, Handler } from '../types.js';
import type { Json } from '../spec.js';
import { hashKey, type Rec } from '../store.js';
import { body, bySeq, checkExpiry, compareText, hex32, isoDay, notFound, organizationPage, recentFirst, recordsWhere, shortId, strip, unprocessable, uuid, withinDates, type Body } from './common.js';

type Org = Rec & { seq: number };

function reachable(ctx: Context, org: Org | undefined): org is Org {
  if (!org) return false;
  const p = org.partner as Rec | null;
  if (p && p.status === 'canceled') return false;
  const user = ctx.auth.userId;
  return (
    org.id === ctx.auth.ownerId ||
    org.agencyId === ctx.auth.ownerId ||
    (user !== null && (org.ownerUserId === user || ((org.members ?? []) as Rec[]).some((m) => m.userId === user)))
  );
}

/** The organization a call names (path `organization_id`, query or body `organizationId`), or 404. */
function orgOf(ctx: Context, id?: string): Org {
  const orgId = id ?? ctx.params.organization_id ?? (ctx.query.organizationId as string | undefined) ?? (body(ctx).organizationId as string | undefined) ?? ctx.auth.ownerId;
  const org = ctx.state.organizations[orgId];
  if (!reachable(ctx, org)) throw notFound(`Organization ${orgId}`);
  return org;
}

function orgOut(org: Org): Body {
  return {
    id: org.id!,
    name: org.name!,
    domain: org.domain ?? null,
    ...(org.ownerUserId ? { ownerUserId: org.ownerUserId } : {}),
    maxOverages: org.maxOverages ?? null,
    members: org.members ?? [],
    createdAt: org.createdAt!,
    updatedAt: org.updatedAt!,
  };
}

function subOrgOut(org: Org): Body {
  return {
    id: org.id!,
    name: org.name!,
    domain: org.domain ?? null,
    status: org.agencyStatus ?? 'active',
    identificationsThisPeriod: Number(org.identificationsThisPeriod ?? 0),
    visitorsThisPeriod: Number(org.visitorsThisPeriod ?? 0),
    createdAt: org.createdAt!,
  };
}

const range = (ctx: Context): { from: string | undefined; to: string | undefined } => ({ from: ctx.query.from as string | undefined, to: ctx.query.to as string | undefined });

/** Records of an organization seen within the `from`/`to` dates of the query. */
function seen(ctx: Context, table: Record<string, Rec & { seq: number }>, orgId: string): Array<Rec & { seq: number }> {
  const { from, to } = range(ctx);
  return recordsWhere(table, (r) => r.organizationId === orgId && ((!from && !to) || withinDates(r.lastSeenAt, from, to))).sort(recentFirst('lastSeenAt'));
}

const companyOut = (c: Rec): Body => strip(c, 'organizationId');
const visitorOut = (v: Rec): Body => ({
  id: v.id!,
  companyId: v.companyId ?? null,
  companyName: v.companyName ?? null,
  firstName: v.firstName ?? null,
  lastName: v.lastName ?? null,
  email: v.email ?? null,
  jobTitle: v.jobTitle ?? null,
  linkedinUrl: v.linkedinUrl ?? null,
  location: v.location ?? null,
  isIcp: v.isIcp === true,
  sessionsCount: Number(v.sessionsCount ?? v.sessionCount ?? 0),
  pageViews: Number(v.pageViews ?? v.pageViewCount ?? 0),
  firstSeenAt: v.firstSeenAt!,
  lastSeenAt: v.lastSeenAt!,
});

const COMPANY_COLUMNS = ['id', 'name', 'domain', 'industry', 'employeeCount', 'location', 'isIcp', 'icpScore', 'visitorsCount', 'sessionsCount', 'pageViews', 'firstSeenAt', 'lastSeenAt'];

function csvCell(v: Json | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function companies(ctx: Context): Array<Rec & { seq: number }> {
  const org = orgOf(ctx);
  return seen(ctx, ctx.state.companies, String(org.id)).filter((c) => ctx.query.ICPOnly !== true || c.isIcp === true);
}

function listOut(l: Rec, detail: boolean): Body {
  const base: Body = {
    id: l.id!,
    name: l.name!,
    organizationId: l.organizationId!,
    usedFilter: l.usedFilter ?? null,
    contactsNum: Number(l.contactsNum ?? 0),
    matchedContactsNum: Number(l.matchedContactsNum ?? 0),
    autoUpdateStatus: l.autoUpdateStatus ?? 'disabled',
    lastSyncedTime: l.lastSyncedTime ?? null,
    connectedIntegration: l.connectedIntegration ?? null,
  };
  return detail ? { ...base, filter: l.filter ?? {}, createdAt: l.createdAt!, updatedAt: l.updatedAt! } : base;
}

/** A readable summary of an audience filter, as the lists show it. */
function describeFilter(filter: Rec): string | null {
  const parts = Object.values(filter)
    .filter((v): v is Json[] => Array.isArray(v) && v.length > 0)
    .map((v) => v.map(String).join(', '));
  return parts.length ? parts.join('; ') : null;
}

function icpKey(ctx: Context, org: Org): string {
  return `${String(org.id)}/${ctx.params.slug!}`;
}

function icpOf(ctx: Context): Rec & { seq: number } {
  const org = orgOf(ctx);
  const rec = ctx.state.organizationIcpConfigs[icpKey(ctx, org)];
  if (!rec) throw notFound(`ICP config ${ctx.params.slug!}`);
  return rec;
}

/** Companies of an organization an ICP filter matches (industry, domain and country by location). */
function matches(filter: Rec, company: Rec): boolean {
  const list = (k: string): string[] => (Array.isArray(filter[k]) ? (filter[k] as Json[]).map((v) => String(v).toLowerCase()) : []);
  const industries = list('industries');
  const domains = list('domains');
  const countries = list('countries');
  if (industries.length && !industries.includes(String(company.industry ?? '').toLowerCase())) return false;
  if (domains.length && !domains.includes(String(company.domain ?? '').toLowerCase())) return false;
  if (countries.length && !countries.some((c) => String(company.location ?? '').toLowerCase().endsWith(c))) return false;
  return true;
}

function integrationsOf(ctx: Context, org: Org): Rec[] {
  const id = String(org.id);
  if (!ctx.state.integrations[id]) {
    // A new organization has every integration of the catalogue, none installed.
    const catalogue = Object.values(ctx.state.integrations)[0] ?? [];
    ctx.state.integrations[id] = catalogue.map((i) => ({ type: i.type!, name: i.name!, installed: false, adsAccounts: [], selectedAdsAccount: null, connectedAt: null }));
  }
  return ctx.state.integrations[id]!;
}

function integrationOf(ctx: Context, org: Org, type: string): Rec {
  const integration = integrationsOf(ctx, org).find((i) => i.type === type);
  if (!integration) throw notFound(`Integration ${type}`);
  return integration;
}

function subscriptionOf(ctx: Context, org: Org): Rec {
  const customer = ctx.state.customers[String(org.id)];
  const sub = customer?.subscription as Rec | null | undefined;
  if (!sub) throw unprocessable(`Organization ${String(org.id)} has no subscription`, { organizationId: String(org.id) });
  return sub;
}

function planOf(ctx: Context, productId: string, priceId: string): Rec {
  const plan = ctx.state.plans.find((p) => p.productId === productId && p.priceId === priceId);
  if (!plan) throw notFound(`Plan ${productId}/${priceId}`);
  return plan;
}

const addMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const organizationHandlers: Record<string, Handler> = {
  listOrganizationApiKeys: (ctx) => {
    const org = orgOf(ctx);
    const keys = Object.values(ctx.state.organizationKeys).filter((k) => k.ownerId === org.id).sort(bySeq).map((k) => strip(k.record));
    return { status: 200, body: { apiKeys: keys } };
  },

  createOrganizationApiKey: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    checkExpiry(ctx, b.expiresAt);
    const plainKey = `bsk_live_${hex32()}`;
    const id = uuid();
    const record: Rec = {
      id,
      organizationId: String(org.id),
      createdByUserId: ctx.auth.userId ?? String(org.ownerUserId ?? ''),
      name: b.name!,
      keyPrefix: plainKey.slice(0, 13),
      scopes: b.scopes!,
      status: 'active',
      expiresAt: b.expiresAt ?? null,
      lastUsedAt: null,
      createdAt: ctx.nowIso(),
    };
    ctx.state.organizationKeys[id] = { seq: ++ctx.state.seq, hash: hashKey(plainKey), record, ownerId: String(org.id) };
    ctx.changed();
    return { status: 201, body: { apiKey: strip(record), plainKey } };
  },

  revokeOrganizationApiKey: (ctx) => {
    const org = orgOf(ctx);
    const key = ctx.state.organizationKeys[ctx.params.key_id!];
    if (!key || key.ownerId !== org.id) throw notFound(`API key ${ctx.params.key_id!}`);
    key.record.status = 'revoked';
    ctx.changed();
    return { status: 204 };
  },

  createOrganization: (ctx) => {
    const b = body(ctx);
    const id = shortId('org');
    const now = ctx.nowIso();
    const user = ctx.auth.userId ?? 'user_sandbox';
    const org: Org = {
      seq: ++ctx.state.seq,
      id,
      name: b.organizationName!,
      domain: b.domain ?? null,
      ownerUserId: user,
      maxOverages: null,
      members: [{ userId: user, role: 'owner', joinedAt: now }],
      createdAt: now,
      updatedAt: now,
      partnerId: null,
      agencyId: null,
      partner: null,
    };
    ctx.state.organizations[id] = org;
    ctx.changed();
    return { status: 201, body: orgOut(org) };
  },

  listOrganizations: (ctx) => ({
    status: 200,
    body: recordsWhere(ctx.state.organizations, (o) => reachable(ctx, o) && o.agencyId !== ctx.auth.ownerId)
      .sort(bySeq)
      .map(orgOut),
  }),

  getOrganization: (ctx) => ({ status: 200, body: orgOut(orgOf(ctx)) }),

  updateOrganization: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    if (b.name !== undefined) org.name = b.name;
    if (b.domain !== undefined) org.domain = b.domain;
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: orgOut(org) };
  },

  removeOrganizationMember: (ctx) => {
    const org = orgOf(ctx);
    const userId = ctx.params.user_id!;
    const members = (org.members ?? []) as Rec[];
    if (!members.some((m) => m.userId === userId)) throw notFound(`Member ${userId}`);
    if (org.ownerUserId === userId) throw unprocessable('The owner cannot be removed from the organization', { userId });
    org.members = members.filter((m) => m.userId !== userId);
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: orgOut(org) };
  },

  setOrganizationMaxOverages: (ctx) => {
    const org = orgOf(ctx);
    const sub = ctx.state.customers[String(org.id)]?.subscription as Rec | null | undefined;
    const plan = sub ? ctx.state.plans.find((p) => p.priceId === sub.priceId) : undefined;
    if (plan && plan.overageRate === null) throw unprocessable('The organization’s plan has no overages', { planName: plan.name! });
    org.maxOverages = body(ctx).maxOverages ?? null;
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: orgOut(org) };
  },

  listCompanies: (ctx) => {
    const fields = typeof ctx.query.fields === 'string' ? new Set(['id', 'name', ...ctx.query.fields.split(',')]) : undefined;
    const shape = (c: Rec): Body => {
      const out = companyOut(c);
      return fields ? Object.fromEntries(Object.entries(out).filter(([k]) => fields.has(k))) : out;
    };
    return { status: 200, body: organizationPage(ctx, companies(ctx), shape) };
  },

  listOrganizationVisitors: (ctx) => {
    const org = orgOf(ctx);
    const items = seen(ctx, ctx.state.visitors, String(org.id)).filter((v) => ctx.query.ICPOnly !== true || v.isIcp === true);
    return { status: 200, body: organizationPage(ctx, items, visitorOut) };
  },

  listCompanyVisitors: (ctx) => {
    const org = orgOf(ctx);
    const company = ctx.state.companies[ctx.params.company_id!];
    if (!company || company.organizationId !== org.id) throw notFound(`Company ${ctx.params.company_id!}`);
    const items = seen(ctx, ctx.state.visitors, String(org.id)).filter((v) => v.companyId === company.id);
    return { status: 200, body: organizationPage(ctx, items, visitorOut) };
  },

  downloadCompanies: (ctx) => {
    const columns = typeof ctx.query.fields === 'string' ? ['id', 'name', ...ctx.query.fields.split(',').filter((f) => f !== 'id' && f !== 'name')] : COMPANY_COLUMNS;
    const rows = companies(ctx).map((c) => columns.map((k) => csvCell(c[k])).join(','));
    return { status: 200, text: { contentType: 'text/csv; charset=utf-8', value: `${[columns.join(','), ...rows].join('\n')}\n` } };
  },

  getCompanyStatisticsTotal: (ctx) => {
    const org = orgOf(ctx);
    const today = ctx.now();
    const from = String(ctx.query.from ?? isoDay(new Date(today.getTime() - 30 * 86_400_000)));
    const to = String(ctx.query.to ?? isoDay(today));
    const cs = Object.values(ctx.state.companies).filter((c) => c.organizationId === org.id && withinDates(c.lastSeenAt, from, to));
    const vs = Object.values(ctx.state.visitors).filter((v) => v.organizationId === org.id && withinDates(v.lastSeenAt, from, to));
    return {
      status: 200,
      body: {
        organizationId: String(org.id),
        from,
        to,
        totalCompanies: cs.length,
        icpCompanies: cs.filter((c) => c.isIcp === true).length,
        totalVisitors: vs.length,
        identifiedVisitors: vs.filter((v) => v.email !== null && v.email !== undefined).length,
        totalSessions: vs.reduce((n, v) => n + Number(v.sessionsCount ?? v.sessionCount ?? 0), 0),
        totalPageViews: vs.reduce((n, v) => n + Number(v.pageViews ?? v.pageViewCount ?? 0), 0),
      },
    };
  },

  getVisitorChart: (ctx) => {
    const org = orgOf(ctx);
    const today = ctx.now();
    const from = String(ctx.query.from ?? isoDay(new Date(today.getTime() - 30 * 86_400_000)));
    const to = String(ctx.query.to ?? isoDay(today));
    const interval = String(ctx.query.interval ?? 'day');
    const bucket = (day: string): string => {
      if (interval === 'month') return `${day.slice(0, 7)}-01`;
      if (interval === 'week') {
        const d = new Date(`${day}T00:00:00Z`);
        return isoDay(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000));
      }
      return day;
    };
    const points = new Map<string, { visitors: number; identifiedVisitors: number; companies: Set<string> }>();
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && points.size < 400; t += 86_400_000) {
      const key = bucket(isoDay(new Date(t)));
      if (!points.has(key)) points.set(key, { visitors: 0, identifiedVisitors: 0, companies: new Set() });
    }
    for (const v of Object.values(ctx.state.visitors)) {
      if (v.organizationId !== org.id || !withinDates(v.lastSeenAt, from, to)) continue;
      const p = points.get(bucket(String(v.lastSeenAt).slice(0, 10)));
      if (!p) continue;
      p.visitors++;
      if (v.email) p.identifiedVisitors++;
      if (v.companyId) p.companies.add(String(v.companyId));
    }
    return {
      status: 200,
      body: {
        organizationId: String(org.id),
        from,
        to,
        interval,
        points: [...points].map(([date, p]) => ({ date, visitors: p.visitors, identifiedVisitors: p.identifiedVisitors, companies: p.companies.size })),
      },
    };
  },

  getLists: (ctx) => {
    const id = ctx.params.id!;
    const org = ctx.state.organizations[id];
    if (org) {
      if (!reachable(ctx, org)) throw notFound(`Organization ${id}`);
      const lists = Object.values(ctx.state.lists).filter((l) => l.organizationId === id).sort(bySeq).map((l) => listOut(l, false));
      return { status: 200, body: lists };
    }
    const list = ctx.state.lists[id];
    if (!list || !reachable(ctx, ctx.state.organizations[String(list.organizationId)])) throw notFound(`List ${id}`);
    return { status: 200, body: listOut(list, true) };
  },

  deleteList: (ctx) => {
    const list = ctx.state.lists[ctx.params.id!];
    if (!list || !reachable(ctx, ctx.state.organizations[String(list.organizationId)])) throw notFound(`List ${ctx.params.id!}`);
    delete ctx.state.lists[ctx.params.id!];
    ctx.changed();
    return { status: 204 };
  },

  saveList: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const now = ctx.nowIso();
    const filter = b.filter as Rec;
    // Saving under a name the organization already uses updates that list.
    let list = Object.values(ctx.state.lists).find((l) => l.organizationId === org.id && l.name === b.listName);
    if (!list) {
      list = { seq: ++ctx.state.seq, id: shortId('list'), organizationId: String(org.id), autoUpdateStatus: 'disabled', lastSyncedTime: null, connectedIntegration: null, createdAt: now };
      ctx.state.lists[String(list.id)] = list;
    }
    Object.assign(list, { name: b.listName!, filter, usedFilter: describeFilter(filter), contactsNum: Number(b.contacts_found), matchedContactsNum: Number(b.contacts_found), updatedAt: now });
    ctx.changed();
    return { status: 200, body: listOut(list, true) };
  },

  refreshList: (ctx) => {
    const list = ctx.state.lists[ctx.params.id!];
    if (!list || !reachable(ctx, ctx.state.organizations[String(list.organizationId)])) throw notFound(`List ${ctx.params.id!}`);
    const now = ctx.nowIso();
    // The recalculation a real server queues finishes at once here.
    list.lastSyncedTime = now;
    list.updatedAt = now;
    ctx.changed();
    return { status: 202, body: { id: list.id!, status: 'queued', requestedAt: now } };
  },

  listOrganizationIcpConfigs: (ctx) => {
    const org = orgOf(ctx);
    return { status: 200, body: Object.values(ctx.state.organizationIcpConfigs).filter((c) => c.organizationId === org.id).sort(bySeq).map((c) => strip(c)) };
  },

  createOrganizationIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    if (b.slug === 'stats') throw unprocessable('The slug "stats" is reserved', { field: 'slug', reason: 'is reserved' });
    const key = `${String(org.id)}/${String(b.slug)}`;
    if (ctx.state.organizationIcpConfigs[key]) throw unprocessable(`An ICP config with the slug ${String(b.slug)} already exists`, { field: 'slug', reason: 'is already used' });
    const now = ctx.nowIso();
    const filter = b.filter as Rec;
    const rec = {
      seq: ++ctx.state.seq,
      slug: b.slug!,
      name: b.name!,
      organizationId: String(org.id),
      description: b.description ?? null,
      filter,
      isActive: b.isActive ?? true,
      matchedCompanies: Object.values(ctx.state.companies).filter((c) => c.organizationId === org.id && matches(filter, c)).length,
      lastCalculatedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    ctx.state.organizationIcpConfigs[key] = rec;
    ctx.changed();
    return { status: 201, body: strip(rec) };
  },

  getOrganizationIcpConfigStats: (ctx) => {
    const org = orgOf(ctx);
    const configs = Object.values(ctx.state.organizationIcpConfigs).filter((c) => c.organizationId === org.id).sort(bySeq);
    const cs = Object.values(ctx.state.companies).filter((c) => c.organizationId === org.id);
    const matched = new Set<string>();
    const stats = configs.map((c) => {
      const hits = cs.filter((co) => matches(c.filter as Rec, co));
      for (const h of hits) matched.add(String(h.id));
      const scores = hits.map((h) => h.icpScore).filter((s): s is number => typeof s === 'number');
      return { slug: c.slug!, name: c.name!, matchedCompanies: hits.length, averageScore: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null };
    });
    const calculated = configs.map((c) => c.lastCalculatedAt).filter((t): t is string => typeof t === 'string').sort();
    return { status: 200, body: { organizationId: String(org.id), totalCompanies: cs.length, icpMatchedCompanies: matched.size, configs: stats, calculatedAt: calculated[calculated.length - 1] ?? null } };
  },

  getOrganizationIcpConfig: (ctx) => ({ status: 200, body: strip(icpOf(ctx)) }),

  updateOrganizationIcpConfig: (ctx) => {
    const rec = icpOf(ctx);
    const b = body(ctx);
    for (const f of ['name', 'description', 'filter', 'isActive']) if (b[f] !== undefined) rec[f] = b[f]!;
    rec.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: strip(rec) };
  },

  deleteOrganizationIcpConfig: (ctx) => {
    const org = orgOf(ctx);
    const key = icpKey(ctx, org);
    if (!ctx.state.organizationIcpConfigs[key]) throw notFound(`ICP config ${ctx.params.slug!}`);
    delete ctx.state.organizationIcpConfigs[key];
    ctx.changed();
    return { status: 204 };
  },

  recalculateOrganizationIcpConfig: (ctx) => {
    const rec = icpOf(ctx);
    if (rec.isActive === false) throw unprocessable('An inactive ICP config is not recalculated; activate it first', { slug: rec.slug! });
    const now = ctx.nowIso();
    rec.matchedCompanies = Object.values(ctx.state.companies).filter((c) => c.organizationId === rec.organizationId && matches(rec.filter as Rec, c)).length;
    rec.lastCalculatedAt = now;
    ctx.changed();
    return { status: 202, body: { organizationId: rec.organizationId!, slug: rec.slug!, status: 'queued', requestedAt: now } };
  },

  listIntegrations: (ctx) => ({ status: 200, body: integrationsOf(ctx, orgOf(ctx)) }),

  listIntegrationFlows: (ctx) => {
    const org = orgOf(ctx);
    return { status: 200, body: Object.values(ctx.state.flows).filter((f) => f.organizationId === org.id).sort(bySeq).map((f) => strip(f)) };
  },

  getIntegrationFlow: (ctx) => {
    const org = orgOf(ctx);
    const flow = ctx.state.flows[ctx.params.flow_id!];
    if (!flow || flow.organizationId !== org.id) throw notFound(`Flow ${ctx.params.flow_id!}`);
    return { status: 200, body: strip(flow) };
  },

  deleteIntegrationFlow: (ctx) => {
    const org = orgOf(ctx);
    const flow = ctx.state.flows[ctx.params.flow_id!];
    if (!flow || flow.organizationId !== org.id) throw notFound(`Flow ${ctx.params.flow_id!}`);
    delete ctx.state.flows[ctx.params.flow_id!];
    ctx.changed();
    return { status: 204 };
  },

  createIntegrationFlow: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const integration = integrationOf(ctx, org, String(b.integrationType));
    if (integration.installed !== true) throw unprocessable(`The ${String(b.integrationType)} integration is not connected`, { integrationType: b.integrationType! });
    if (b.listId !== undefined && ctx.state.lists[String(b.listId)]?.organizationId !== org.id) throw notFound(`List ${String(b.listId)}`);
    if (b.icpSlug !== undefined && !ctx.state.organizationIcpConfigs[`${String(org.id)}/${String(b.icpSlug)}`]) throw notFound(`ICP config ${String(b.icpSlug)}`);
    const now = ctx.nowIso();
    const flow = {
      seq: ++ctx.state.seq,
      id: shortId('flow'),
      organizationId: String(org.id),
      name: b.name!,
      integrationType: b.integrationType!,
      trigger: b.trigger!,
      listId: b.listId ?? null,
      icpSlug: b.icpSlug ?? null,
      enabled: b.enabled ?? true,
      createdAt: now,
      updatedAt: now,
    };
    ctx.state.flows[flow.id] = flow;
    ctx.changed();
    return { status: 201, body: strip(flow) };
  },

  createIntegratorToken: (ctx) => {
    orgOf(ctx);
    return { status: 200, body: { token: `itk_${hex32()}`, expiresAt: iso(new Date(ctx.now().getTime() + 3600_000)) } };
  },

  selectIntegrationAccount: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const integration = integrationOf(ctx, org, String(b.integrationType));
    if (integration.installed !== true) throw unprocessable(`The ${String(b.integrationType)} integration is not connected`, { integrationType: b.integrationType! });
    const account = ((integration.adsAccounts ?? []) as Rec[]).find((a) => a.id === b.accountId);
    if (!account) throw unprocessable(`The ${String(b.integrationType)} integration has no ads account ${String(b.accountId)}`, { accountId: b.accountId! });
    integration.selectedAdsAccount = account;
    ctx.changed();
    return { status: 200, body: integration };
  },

  requestIntegrationInstall: (ctx) => {
    const org = orgOf(ctx);
    const type = String(ctx.query.integrationType);
    const integration = integrationsOf(ctx, org).find((i) => i.type === type);
    if (!integration) throw unprocessable(`There is no ${type} integration`, { integrationType: type });
    if (integration.installed === true) throw unprocessable(`The ${type} integration is already installed`, { integrationType: type });
    ctx.changed();
    return { status: 200, body: { integrationType: type, installUrl: `https://app.bullseye.so/integrations/${type}/install?state=${hex32()}`, expiresAt: iso(new Date(ctx.now().getTime() + 15 * 60_000)) } };
  },

  listSubscriptionPlans: (ctx) => {
    orgOf(ctx);
    return { status: 200, body: ctx.state.plans };
  },

  getCustomerInfo: (ctx) => {
    const org = orgOf(ctx);
    const customer = ctx.state.customers[String(org.id)] ?? { customerId: `cus_${hex32().slice(0, 14)}`, email: null, name: org.name!, subscription: null, defaultPaymentMethod: null };
    return { status: 200, body: customer };
  },

  createSubscriptionCheckout: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    planOf(ctx, String(b.productId), String(b.priceId));
    ctx.state.customers[String(org.id)] ??= { customerId: `cus_${hex32().slice(0, 14)}`, email: null, name: org.name!, subscription: null, defaultPaymentMethod: null };
    ctx.changed();
    return { status: 200, body: { url: `https://checkout.stripe.com/c/pay/cs_test_${hex32()}` } };
  },

  processSubscription: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const plan = planOf(ctx, String(b.productId ?? ctx.state.plans[0]?.productId), String(b.priceId ?? ctx.state.plans[0]?.priceId));
    const now = ctx.now();
    const customer = (ctx.state.customers[String(org.id)] ??= { customerId: `cus_${hex32().slice(0, 14)}`, email: null, name: org.name!, subscription: null, defaultPaymentMethod: null });
    const sub: Rec = { id: `sub_${hex32().slice(0, 16)}`, organizationId: String(org.id), status: 'active', productId: plan.productId!, priceId: plan.priceId!, planName: plan.name!, currentPeriodStart: iso(now), currentPeriodEnd: iso(addMonth(now)), cancelAtPeriodEnd: false };
    customer.subscription = sub;
    ctx.changed();
    return { status: 200, body: sub };
  },

  updateSubscription: (ctx) => {
    const org = orgOf(ctx);
    const b = body(ctx);
    const sub = subscriptionOf(ctx, org);
    const plan = planOf(ctx, String(b.productId), String(b.priceId));
    Object.assign(sub, { productId: plan.productId!, priceId: plan.priceId!, planName: plan.name!, cancelAtPeriodEnd: false });
    ctx.changed();
    return { status: 200, body: sub };
  },

  cancelSubscription: (ctx) => {
    const org = orgOf(ctx);
    const sub = subscriptionOf(ctx, org);
    if (sub.cancelAtPeriodEnd === true) throw unprocessable('The subscription is already set to end', { organizationId: String(org.id) });
    sub.cancelAtPeriodEnd = true;
    ctx.changed();
    return { status: 200, body: sub };
  },

  createCustomerPortalSession: (ctx) => {
    orgOf(ctx);
    return { status: 200, body: { url: `https://billing.stripe.com/p/session/test_${hex32()}` } };
  },

  getAgencyOverview: (ctx) => {
    const agency = orgOf(ctx, ctx.auth.ownerId);
    const subs = Object.values(ctx.state.organizations).filter((o) => o.agencyId === agency.id);
    const now = ctx.now();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    return {
      status: 200,
      body: {
        organizationId: String(agency.id),
        totalSubOrganizations: subs.length,
        activeSubOrganizations: subs.filter((o) => (o.agencyStatus ?? 'active') === 'active').length,
        totalIdentifications: subs.reduce((n, o) => n + Number(o.identificationsThisPeriod ?? 0), 0),
        totalVisitors: subs.reduce((n, o) => n + Number(o.visitorsThisPeriod ?? 0), 0),
        periodStart: iso(start),
        periodEnd: iso(addMonth(start)),
      },
    };
  },

  listAgencySubOrganizations: (ctx) => {
    const items = recordsWhere(ctx.state.organizations, (o) => o.agencyId === ctx.auth.ownerId).sort((a, b) => compareText(String(b.createdAt), String(a.createdAt)) || b.seq - a.seq);
    return { status: 200, body: organizationPage(ctx, items, subOrgOut) };
  },

  createAgencySubOrganization: (ctx) => {
    const b = body(ctx);
    const agency = orgOf(ctx, ctx.auth.ownerId);
    const now = ctx.nowIso();
    const id = shortId('org');
    const org: Org = {
      seq: ++ctx.state.seq,
      id,
      name: b.name!,
      domain: b.domain ?? null,
      ownerUserId: agency.ownerUserId ?? null,
      maxOverages: null,
      members: [],
      createdAt: now,
      updatedAt: now,
      partnerId: null,
      agencyId: String(agency.id),
      agencyStatus: 'active',
      identificationsThisPeriod: 0,
      visitorsThisPeriod: 0,
      partner: null,
    };
    ctx.state.organizations[id] = org;
    ctx.changed();
    return { status: 201, body: subOrgOut(org) };
  },

  getAgencySubOrganization: (ctx) => {
    const org = ctx.state.organizations[ctx.params.organization_id!];
    if (!org || org.agencyId !== ctx.auth.ownerId) throw notFound(`Sub-organization ${ctx.params.organization_id!}`);
    return { status: 200, body: subOrgOut(org) };
  },

  updateAgencySubOrganization: (ctx) => {
    const org = ctx.state.organizations[ctx.params.organization_id!];
    if (!org || org.agencyId !== ctx.auth.ownerId) throw notFound(`Sub-organization ${ctx.params.organization_id!}`);
    const b = body(ctx);
    if (b.name !== undefined) org.name = b.name;
    if (b.domain !== undefined) org.domain = b.domain;
    if (b.status !== undefined) org.agencyStatus = b.status;
    org.updatedAt = ctx.nowIso();
    ctx.changed();
    return { status: 200, body: subOrgOut(org) };
  },
};
