// The sandbox's state and rules, in-process (the engine's own `fetch` under the SDK, no server):
// pagination over real data with true totals in both conventions, tenants that cannot see each
// other, deleting an organization taking what hangs off it, the documented business rules, keys
// that expire when the clock moves, scopes, rate limits, CORS, reset, and the path matcher.
import { describe, expect, it } from 'vitest';
import { createOrganizationClient, createPartnerClient, matchPath, unwrap } from '../../src/index.js';
import { createSandbox, grants, SANDBOX_BASE_URL, SEEDED_KEYS, seedFromSpec, TRIAL_CREDIT_LIMIT, type Sandbox } from '../../packages/sandbox/src/index.js';
import { hashKey } from '../../packages/sandbox/src/store.js';
import { loadContract } from '../../packages/sandbox/src/spec.js';

const partnerOf = (sb: Sandbox, apiKey: string = SEEDED_KEYS.partner) => createPartnerClient({ apiKey, baseUrl: SANDBOX_BASE_URL, fetch: sb.fetch, maxRetries: 0 });
const orgOf = (sb: Sandbox, apiKey: string = SEEDED_KEYS.organization.admin) => createOrganizationClient({ apiKey, baseUrl: SANDBOX_BASE_URL, fetch: sb.fetch, maxRetries: 0 });

async function raw(sb: Sandbox, method: string, url: string, key: string | undefined, body?: unknown): Promise<{ status: number; headers: Record<string, string>; json: any }> {
  const header = url.startsWith('/partner') ? 'x-partner-api-key' : 'x-api-key';
  const r = await sb.handle({ method, url, headers: { ...(key ? { [header]: key } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)) });
  return { status: r.status, headers: r.headers, json: r.body ? JSON.parse(r.body) : undefined };
}

describe('pagination over real data', () => {
  it('Partner organizations: page/pageSize in a stable order with the true total', async () => {
    const sb = createSandbox({ strict: true });
    const partner = partnerOf(sb);
    const seeded = (await unwrap(partner.GET('/partner/organizations', {}))).total;
    for (let i = 0; i < 23; i++) await unwrap(partner.POST('/partner/organizations', { body: { name: `Org ${String(i).padStart(2, '0')}` } }));
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(await unwrap(partner.GET('/partner/organizations', { params: { query: { page, pageSize: 7 } } })));
    expect(pages.map((p) => p.total)).toEqual([seeded + 23, seeded + 23, seeded + 23, seeded + 23]);
    const ids = pages.flatMap((p) => p.organizations.map((o) => o.id));
    expect(new Set(ids).size).toBe(seeded + 23);
    expect(pages[3]!.organizations).toHaveLength(seeded + 23 - 21);
    // Creation order, so a new organization never reshuffles earlier pages.
    const names = pages.flatMap((p) => p.organizations.map((o) => o.name)).slice(seeded);
    expect(names).toEqual(Array.from({ length: 23 }, (_, i) => `Org ${String(i).padStart(2, '0')}`));
    expect((await unwrap(partner.GET('/partner/organizations', {}))).pageSize).toBe(20);
    // Filters narrow the total too.
    const search = await unwrap(partner.GET('/partner/organizations', { params: { query: { search: 'org 1' } } }));
    expect(search.total).toBe(10);
    await sb.close();
  });

  it('past a thousand records (where V8 stores a table differently) the list keeps creation order and the true total', async () => {
    const sb = createSandbox();
    const partnerId = Object.keys(sb.state.partners)[0]!;
    sb.state.partners[partnerId]!.maxOrganizations = 10_000;
    const seeded = (await raw(sb, 'GET', '/partner/organizations', SEEDED_KEYS.partner)).json.total as number;
    const created = 1_100;
    for (let i = 0; i < created; i++) expect((await raw(sb, 'POST', '/partner/organizations', SEEDED_KEYS.partner, { name: `Bulk ${i}` })).status).toBe(201);
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push((await raw(sb, 'GET', `/partner/organizations?page=${page}&pageSize=500`, SEEDED_KEYS.partner)).json);
    expect(pages.map((p) => p.total)).toEqual([seeded + created, seeded + created, seeded + created]);
    const all = pages.flatMap((p) => p.organizations as Array<{ id: string; name: string }>);
    expect(all).toHaveLength(seeded + created);
    expect(new Set(all.map((o) => o.id)).size).toBe(seeded + created);
    expect(all.slice(seeded).map((o) => o.name)).toEqual(Array.from({ length: created }, (_, i) => `Bulk ${i}`));
    // A page past the end is empty, with the same total.
    expect((await raw(sb, 'GET', '/partner/organizations?page=4&pageSize=500', SEEDED_KEYS.partner)).json).toMatchObject({ organizations: [], total: seeded + created });
    await sb.close();
  });

  it('Organization companies: page/limit → {data, total, page, limit}', async () => {
    const sb = createSandbox({ strict: true });
    for (let i = 0; i < 5; i++) await sb.identify('org_abc123', { email: `p${i}@co${i}.example`, companyDomain: `co${i}.example` });
    const org = orgOf(sb);
    const first = await unwrap(org.GET('/companies', { params: { query: { organizationId: 'org_abc123', page: 1, limit: 3 } } }));
    const second = await unwrap(org.GET('/companies', { params: { query: { organizationId: 'org_abc123', page: 2, limit: 3 } } }));
    expect(first).toMatchObject({ total: 7, page: 1, limit: 3 });
    expect(second.data).toHaveLength(3);
    const all = [...(first.data ?? []), ...(second.data ?? []), ...((await unwrap(org.GET('/companies', { params: { query: { organizationId: 'org_abc123', page: 3, limit: 3 } } }))).data ?? [])];
    expect(new Set(all.map((c) => c.id)).size).toBe(7);
    await sb.close();
  });
});

