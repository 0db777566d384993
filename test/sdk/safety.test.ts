// Safety: what a hostile server or a careless caller could make the SDK do, against scripted
// node:http servers on 127.0.0.1:0. Each case checks what reached which server, and that no error
// (message, stack, JSON, util.inspect) holds a key.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  InvalidResponseError,
  RedirectError,
  ServerError,
  TimeoutError,
  ValidationError,
  createOrganizationClient,
  createPartnerClient,
  unwrap,
  type ClientOptions,
} from '../../src/index.js';
import { iteratePages, MAX_PAGES } from '../../src/core/pagination.js';
import { startFlakyServer, type FlakyServer, type RecordedRequest, type Step } from './support/flaky-server.js';
import { ORG_KEY, PARTNER_KEY, errorCollector, expectNoKey, rejectionOf } from './support/helpers.js';

const PARTNER = { partner: { id: 'p1', name: 'Acme', slug: 'acme', status: 'active', companyName: 'Acme', createdAt: '2026-01-01T00:00:00Z' } };
const ok: Step = { kind: 'json', status: 200, body: PARTNER };
// A key that looks like no Bullseye key: only the client's own redactor can know it.
const ODD_KEY = 'acme-internal-secret-7c1d9e';

let servers: FlakyServer[] = [];
const { produced, failure, thrown } = errorCollector();
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => {
  expect(produced.length).toBeGreaterThan(20);
  for (const err of produced) expectNoKey(err, [PARTNER_KEY, ORG_KEY, ODD_KEY]);
});

async function server(script: Step[] | ((req: RecordedRequest, index: number) => Step)): Promise<FlakyServer> {
  const s = await startFlakyServer(script);
  servers.push(s);
  return s;
}


describe('redirects never carry a key anywhere', () => {
  it.each([301, 302, 303, 307, 308])('%i to another origin: RedirectError naming the Location, the other host gets nothing', async (status) => {
    const other = await server([ok]);
    const api = await server([{ kind: 'raw', status, body: '', headers: { Location: `${other.url}/steal` } }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    for (const call of [() => client.GET('/partner/me'), () => client.POST('/partner/api-keys', { body: { name: 'CI', scopes: ['read'] } })]) {
      const err = await failure(call());
      expect(err).toBeInstanceOf(RedirectError);
      expect(err).toMatchObject({ status, code: 'redirect_refused', location: `${other.url}/steal` });
      expect((err as Error).message).toContain(`${other.url}/steal`);
    }
    expect(other.requests).toHaveLength(0);
    // Not retried either: one request per call.
    expect(api.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('a same-origin redirect is refused too: a POST never becomes a successful GET', async () => {
    const api = await server((req) => (req.method === 'POST' ? { kind: 'raw', status: 302, body: '', headers: { Location: '/api/v1/partner/me' } } : ok));
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: `${api.url}/api/v1` });
    const err = await failure(client.POST('/partner/organizations', { body: { name: 'Acme' } }));
    expect(err).toBeInstanceOf(RedirectError);
    expect(api.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('a custom fetch that follows redirects anyway does not get the other answer returned as data', async () => {
    const other = await server([ok]);
    const api = await server([{ kind: 'raw', status: 307, body: '', headers: { Location: `${other.url}/partner/me` } }]);
    const following = (req: Request): Promise<Response> => fetch(new Request(req, { redirect: 'follow' }));
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url, fetch: following, maxRetries: 0 });
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as RedirectError).location).toBe(`${other.url}/partner/me`);
  });

  it('a middleware or a per-call baseUrl cannot point the request at another origin', async () => {
    const other = await server([ok]);
    const api = await server([ok]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const moved = await failure(
      client.GET('/partner/me', { middleware: [{ onRequest: ({ request }) => new Request(`${other.url}/partner/me`, request) }] }),
    );
    expect(moved).toBeInstanceOf(ConfigurationError);
    expect((moved as Error).message).toContain(other.url);
    // A per-call baseUrl is dropped: the call goes to the client's own origin.
    expect((await client.GET('/partner/me', { baseUrl: other.url } as never)).response.status).toBe(200);
    expect(other.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(1);
  });
});

describe('path parameters cannot move a request', () => {
  it.each([['..'], ['.'], [''], [undefined], [null], [{}], [Number.NaN]])('refuses %j before any request, naming the parameter and not its neighbours', async (slug) => {
    const api = await server([ok]);
    const client = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: api.url });
    const err = await failure(
      client.DELETE('/organizations/{organization_id}/icp-configs/{slug}', { params: { path: { organization_id: 'neighbour-value-42', slug: slug as string } } }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ code: 'invalid_path_parameter', details: { parameter: 'slug' }, status: undefined, operation: { operationId: 'deleteOrganizationIcpConfig' } });
    expect((err as Error).message).toContain('"slug"');
    expect(JSON.stringify(err)).not.toContain('neighbour-value-42');
    expect(api.requests).toHaveLength(0);
  });

  it('a missing path object is refused the same way; values with slashes or dots inside are sent encoded', async () => {
    const api = await server([{ kind: 'raw', status: 204, body: '' }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const err = await failure(client.DELETE('/partner/api-keys/{keyId}', {} as never));
    expect(err).toMatchObject({ code: 'invalid_path_parameter', details: { parameter: 'keyId' } });
    await client.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: '../..' } } });
    await client.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: '...' } } });
    expect(api.requests.map((r) => r.url)).toEqual(['/partner/api-keys/..%2F..', '/partner/api-keys/...']);
  });
});

