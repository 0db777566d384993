// Client options, headers, typed errors per status, rate-limit info, with an injected fetch.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  BullseyeError,
  ConfigurationError,
  DEFAULT_BASE_URL,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SDK_VERSION,
  ServerError,
  ValidationError,
  createOrganizationClient,
  createPartnerClient,
  getRateLimit,
  unwrap,
  type ClientOptions,
} from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY, expectNoKey, rejectionOf } from './support/helpers.js';

const RL = { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '997', 'X-RateLimit-Reset': '1767225660' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...RL, ...headers } });
}

/** A fetch that records each Request it gets and answers from a list. */
function scriptedFetch(...responses: Array<() => Response>) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (req: Request) => {
    requests.push(req);
    const next = responses[Math.min(requests.length - 1, responses.length - 1)]!;
    return next();
  });
  return { fetch, requests };
}

describe('creating a client', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['not a string', 42],
  ])('refuses a %s apiKey before any request, with a clear ConfigurationError', (_label, apiKey) => {
    const { fetch } = scriptedFetch(() => json(200, {}));
    for (const create of [createPartnerClient, createOrganizationClient]) {
      let err: unknown;
      try {
        create({ apiKey, fetch } as unknown as ClientOptions);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      expect(err).toBeInstanceOf(BullseyeError);
      expect((err as Error).message).toMatch(/apiKey is missing or blank/);
      expect((err as ConfigurationError).code).toBe('configuration_error');
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a key with surrounding whitespace without echoing it', () => {
    const err = (() => {
      try {
        createPartnerClient({ apiKey: ` ${PARTNER_KEY}\n` });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigurationError);
    expectNoKey(err);
  });

  it('refuses negative numbers for timeoutMs and maxRetries', () => {
    expect(() => createPartnerClient({ apiKey: PARTNER_KEY, timeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => createPartnerClient({ apiKey: PARTNER_KEY, maxRetries: -2 })).toThrow(/maxRetries/);
  });

  it('sends each API its own key header, a User-Agent with the app, and defaults to production', async () => {
    const p = scriptedFetch(() => json(200, { partner: {} }));
    const partner = createPartnerClient({ apiKey: PARTNER_KEY, fetch: p.fetch, app: { name: 'acme-sync', version: '2.1.0' } });
    await partner.GET('/partner/me');
    const req = p.requests[0]!;
    expect(req.url).toBe(`${DEFAULT_BASE_URL}/partner/me`);
    expect(DEFAULT_BASE_URL).toBe('https://api.app.bullseye.so/api/v1');
    expect(req.headers.get('X-Partner-API-Key')).toBe(PARTNER_KEY);
    expect(req.headers.get('X-API-Key')).toBeNull();
    expect(req.headers.get('User-Agent')).toBe(`bullseye-sdk-js/${SDK_VERSION} acme-sync/2.1.0`);

    const o = scriptedFetch(() => json(200, { data: [], total: 0, page: 1, limit: 10 }));
    const org = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: 'http://127.0.0.1:1/api/v1/', fetch: o.fetch, headers: { 'X-Trace': 't1' } });
    await org.GET('/agency/sub-organizations');
    expect(o.requests[0]!.url).toBe('http://127.0.0.1:1/api/v1/agency/sub-organizations');
    expect(o.requests[0]!.headers.get('X-API-Key')).toBe(ORG_KEY);
    expect(o.requests[0]!.headers.get('X-Partner-API-Key')).toBeNull();
    expect(o.requests[0]!.headers.get('X-Trace')).toBe('t1');
  });

  it('SDK_VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });

  it('gives the custom fetch a fresh Request per attempt, body included', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fetch, requests } = scriptedFetch(
      () => json(429, { code: 'TooManyRequests', message: 'slow down', details: {} }, { 'Retry-After': '0' }),
      () => json(201, { apiKey: { id: 'k1' }, plainKey: 'pk_live_x' }),
    );
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch });
    const { response } = await client.POST('/partner/api-keys', { body: { name: 'CI' } });
    expect(response.status).toBe(201);
    expect(requests).toHaveLength(2);
    expect(requests[0]).not.toBe(requests[1]);
    expect(await requests[0]!.text()).toBe('{"name":"CI"}');
    expect(await requests[1]!.text()).toBe('{"name":"CI"}');
    vi.restoreAllMocks();
  });

  it('runs openapi-fetch middleware given in the options, once per call', async () => {
    const { fetch, requests } = scriptedFetch(() => json(200, { partner: {} }));
    const seen: number[] = [];
    const client = createPartnerClient({
      apiKey: PARTNER_KEY,
      fetch,
      middleware: [
        {
          onRequest: ({ request }) => {
            request.headers.set('X-Request-Id', 'req-1');
            return request;
          },
          onResponse: ({ response }) => {
            seen.push(response.status);
          },
        },
      ],
    });
    await client.GET('/partner/me');
    expect(requests[0]!.headers.get('X-Request-Id')).toBe('req-1');
    expect(seen).toEqual([200]);
  });

  it('a transport that strips the key header makes a key-less client (how contract tests check 401)', async () => {
    const { fetch, requests } = scriptedFetch(() => json(401, { code: 'Unauthorized', message: 'Invalid or missing API key', details: {} }));
    const strip = (req: Request): Promise<Response> => {
      const copy = new Request(req);
      copy.headers.delete('X-Partner-API-Key');
      return fetch(copy);
    };
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch: strip, maxRetries: 0 });
    const err = await rejectionOf(unwrap(client.GET('/partner/me')));
    expect(requests[0]!.headers.get('X-Partner-API-Key')).toBeNull();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'Unauthorized', message: 'Invalid or missing API key (getPartner)' });
  });
});