describe('tenants', () => {
  it("another partner's organization is a 404, and the list does not show it", async () => {
    const seed = seedFromSpec(loadContract());
    const otherKey = 'pk_live_0ther0000000000000000000000000000';
    seed.partners.p2 = { ...seed.partners[Object.keys(seed.partners)[0]!]!, id: 'p2', name: 'Other partner', slug: 'other' };
    seed.partnerWebhooks.p2 = { identification: { url: null, enabled: false, secret: null }, billing: { url: null, enabled: false, secret: null } };
    seed.partnerBilling.p2 = { ...seed.partnerBilling[Object.keys(seed.partnerBilling)[0]!]! };
    seed.partnerKeys.k2 = { seq: 9999, hash: hashKey(otherKey), ownerId: 'p2', record: { id: 'k2', name: 'other', keyPrefix: 'pk_live_0ther', scopes: [], status: 'active', expiresAt: null, lastUsedAt: null, createdAt: '2025-01-01T00:00:00Z' } };
    const sb = createSandbox({ seed, strict: true });
    const mine = await unwrap(partnerOf(sb).POST('/partner/organizations', { body: { name: 'Mine' } }));
    const other = partnerOf(sb, otherKey);
    expect((await unwrap(other.GET('/partner/organizations', {}))).total).toBe(0);
    const { response } = await other.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: mine.organization!.id! } } });
    expect(response.status).toBe(404);
    const del = await other.DELETE('/partner/organizations/{organizationId}', { params: { path: { organizationId: mine.organization!.id! } } });
    expect(del.response.status).toBe(404);
    await sb.close();
  });

  it("an Organization key cannot reach another organization's records (404)", async () => {
    const sb = createSandbox({ strict: true });
    const org = orgOf(sb);
    // 7c9e… is a Partner client organization: not the key's, not its user's.
    for (const call of [
      org.GET('/organization/{organization_id}', { params: { path: { organization_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } } }),
      org.GET('/companies', { params: { query: { organizationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } } }),
      org.GET('/lists/{id}', { params: { path: { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } } }),
    ]) {
      const { response, error } = await call;
      expect(response.status).toBe(404);
      expect(error).toMatchObject({ code: 'not_found' });
    }
    await sb.close();
  });
});

