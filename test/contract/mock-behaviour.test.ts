// What integrators rely on from the mock beyond the happy path: keys of the wrong API are refused,
// Prefer headers give every documented error with the Error envelope and the right headers, every
// error the mock itself produces (bad JSON, a huge body, unknown path, wrong method) is the
// documented envelope in the API's casing, a 403 names the operation's own scope, a bad request
// names its failing fields, and the rate-limit headers are live.
import { describe, expect, inject, it } from 'vitest';
import { buildRequest, specOperations } from '../../scripts/lib/contract-check.js';
import { createValidator, loadSpec, operations } from '../support/spec.js';
import { ORGANIZATION_TEST_KEY, PARTNER_TEST_KEY } from './clients.js';

const mockUrl = inject('mockUrl');
const doc = loadSpec();
const validator = createValidator(doc);
const ops = operations(doc);
const errorPointer = '#/components/schemas/Error';

const firstGet = (api: 'partner' | 'organization'): string => {
  const op = ops.find((o) => o.api === api && o.method === 'get' && !o.hasRequiredParameter && !o.path.includes('{'));
  if (!op) throw new Error(`no parameterless GET in the ${api} API`);
  return op.path;
};

describe('mock: authentication is per API', () => {
  it('an Organization key on a Partner path gets 401 with the Error envelope', async () => {
    const res = await fetch(`${mockUrl}/partner/me`, { headers: { 'X-API-Key': ORGANIZATION_TEST_KEY } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { code: string };
    expect(validator.validate(errorPointer, body)).toEqual([]);
    expect(body.code).toBe('Unauthorized');
  });

  it('a Partner key on an Organization path gets 401 with the Error envelope', async () => {
    const res = await fetch(`${mockUrl}${firstGet('organization')}`, { headers: { 'X-Partner-API-Key': PARTNER_TEST_KEY } });
    expect(res.status).toBe(401);
    expect(validator.validate(errorPointer, await res.json())).toEqual([]);
  });

  it('the Partner key on a Partner path gets 200', async () => {
    const res = await fetch(`${mockUrl}/partner/me`, { headers: { 'X-Partner-API-Key': PARTNER_TEST_KEY } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { partner: { id: string } }).partner.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('mock: lookups take any slug the server may have issued (D10 R7)', () => {
  // A slug made in the dashboard need not follow our creation rule (lowercase words joined by `-`).
  const slug = encodeURIComponent('Enterprise SaaS_2026');
  it('an Organization ICP config slug outside the creation rule is read, not refused', async () => {
    const res = await fetch(`${mockUrl}/organizations/org_abc123/icp-configs/${slug}`, { headers: { 'X-API-Key': ORGANIZATION_TEST_KEY } });
    expect(res.status).toBe(200);
    expect(res.headers.get('sl-violations')).toBeNull();
  });

  it('a Partner ICP config slug outside the creation rule is read, not refused', async () => {
    const res = await fetch(`${mockUrl}/partner/organizations/7c9e6679-7425-40de-944b-e07fc1f90ae7/icp-configs/${slug}`, {
      headers: { 'X-Partner-API-Key': PARTNER_TEST_KEY },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('sl-violations')).toBeNull();
  });
});

describe.each([
  ['partner', { 'X-Partner-API-Key': PARTNER_TEST_KEY }],
  ['organization', { 'X-API-Key': ORGANIZATION_TEST_KEY }],
] as const)('mock: Prefer code on the %s API', (api, auth) => {
  it('Prefer: code=403 gives the Error envelope', async () => {
    const res = await fetch(`${mockUrl}${firstGet(api)}`, { headers: { ...auth, Prefer: 'code=403' } });
    expect(res.status).toBe(403);
    expect(validator.validate(errorPointer, await res.json())).toEqual([]);
  });

  it('Prefer: code=429 gives Retry-After, the rate-limit headers and the Error envelope', async () => {
    const res = await fetch(`${mockUrl}${firstGet(api)}`, { headers: { ...auth, Prefer: 'code=429' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(0);
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      expect(res.headers.get(h), h).toMatch(/^\d+$/);
    }
    const body = (await res.json()) as { code: string };
    expect(validator.validate(errorPointer, body)).toEqual([]);
    expect(body.code).toBe(api === 'partner' ? 'TooManyRequests' : 'rate_limit_exceeded');
  });
});

const partnerAuth = { 'X-Partner-API-Key': PARTNER_TEST_KEY };
const organizationAuth = { 'X-API-Key': ORGANIZATION_TEST_KEY };

/** An error answer: status, JSON content type, the Error envelope, and the body. */
async function expectEnvelope(res: Response, status: number): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { code: string; message: string; details: Record<string, unknown> };
  expect(validator.validate(errorPointer, body)).toEqual([]);
  return body;
}

describe.each([
  ['partner', partnerAuth, '/partner/api-keys', { 400: 'BadRequest', 404: 'NotFound', 405: 'MethodNotAllowed', 413: 'PayloadTooLarge' }],
  ['organization', organizationAuth, '/organization', { 400: 'invalid_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large' }],
] as const)('mock: errors the mock itself produces on the %s API are the Error envelope', (api, auth, postPath, codes) => {
  const json = { ...auth, 'content-type': 'application/json' };

  it('malformed JSON: 400 in the API\'s casing, naming the body', async () => {
    const body = await expectEnvelope(await fetch(`${mockUrl}${postPath}`, { method: 'POST', headers: json, body: '{"name": ' }), 400);
    expect(body.code).toBe(codes[400]);
    expect(body.details).toMatchObject({ field: 'body', reason: 'is not valid JSON' });
  });

  it('a body over 10 MB: 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) });
    const body = await expectEnvelope(await fetch(`${mockUrl}${postPath}`, { method: 'POST', headers: json, body: huge }), 413);
    expect(body.code).toBe(codes[413]);
  });

  it('an unknown path: 404', async () => {
    const unknown = api === 'partner' ? '/partner/no-such-thing' : '/no-such-thing';
    const body = await expectEnvelope(await fetch(`${mockUrl}${unknown}`, { headers: auth }), 404);
    expect(body.code).toBe(codes[404]);
    expect(body.details).toEqual({ method: 'GET', path: unknown });
  });

  it('a method the path does not have: 405', async () => {
    const body = await expectEnvelope(await fetch(`${mockUrl}${firstGet(api)}`, { method: 'PATCH', headers: json, body: '{}' }), 405);
    expect(body.code).toBe(codes[405]);
    expect(body.details).toEqual({ method: 'PATCH', path: firstGet(api) });
  });
});

describe('mock: a 403 names the operation\'s own scope', () => {
  const all = specOperations(doc);
  it.each(ops.map((o) => [o.operationId, o] as const))('%s', async (_id, op) => {
    const spec = all.find((o) => o.operationId === op.operationId)!;
    const built = buildRequest(doc, spec);
    expect(built, 'a request can be built from the examples').not.toBeTypeOf('string');
    if (typeof built === 'string') return;
    const res = await fetch(`${mockUrl}${built.target}`, {
      method: op.method.toUpperCase(),
      headers: { ...built.headers, ...(op.api === 'partner' ? partnerAuth : organizationAuth), Prefer: 'code=403' },
      ...(built.body !== undefined ? { body: built.body } : {}),
    });
    const body = await expectEnvelope(res, 403);
    expect(op.scopes).toHaveLength(1);
    expect(body.details.requiredScope).toBe(op.scopes[0]);
  });
});

describe('mock: X-Mock-Scopes answers as a key with those scopes (the scope rule of the docs and D14)', () => {
  const partner = { 'X-Partner-API-Key': PARTNER_TEST_KEY };
  const org = { 'X-API-Key': ORGANIZATION_TEST_KEY };
  const send = (path: string, headers: Record<string, string>, scopes?: string, method = 'GET') =>
    fetch(`${mockUrl}${path}`, { method, headers: { ...headers, ...(scopes === undefined ? {} : { 'X-Mock-Scopes': scopes }) } });
  const cases: [string, string, Record<string, string>, string | undefined, number, string?][] = [
    // Partner: write includes read; admin is full access; no header = a key without scopes (full access).
    ['/partner/me', 'partner', partner, 'write', 200],
    ['/partner/billing', 'partner', partner, 'write', 403, 'admin'],
    ['/partner/billing', 'partner', partner, 'admin', 200],
    ['/partner/billing', 'partner', partner, undefined, 200],
    ['/partner/me', 'partner', partner, 'reed', 400],
    // Organization: write includes read; admin grants the base scopes but not the agency ones.
    ['/organization/list', 'organization', org, 'write', 200],
    ['/organization/list', 'organization', org, 'admin', 200],
    ['/agency/overview', 'organization', org, 'admin', 403, 'agency:read'],
    ['/agency/overview', 'organization', org, 'agency:write', 200],
    ['/organization/list', 'organization', org, 'agency:write', 403, 'read'],
    ['/organization/list', 'organization', org, 'admin,superuser', 400],
  ];
  it.each(cases)('GET %s (%s) with scopes %j: %i', async (path, _api, headers, scopes, status, required) => {
    const res = await send(path, headers, scopes);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { code: string; message: string; details: Record<string, unknown> };
    if (status === 200) return;
    expect(validator.validate(errorPointer, body)).toEqual([]);
    if (status === 403) {
      expect(body.code).toBe(headers === partner ? 'Forbidden' : 'insufficient_scope');
      expect(body.details).toEqual({ requiredScope: required });
    } else {
      expect(body.message).toMatch(/unknown scope "(reed|superuser)"; the (Partner|Organization) API scopes are read, write, admin/);
    }
  });
});

describe('mock: a bad request names the fields that failed', () => {
  it('Partner body: every failing field, in the documented {field, reason} shape', async () => {
    const res = await fetch(`${mockUrl}/partner/api-keys`, { method: 'POST', headers: { ...partnerAuth, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: ['everything'] }) });
    const body = await expectEnvelope(res, 400);
    expect(body.code).toBe('BadRequest');
    expect(body.details).toMatchObject({ field: 'name', reason: 'is required' });
    expect(body.details.errors).toEqual([
      { in: 'body', field: 'name', reason: 'is required' },
      { in: 'body', field: 'scopes.0', reason: expect.stringContaining('read, write, admin') },
    ]);
  });

  it('Partner query: the parameter names as the request spelled them', async () => {
    const res = await fetch(`${mockUrl}/partner/organizations?page=first&pageSize=0`, { headers: partnerAuth });
    const body = await expectEnvelope(res, 400);
    expect((body.details.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['page', 'pageSize']);
  });

  it('Organization body: the missing field, in the API\'s casing', async () => {
    const res = await fetch(`${mockUrl}/organization`, { method: 'POST', headers: { ...organizationAuth, 'content-type': 'application/json' }, body: '{}' });
    expect([400, 422]).toContain(res.status);
    const body = await expectEnvelope(res, res.status);
    expect(body.code).toMatch(/^[a-z_]+$/);
    expect(body.details).toMatchObject({ field: 'organizationName', reason: 'is required' });
  });
});

describe('mock: live rate-limit headers', () => {
  const call = (key: string, extra: Record<string, string> = {}): Promise<Response> =>
    fetch(`${mockUrl}/partner/me`, { headers: { 'X-Partner-API-Key': key, ...extra } });
  const num = (res: Response, h: string): number => Number(res.headers.get(h));

  it('count down per key per minute, with the reset in the future', async () => {
    const key = `pk_live_ratelimit${Date.now()}`;
    const before = Math.floor(Date.now() / 1000);
    const first = await call(key);
    const second = await call(key);
    expect(first.status).toBe(200);
    expect(num(first, 'x-ratelimit-limit')).toBe(1000);
    expect(num(first, 'x-ratelimit-remaining')).toBe(999);
    expect(num(second, 'x-ratelimit-remaining')).toBe(998);
    const reset = num(first, 'x-ratelimit-reset');
    expect(reset).toBeGreaterThan(before);
    expect(reset).toBeLessThanOrEqual(before + 61);
    expect(num(second, 'x-ratelimit-reset')).toBe(reset);
    // Another key has a window of its own.
    expect(num(await call(`${key}other`), 'x-ratelimit-remaining')).toBe(999);
  });

  it('a mocked 429 agrees with itself: nothing remaining, Retry-After until the reset, no sl-violations', async () => {
    const res = await call(`pk_live_ratelimit429${Date.now()}`, { Prefer: 'code=429' });
    expect(res.status).toBe(429);
    expect(res.headers.get('sl-violations')).toBeNull();
    expect(num(res, 'x-ratelimit-remaining')).toBe(0);
    const untilReset = num(res, 'x-ratelimit-reset') - Date.now() / 1000;
    expect(num(res, 'retry-after')).toBeGreaterThanOrEqual(1);
    expect(num(res, 'retry-after')).toBeLessThanOrEqual(Math.ceil(untilReset) + 1);
  });
});