describe('pagination always ends', () => {
  const orgs = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `org-${from + i}`, name: `Org ${from + i}` }));

  it('a server that answers page 1 whatever was asked: InvalidResponseError after two requests', async () => {
    const api = await server([{ kind: 'json', status: 200, body: { organizations: orgs(1, 2), total: 100, page: 1, pageSize: 2 } }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const seen: string[] = [];
    const err = await failure((async () => {
      for await (const o of client.paginate('/partner/organizations', { params: { query: { pageSize: 2 } } })) seen.push(o.id);
    })());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'pagination_stalled' });
    expect((err as Error).message).toContain('asked for page 2');
    expect(seen).toEqual(['org-1', 'org-2']);
    expect(api.requests).toHaveLength(2);
  });

  it('the same first page again without a page number: InvalidResponseError', async () => {
    const api = await server([{ kind: 'json', status: 200, body: { data: orgs(1, 3), total: 50 } }]);
    const client = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: api.url });
    const err = await failure((async () => {
      for await (const _ of client.pages('/agency/sub-organizations')) void _;
    })());
    expect(api.requests).toHaveLength(2);
    expect(err).toMatchObject({ code: 'pagination_stalled' });
    expect((err as Error).message).toContain('repeats the previous page');
  });

  it.each([0, -1, 0.5, Number.NaN])('refuses page size %s before any request', async (pageSize) => {
    const api = await server([ok]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const err = await failure(client.paginate('/partner/organizations', { params: { query: { pageSize } } }).next());
    expect(err).toBeInstanceOf(ValidationError);
    expect(api.requests).toHaveLength(0);
  });

  it(`stops after ${MAX_PAGES} pages that never end`, async () => {
    let fetched = 0;
    const endless = iteratePages(async (page) => (fetched++, { items: [{ id: page }] }), 1, undefined);
    const err = await failure((async () => {
      for await (const _ of endless) void _;
    })());
    expect(err).toMatchObject({ code: 'pagination_stalled' });
    expect(fetched).toBe(MAX_PAGES);
  });
});