describe('deleting an organization', () => {
  it('cancels it, returns its unused credits and removes what hangs off it', async () => {
    const sb = createSandbox({ strict: true });
    const partner = partnerOf(sb);
    const orgId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const before = (await unwrap(partner.GET('/partner/me'))).partner;
    expect((await unwrap(partner.GET('/partner/organizations/{organizationId}/icp-configs', { params: { path: { organizationId: orgId } } }))).icpConfigs).toHaveLength(2);
    await unwrap(partner.DELETE('/partner/organizations/{organizationId}', { params: { path: { organizationId: orgId } } }));
    const got = await unwrap(partner.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: orgId } } }));
    expect(got.organization).toMatchObject({ status: 'canceled', credits: 0 });
    expect((await unwrap(partner.GET('/partner/organizations/{organizationId}/icp-configs', { params: { path: { organizationId: orgId } } }))).icpConfigs).toEqual([]);
    expect((await unwrap(partner.GET('/partner/organizations/{organizationId}/visitors', { params: { path: { organizationId: orgId } } }))).total).toBe(0);
    const after = (await unwrap(partner.GET('/partner/me'))).partner;
    expect(after.creditPoolAvailable).toBe(before.creditPoolAvailable! + 1000);
    // A canceled organization cannot be re-enabled.
    const { response } = await partner.PUT('/partner/organizations/{organizationId}/status', { params: { path: { organizationId: orgId } }, body: { status: 'active' } });
    expect(response.status).toBe(422);
    expect((await unwrap(partner.GET('/partner/organizations', { params: { query: { status: 'canceled' } } }))).organizations.map((o) => o.id)).toEqual([orgId]);
    await sb.close();
  });
});

describe('business rules', () => {
  it('a trial organization holds at most 500 credits', async () => {
    const sb = createSandbox({ strict: true });
    const partner = partnerOf(sb);
    const over = await partner.POST('/partner/organizations', { body: { name: 'Trial', tier: 'trial', initialCredits: TRIAL_CREDIT_LIMIT + 1 } });
    expect(over.response.status).toBe(422);
    const trial = await unwrap(partner.POST('/partner/organizations', { body: { name: 'Trial', initialCredits: TRIAL_CREDIT_LIMIT } }));
    expect(trial.organization).toMatchObject({ tier: 'trial', credits: 500 });
    const id = trial.organization!.id!;
    expect((await partner.PUT('/partner/organizations/{organizationId}/credits', { params: { path: { organizationId: id } }, body: { credits: 501 } })).response.status).toBe(422);
    await unwrap(partner.PUT('/partner/organizations/{organizationId}/tier', { params: { path: { organizationId: id } }, body: { tier: 'paid' } }));
    await unwrap(partner.PUT('/partner/organizations/{organizationId}/credits', { params: { path: { organizationId: id } }, body: { credits: 900 } }));
    // Back to trial with 900 credits would break the cap.
    const back = await partner.PUT('/partner/organizations/{organizationId}/tier', { params: { path: { organizationId: id } }, body: { tier: 'trial' } });
    expect(back.response.status).toBe(422);
    await sb.close();
  });

  it('billingDayOfMonth is 1–28 (400 naming the field), a key expiry lies ahead, the plain key is shown once', async () => {
    const sb = createSandbox({ strict: true });
    const r = await raw(sb, 'POST', '/partner/organizations', SEEDED_KEYS.partner, { name: 'X', billingDayOfMonth: 29 });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'BadRequest', details: { field: 'billingDayOfMonth' } });
    // Every failure is named, in the mock's {in, field, reason} shape.
    const many = await raw(sb, 'GET', '/partner/organizations?page=0&status=gone', SEEDED_KEYS.partner);
    expect(many.status).toBe(400);
    expect(many.json.details.errors).toEqual([
      { in: 'query', field: 'page', reason: 'must be >= 1' },
      { in: 'query', field: 'status', reason: 'must be one of active, canceled, suspended' },
    ]);
    const past = await raw(sb, 'POST', '/partner/api-keys', SEEDED_KEYS.partner, { name: 'k', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.json.details).toMatchObject({ field: 'expiresAt' });
    const created = await raw(sb, 'POST', '/partner/api-keys', SEEDED_KEYS.partner, { name: 'k', scopes: ['read'] });
    expect(created.status).toBe(201);
    expect(created.json.plainKey).toMatch(/^pk_live_[0-9a-f]{32}$/);
    const listed = await raw(sb, 'GET', '/partner/api-keys', SEEDED_KEYS.partner);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.plainKey);
    expect(JSON.stringify(sb.state)).not.toContain(created.json.plainKey);
    expect((await raw(sb, 'GET', '/partner/me', created.json.plainKey)).status).toBe(200);
    await sb.close();
  });
});