describe('typed errors', () => {
  const cases = [
    [400, 'BadRequest', ValidationError],
    [422, 'insufficient_credits', ValidationError],
    [401, 'Unauthorized', AuthenticationError],
    [403, 'forbidden', PermissionError],
    [404, 'NotFound', NotFoundError],
    [429, 'TooManyRequests', RateLimitError],
    [500, 'InternalError', ServerError],
    [504, 'gateway_timeout', ServerError],
  ] as const;

  it.each(cases)('HTTP %i becomes the matching subclass with status, code, message, details, rateLimit and operation', async (status, code, Cls) => {
    const { fetch } = scriptedFetch(() => json(status, { code, message: `failure ${status}`, details: { field: 'name' } }));
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch, maxRetries: 0 });
    const result = await client.GET('/partner/api-keys');
    expect(result.error).toEqual({ code, message: `failure ${status}`, details: { field: 'name' } });
    const err = await rejectionOf(unwrap(result));
    expect(err).toBeInstanceOf(Cls);
    expect(err).toBeInstanceOf(BullseyeError);
    const e = err as BullseyeError;
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.message).toContain(`failure ${status} (listPartnerApiKeys)`);
    expect(e.details).toEqual({ field: 'name' });
    expect(e.rateLimit).toEqual({ limit: 1000, remaining: 997, reset: new Date(1767225660 * 1000) });
    expect(e.operation).toEqual({ method: 'GET', path: '/partner/api-keys', operationId: 'listPartnerApiKeys', requiredScopes: ['admin'] });
    expect(e.response?.status).toBe(status);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: Cls.name, status, code });
    expectNoKey(e);
  });

  it('PermissionError names the scope the spec requires for the operation', async () => {
    const { fetch } = scriptedFetch(() => json(403, { code: 'insufficient_scope', message: 'Missing scope', details: {} }));
    const client = createOrganizationClient({ apiKey: ORG_KEY, fetch });
    const err = (await rejectionOf(unwrap(client.GET('/agency/sub-organizations')))) as PermissionError;
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.requiredScopes).toEqual(['agency:read']);
    expect(err.message).toContain('requires the scope "agency:read"');
    expectNoKey(err);
  });

  it('any other status is a plain BullseyeError', async () => {
    const { fetch } = scriptedFetch(() => json(409, { code: 'conflict', message: 'Already exists', details: {} }));
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch });
    const err = await rejectionOf(unwrap(client.POST('/partner/api-keys', { body: { name: 'dup' } })));
    expect(err).toBeInstanceOf(BullseyeError);
    expect(err).not.toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('unwrap returns the data of a success and undefined for a 204', async () => {
    const { fetch } = scriptedFetch(
      () => json(200, { partner: { id: 'p1' } }),
      () => new Response(null, { status: 204, headers: RL }),
    );
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch });
    expect(await unwrap(client.GET('/partner/me'))).toEqual({ partner: { id: 'p1' } });
    expect(await unwrap(client.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: 'k1' } } }))).toBeUndefined();
  });
});

describe('rate-limit info', () => {
  it('is read from any response, typed, and remembered by the client', async () => {
    const { fetch } = scriptedFetch(() => json(200, { partner: {} }));
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch });
    expect(client.rateLimit).toBeUndefined();
    const { response } = await client.GET('/partner/me');
    const info = getRateLimit(response);
    expect(info).toEqual({ limit: 1000, remaining: 997, reset: new Date('2026-01-01T00:01:00Z') });
    expect(info?.reset).toBeInstanceOf(Date);
    expect(client.rateLimit).toEqual(info);
    expect(getRateLimit(response.headers)).toEqual(info);
  });

  it('follows the latest response that carries the headers, on any status, and keeps it across responses without them', async () => {
    const bare = (status: number): Response => new Response(JSON.stringify({ partner: {} }), { status, headers: { 'Content-Type': 'application/json' } });
    const { fetch } = scriptedFetch(
      () => json(200, { partner: {} }),
      () => bare(200),
      () => json(404, { code: 'NotFound', message: 'm', details: {} }, { 'X-RateLimit-Remaining': '996' }),
      () => bare(200),
    );
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch, maxRetries: 0 });
    await client.GET('/partner/me');
    await client.GET('/partner/me');
    // The second response had no rate-limit headers: the first one's still stand.
    expect(client.rateLimit?.remaining).toBe(997);
    await client.GET('/partner/me');
    await client.GET('/partner/me');
    // The 404 carried them (remaining 996); the bare 200 after it changes nothing.
    expect(client.rateLimit).toEqual({ limit: 1000, remaining: 996, reset: new Date(1767225660 * 1000) });
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('is undefined when the headers are missing or not numbers', () => {
    expect(getRateLimit(new Response('{}'))).toBeUndefined();
    expect(getRateLimit(new Headers({ 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': 'lots', 'X-RateLimit-Reset': '1' }))).toBeUndefined();
  });
});