describe('configuration is checked at construction', () => {
  const make = (options: Partial<ClientOptions>) => () => createPartnerClient({ apiKey: PARTNER_KEY, ...options });

  it.each([
    ['a relative URL', '/api/v1', /not an absolute URL/],
    ['another scheme', 'ftp://api.app.bullseye.so/api/v1', /https/],
    ['a query', 'https://api.app.bullseye.so/api/v1?x=1', /query or a fragment/],
    ['an empty query', 'https://api.app.bullseye.so/api/v1?', /query or a fragment/],
    ['a fragment', 'https://api.app.bullseye.so/api/v1#x', /query or a fragment/],
    ['credentials', 'https://user:pass@api.app.bullseye.so/api/v1', /credentials/],
    ['http to a remote host', 'http://api.app.bullseye.so/api/v1', /unencrypted/],
    // Loopback by RFC 6761, but resolved through DNS by some resolvers: not certainly this machine.
    ['http to a subdomain of localhost', 'http://api.localhost:4010', /unencrypted/],
  ])('refuses a baseUrl with %s', (_label, baseUrl, message) => {
    const err = thrown(make({ baseUrl }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(message);
  });

  it('allows http to loopback, and to another host only with allowInsecureHttp', () => {
    for (const baseUrl of ['http://127.0.0.1:4010', 'http://localhost:4010/api/v1', 'http://[::1]:4010', 'http://127.10.0.1']) {
      expect(() => make({ baseUrl })()).not.toThrow();
    }
    expect(() => make({ baseUrl: 'http://staging.internal/api/v1', allowInsecureHttp: true })()).not.toThrow();
  });

  it('a baseUrl with a query sends nothing (it used to send the key to /?x=1/partner/me)', async () => {
    const api = await server([ok]);
    expect(thrown(make({ baseUrl: `${api.url}/?x=1` }))).toBeInstanceOf(ConfigurationError);
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['a NUL', `${PARTNER_KEY}\u0000`],
    ['a control character', `${PARTNER_KEY.slice(0, 10)}\u0007${PARTNER_KEY.slice(10)}`],
    ['DEL', `${PARTNER_KEY}\u007f`],
    ['a non-ASCII character', `${PARTNER_KEY}é`],
    ['an inner space', `${PARTNER_KEY.slice(0, 10)} ${PARTNER_KEY.slice(10)}`],
  ])('refuses an apiKey with %s without showing it', (_label, apiKey) => {
    const err = thrown(() => createPartnerClient({ apiKey }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/apiKey holds/);
    expectNoKey(err, [apiKey, PARTNER_KEY.slice(10), PARTNER_KEY.slice(0, 10)]);
  });

  it('refuses timeoutMs above the timer maximum and maxRetries above 10, for the client and for a call', async () => {
    expect(thrown(make({ timeoutMs: 2 ** 31 }))).toBeInstanceOf(ConfigurationError);
    expect(() => make({ timeoutMs: 2 ** 31 - 1 })()).not.toThrow();
    expect(thrown(make({ maxRetries: 11 }))).toBeInstanceOf(ConfigurationError);
    expect(thrown(make({ maxRetries: Number.POSITIVE_INFINITY }))).toBeInstanceOf(ConfigurationError);
    expect(thrown(make({ retry: { maxWaitMs: -1 } }))).toBeInstanceOf(ConfigurationError);
    const api = await server([ok]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    expect(await failure(client.GET('/partner/me', { maxRetries: 100 }))).toBeInstanceOf(ConfigurationError);
    expect(await failure(client.GET('/partner/me', { timeoutMs: 2 ** 40 }))).toBeInstanceOf(ConfigurationError);
    expect(api.requests).toHaveLength(0);
  });
});

describe('every failure is a typed error without the key', () => {
  it('a 200 whose body is not JSON: InvalidResponseError, not SyntaxError', async () => {
    const api = await server([{ kind: 'raw', status: 200, body: `<html>maintenance ${PARTNER_KEY}</html>`, headers: { 'Content-Type': 'text/html' } }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'invalid_json' });
  });

  it('a key in the HTTP reason phrase is redacted', async () => {
    const api = await server([{ kind: 'raw', status: 401, body: 'denied', reason: `Bad key ${PARTNER_KEY}`, headers: { 'Content-Type': 'text/plain' } }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const result = await client.GET('/partner/me');
    expect(result.response.statusText).toBe('Bad key [REDACTED]');
    const err = await failure(unwrap(result));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toContain('Bad key [REDACTED]');
  });

  it('a JSON-escaped key (\\u0062sk_…, or the client\'s own key escaped) is redacted', async () => {
    const escaped = (key: string) => [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const body = `{"code":"unauthorized","message":"bad ${escaped(ORG_KEY)}","details":{"echo":"\\u0062sk_live_ffffffffffffffffffffffffffffffff"}}`;
    const api = await server([{ kind: 'raw', status: 401, body, headers: { 'Content-Type': 'application/json' } }]);
    const client = createOrganizationClient({ apiKey: ORG_KEY, baseUrl: api.url });
    const result = await client.GET('/organization/list');
    expect(result.error).toEqual({ code: 'unauthorized', message: 'bad [REDACTED]', details: { echo: '[REDACTED]' } });
    const err = await failure(unwrap(result));
    expectNoKey(err, [ORG_KEY, 'bsk_live_ffff']);
  });

  it('a key cut off at the end of an error body, and a key nested deep in details, are redacted', async () => {
    let nested: unknown = { key: ODD_KEY };
    for (let i = 0; i < 40; i++) nested = { level: nested };
    const api = await server([
      { kind: 'raw', status: 500, body: `upstream said: ${ODD_KEY.slice(0, 12)}`, headers: { 'Content-Type': 'text/plain' } },
      { kind: 'json', status: 400, body: { code: 'BadRequest', message: 'invalid', details: { nested } } },
    ]);
    const client = createPartnerClient({ apiKey: ODD_KEY, baseUrl: api.url, maxRetries: 0 });
    const cut = await failure(unwrap(client.GET('/partner/me')));
    expect(cut).toBeInstanceOf(ServerError);
    expect((cut as ServerError).details.body).toBe('upstream said: [REDACTED]');
    const deep = await failure(unwrap(client.POST('/partner/organizations', { body: { name: 'Acme' } })));
    expect(JSON.stringify((deep as ValidationError).details)).toContain('[REDACTED]');
    expectNoKey(deep, [ODD_KEY]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { status: 200, ok: true }],
    ['a string', 'OK'],
  ])('a custom fetch that resolves to %s: InvalidResponseError', async (_label, value) => {
    const client = createPartnerClient({ apiKey: PARTNER_KEY, fetch: async () => value as unknown as Response, maxRetries: 0 });
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'invalid_fetch_result' });
  });
});

describe('per-call options', () => {
  it('timeoutMs per call overrides the client (off) and gives a TimeoutError', async () => {
    const api = await server([{ kind: 'slow', delayMs: 2000, status: 200, body: PARTNER }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url, timeoutMs: 0, maxRetries: 0 });
    const err = await failure(client.GET('/partner/me', { timeoutMs: 50 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toContain('50 ms');
  });

  it('maxRetries per call overrides the client in both directions', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const api = await server([{ kind: 'json', status: 503, body: { code: 'InternalError', message: 'down', details: {} } }]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url, maxRetries: 2 });
    expect((await client.GET('/partner/me', { maxRetries: 0 })).response.status).toBe(503);
    expect(api.requests).toHaveLength(1);
    const none = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url, maxRetries: 0 });
    expect((await none.GET('/partner/me', { maxRetries: 3 })).response.status).toBe(503);
    expect(api.requests).toHaveLength(5);
  });

  it('a signal per call that is already aborted sends nothing', async () => {
    const api = await server([ok]);
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: api.url });
    const reason = new Error('cancelled by the user');
    expect(await rejectionOf(client.GET('/partner/me', { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(api.requests).toHaveLength(0);
  });
});