describe('keys, scopes and time', () => {
  it('a key expires when the sandbox clock passes its expiresAt', async () => {
    const sb = createSandbox({ strict: true });
    const expiresAt = new Date(sb.now().getTime() + 3600_000).toISOString();
    const created = await raw(sb, 'POST', '/organization/org_abc123/api-keys', SEEDED_KEYS.organization.admin, { name: 'short', scopes: ['read'], expiresAt });
    expect(created.status).toBe(201);
    expect((await raw(sb, 'GET', '/organization/org_abc123', created.json.plainKey)).status).toBe(200);
    await sb.advanceClock(2 * 3600_000);
    const expired = await raw(sb, 'GET', '/organization/org_abc123', created.json.plainKey);
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ code: 'unauthorized', message: 'The API key has expired' });
    await sb.close();
  });

  it('the scope rule of each API decides, and a 403 names the missing scope', async () => {
    expect(grants('partner', [], ['admin'])).toBe(true);
    expect(grants('partner', ['write'], ['read'])).toBe(true);
    expect(grants('partner', ['write'], ['admin'])).toBe(false);
    expect(grants('partner', ['read'], ['write'])).toBe(false);
    expect(grants('partner', ['admin'], ['write'])).toBe(true);
    expect(grants('organization', ['admin'], ['write'])).toBe(true);
    expect(grants('organization', ['admin'], ['agency:read'])).toBe(false);
    expect(grants('organization', [], ['read'])).toBe(false);
    // The spec's rule (x-scope-includes): write includes read on both APIs, agency:write includes agency:read.
    expect(grants('organization', ['write'], ['read'])).toBe(true);
    expect(grants('organization', ['read'], ['write'])).toBe(false);
    expect(grants('organization', ['agency:write'], ['agency:read'])).toBe(true);
    expect(grants('organization', ['agency:read'], ['agency:write'])).toBe(false);
    expect(grants('organization', ['admin'], ['agency:write'])).toBe(false);
    const sb = createSandbox({ strict: true });
    const read = await raw(sb, 'POST', '/partner/api-keys', SEEDED_KEYS.partner, { name: 'r', scopes: ['read'] });
    const denied = await raw(sb, 'POST', '/partner/organizations', read.json.plainKey, { name: 'x' });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'Forbidden', details: { requiredScope: 'write' } });
    expect(denied.json.message).toContain('"write"');
    expect(denied.json.message).toContain('"admin"');
    const agency = await raw(sb, 'GET', '/agency/overview', SEEDED_KEYS.organization.admin);
    expect(agency.status).toBe(403);
    expect(agency.json.details.requiredScope).toBe('agency:read');
    expect((await raw(sb, 'GET', '/partner/me', undefined)).status).toBe(401);
    expect((await raw(sb, 'GET', '/partner/me', 'pk_live_not_a_key')).status).toBe(401);
    // The key never appears in an error.
    expect(JSON.stringify((await raw(sb, 'GET', '/partner/me', 'pk_live_secret_value_123')).json)).not.toContain('secret_value');
    await sb.close();
  });

  it('rate limits: live headers per partner account, a real 429 with Retry-After when enforced', async () => {
    const sb = createSandbox({ rateLimit: { limit: 3, enforce: true } });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await raw(sb, 'GET', '/partner/me', SEEDED_KEYS.partner)).headers['X-RateLimit-Remaining']!);
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await raw(sb, 'GET', '/partner/me', SEEDED_KEYS.partner);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(limited.json).toMatchObject({ code: 'TooManyRequests', details: { limit: 3, window: '1m' } });
    // Per key on the Organization API: another key has its own window.
    expect((await raw(sb, 'GET', '/organization/list', SEEDED_KEYS.organization.read)).status).toBe(200);
    // A minute later the window is fresh.
    await sb.advanceClock(61_000);
    expect((await raw(sb, 'GET', '/partner/me', SEEDED_KEYS.partner)).status).toBe(200);
    await sb.close();
  });
});

