// What integrators rely on from the mock beyond the happy path: keys of the wrong API are refused,
// and Prefer headers give every documented error with the Error envelope and the right headers.
import { describe, expect, inject, it } from 'vitest';
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