describe('the HTTP surface', () => {
  it('answers CORS and private-network preflights, and exposes the rate-limit headers', async () => {
    const sb = createSandbox();
    const pre = await sb.handle({
      method: 'OPTIONS',
      url: '/partner/me',
      headers: { origin: 'https://docs.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-partner-api-key', 'access-control-request-private-network': 'true' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'x-partner-api-key', 'Access-Control-Allow-Private-Network': 'true' });
    const r = await raw(sb, 'GET', '/partner/me', SEEDED_KEYS.partner);
    expect(r.headers['Access-Control-Expose-Headers']).toContain('X-RateLimit-Remaining');
    await sb.close();
  });

  it('unknown paths are 404 and wrong methods 405, in each API envelope', async () => {
    const sb = createSandbox();
    expect(await raw(sb, 'GET', '/partner/nothing', SEEDED_KEYS.partner)).toMatchObject({ status: 404, json: { code: 'NotFound' } });
    expect(await raw(sb, 'PATCH', '/partner/me', SEEDED_KEYS.partner)).toMatchObject({ status: 405, json: { code: 'MethodNotAllowed' } });
    expect(await raw(sb, 'GET', '/nothing/here', SEEDED_KEYS.organization.admin)).toMatchObject({ status: 404, json: { code: 'not_found' } });
    await sb.close();
  });

  it('the shared matcher routes: fixed segments win, each segment decoded safely', async () => {
    // The SDK's matcher over the generated table is the sandbox's router.
    expect(matchPath('/organization/list')?.template).toBe('/organization/list');
    expect(matchPath('/organizations/o/icp-configs/stats')?.template).toBe('/organizations/{organization_id}/icp-configs/stats');
    const sb = createSandbox({ strict: true });
    const key = SEEDED_KEYS.organization.admin;
    const list = await raw(sb, 'GET', '/organization/list', key);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).toContain('org_abc123');
    const one = await raw(sb, 'GET', '/organization/org_abc123', key);
    expect(one.status).toBe(200);
    expect(one.json).not.toEqual(list.json);
    // A trailing slash is the same resource; an escaped placeholder value is decoded before use.
    expect(await raw(sb, 'GET', '/organization/org_abc123/', key)).toMatchObject({ status: 200, json: one.json });
    expect(await raw(sb, 'GET', '/organization/org%5Fabc123', key)).toMatchObject({ status: 200, json: one.json });
    expect((await raw(sb, 'GET', '/organizations/org_abc123/icp-configs/stats', key)).status).toBe(200);
    // `/organization/list` has no DELETE: the fixed template wins, so 405, not an organization named "list".
    const del = await raw(sb, 'DELETE', '/organization/list', key);
    expect(del.status).toBe(405);
    expect(del.headers.Allow).toBe('GET');
    for (const bad of ['/organization/%', '/organization/%C3%28']) {
      expect(await raw(sb, 'GET', bad, key)).toMatchObject({ status: 400, json: { details: { field: 'path' } } });
    }
    await sb.close();
  });

  it('reset returns to the seed; the clock never goes back', async () => {
    const sb = createSandbox();
    const partner = partnerOf(sb);
    const seeded = (await unwrap(partner.GET('/partner/organizations', {}))).total;
    await unwrap(partner.POST('/partner/organizations', { body: { name: 'Temp' } }));
    await sb.advanceClock(86_400_000);
    const t = sb.now().getTime();
    const res = await sb.handle({ method: 'POST', url: '/_sandbox/reset', headers: {} });
    expect(res.status).toBe(200);
    expect((await unwrap(partner.GET('/partner/organizations', {}))).total).toBe(seeded);
    expect(sb.now().getTime()).toBeGreaterThanOrEqual(t);
    // Same seed, same ids.
    const fresh = createSandbox();
    expect(Object.keys(fresh.state.organizations)).toEqual(Object.keys(sb.state.organizations));
    expect(Object.keys(fresh.state.partnerKeys)).toEqual(Object.keys(sb.state.partnerKeys));
    await fresh.close();
    await sb.close();
  });
});
