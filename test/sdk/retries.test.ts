// Fault suite: retries, waits, timeouts and broken transports against a local flaky server.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  RateLimitError,
  ServerError,
  TimeoutError,
  createPartnerClient,
  unwrap,
  type ClientOptions,
  type PartnerClient,
} from '../../src/index.js';
import { startFlakyServer, type FlakyServer, type Step } from './support/flaky-server.js';
import { PARTNER_KEY, expectNoKey, rejectionOf, tick, until } from './support/helpers.js';

const PARTNER = {
  partner: { id: 'p1', name: 'Acme', slug: 'acme', status: 'active', companyName: 'Acme', createdAt: '2026-01-01T00:00:00Z' },
};
const ok: Step = { kind: 'json', status: 200, body: PARTNER, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '998', 'X-RateLimit-Reset': '1767225660' } };
const tooMany = (headers: Record<string, string> = {}): Step => ({
  kind: 'json',
  status: 429,
  body: { code: 'TooManyRequests', message: 'Rate limit exceeded', details: { limit: 1000, window: '1m' } },
  headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', ...headers },
});
const unavailable: Step = { kind: 'json', status: 503, body: { code: 'InternalError', message: 'Service unavailable', details: {} } };
const CREATE_BODY = { name: 'CI key', scopes: ['read' as const] };

// Every error the suite produces, checked for the key at the end; and any unhandled rejection.
const produced: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
const logLines: string[] = [];
let servers: FlakyServer[] = [];

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  expect(produced.length).toBeGreaterThan(8);
  for (const err of produced) expectNoKey(err);
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines) expect(line).not.toContain(PARTNER_KEY);
});

// The transport logs each wait right before it starts, so "logged N lines" means "N-th wait began".
let waitsLogged: string[] = [];
async function waitStarted(n: number): Promise<string> {
  await until(() => waitsLogged.length >= n, `wait #${n}`);
  return waitsLogged[n - 1]!;
}

async function setup(script: Step[], options: Partial<ClientOptions> = {}): Promise<{ server: FlakyServer; client: PartnerClient }> {
  const server = await startFlakyServer(script);
  servers.push(server);
  waitsLogged = [];
  const client = createPartnerClient({
    apiKey: PARTNER_KEY,
    baseUrl: server.url,
    timeoutMs: 0,
    logger: {
      debug: (line) => {
        logLines.push(line);
        waitsLogged.push(line);
      },
    },
    ...options,
  });
  return { server, client };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const err = await rejectionOf(promise);
  produced.push(err);
  return err;
}

function fakeTime(now = Date.UTC(2026, 0, 1, 0, 0, 0)): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now });
}

describe('429 Too Many Requests', () => {
  it('waits exactly Retry-After seconds, then retries and succeeds', async () => {
    fakeTime();
    const { server, client } = await setup([tooMany({ 'Retry-After': '2' }), ok]);
    const pending = client.GET('/partner/me');
    await waitStarted(1);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1999);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const { data, error, response } = await pending;
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.partner.id).toBe('p1');
    expect(server.requests).toHaveLength(2);
  });

  it('accepts Retry-After as an HTTP date', async () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    fakeTime(now);
    const { server, client } = await setup([tooMany({ 'Retry-After': new Date(now + 5000).toUTCString() }), ok]);
    const pending = client.GET('/partner/me');
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(4999);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('without Retry-After waits until X-RateLimit-Reset', async () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    fakeTime(now);
    const reset = now / 1000 + 7;
    const { server, client } = await setup([tooMany({ 'X-RateLimit-Reset': String(reset) }), ok]);
    const pending = client.GET('/partner/me');
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(6999);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('without either header backs off exponentially with full jitter', async () => {
    fakeTime();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { server, client } = await setup([tooMany(), tooMany(), ok], { retry: { initialDelayMs: 1000 } });
    const pending = client.GET('/partner/me');
    // retry 1: random(0.5) × min(cap, 1000·2^0) = 500 ms
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(499);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => server.requests.length === 2, 'second attempt');
    // retry 2: 0.5 × 1000·2^1 = 1000 ms
    await waitStarted(2);
    await vi.advanceTimersByTimeAsync(999);
    await tick();
    expect(server.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('caps the backoff at retry.maxBackoffMs', async () => {
    fakeTime();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { server, client } = await setup([tooMany(), ok], { retry: { initialDelayMs: 10_000, maxBackoffMs: 300 } });
    const pending = client.GET('/partner/me');
    expect(await waitStarted(1)).toContain('in 299 ms'); // floor(0.999 × min(300, 10000))
    await vi.advanceTimersByTimeAsync(298);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).response.status).toBe(200);
  });

  it('retries a POST too (the request was not processed) and resends the same body each time', async () => {
    fakeTime();
    const { server, client } = await setup([
      tooMany({ 'Retry-After': '1' }),
      { kind: 'json', status: 201, body: { apiKey: { id: 'k1' }, plainKey: 'pk_live_new' } },
    ]);
    const pending = client.POST('/partner/api-keys', { body: CREATE_BODY });
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(1000);
    const { response } = await pending;
    expect(response.status).toBe(201);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(server.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([CREATE_BODY, CREATE_BODY]);
  });

  it('gives up after maxRetries + 1 attempts with a RateLimitError carrying the rate-limit fields', async () => {
    fakeTime();
    const reset = Date.UTC(2026, 0, 1, 0, 1, 0) / 1000;
    const { server, client } = await setup([tooMany({ 'Retry-After': '1', 'X-RateLimit-Reset': String(reset) })], { maxRetries: 2 });
    const pending = failure(unwrap(client.GET('/partner/me')));
    for (let i = 1; i <= 2; i++) {
      expect(await waitStarted(i)).toContain(`HTTP 429, retry ${i}/2 in 1000 ms`);
      await vi.advanceTimersByTimeAsync(1000);
    }
    const err = await pending;
    expect(server.requests).toHaveLength(3);
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.code).toBe('TooManyRequests');
    expect(e.details).toEqual({ limit: 1000, window: '1m' });
    expect(e.retryAfterMs).toBe(1000);
    expect(e.rateLimit).toEqual({ limit: 1000, remaining: 0, reset: new Date(reset * 1000) });
    expect(e.operation).toMatchObject({ method: 'GET', path: '/partner/me', operationId: 'getPartner' });
    expect(e.response?.status).toBe(429);
  });

  it('does not wait longer than retry.maxWaitMs: the 429 is returned at once', async () => {
    const { server, client } = await setup([tooMany({ 'Retry-After': '3600' }), ok], { retry: { maxWaitMs: 5000 } });
    const { error, response } = await client.GET('/partner/me');
    expect(response.status).toBe(429);
    expect(error).toMatchObject({ code: 'TooManyRequests' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('5xx and 408', () => {
  it('retries a GET after 503, then returns the 200', async () => {
    fakeTime();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([unavailable, ok]);
    const pending = client.GET('/partner/me');
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(0);
    const { data } = await pending;
    expect(data?.partner.slug).toBe('acme');
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After on a 503', async () => {
    fakeTime();
    const { server, client } = await setup([{ ...unavailable, headers: { 'Retry-After': '3' } } as Step, ok]);
    const pending = client.GET('/partner/me');
    await waitStarted(1);
    await vi.advanceTimersByTimeAsync(2999);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).response.status).toBe(200);
  });

  it('retries 408 on a DELETE (idempotent)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([
      { kind: 'json', status: 408, body: { code: 'RequestTimeout', message: 'slow', details: {} } },
      { kind: 'raw', status: 204, body: '' },
    ]);
    const { response } = await client.DELETE('/partner/api-keys/{keyId}', { params: { path: { keyId: 'k1' } } });
    expect(response.status).toBe(204);
    expect(server.requests).toHaveLength(2);
  });

  it('never retries a POST after 503 (it may have been processed)', async () => {
    const { server, client } = await setup([unavailable, ok]);
    const err = await failure(unwrap(client.POST('/partner/api-keys', { body: CREATE_BODY })));
    expect(server.requests).toHaveLength(1);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 503, code: 'InternalError', operation: { operationId: 'createPartnerApiKey' } });
  });

  it('turns an HTML error page from a proxy into a ServerError after the retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
    const { server, client } = await setup([{ kind: 'raw', status: 502, body: html, headers: { 'Content-Type': 'text/html' } }], { maxRetries: 1 });
    const result = await client.GET('/partner/me');
    expect(result.error).toBe(html);
    expect(server.requests).toHaveLength(2);
    const err = await failure(unwrap(Promise.resolve(result)));
    expect(err).toBeInstanceOf(ServerError);
    const e = err as ServerError;
    expect(e.status).toBe(502);
    expect(e.code).toBe('http_502');
    expect(e.message).toContain('text/html');
    expect(e.details.body).toBe(html);
  });
});

describe('broken transports', () => {
  it('times out a response slower than timeoutMs, per attempt, with TimeoutError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([{ kind: 'slow', delayMs: 2000, status: 200, body: PARTNER }], { timeoutMs: 60, maxRetries: 1 });
    const started = performance.now();
    const err = await failure(client.GET('/partner/me'));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'timeout', status: undefined, operation: { operationId: 'getPartner' } });
    expect((err as Error).message).toContain('60 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('retries a GET after a connection reset and succeeds', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([{ kind: 'reset' }, ok]);
    const { data } = await client.GET('/partner/me');
    expect(data?.partner.id).toBe('p1');
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a POST after a connection reset: ConnectionError', async () => {
    const { server, client } = await setup([{ kind: 'reset' }, ok]);
    const err = await failure(client.POST('/partner/api-keys', { body: CREATE_BODY }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'connection_error', status: undefined, operation: { method: 'POST', path: '/partner/api-keys' } });
    expect(server.requests).toHaveLength(1);
  });

  it('treats a truncated body as a connection failure (retried for GET, then ConnectionError)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([{ kind: 'truncated', status: 200, body: JSON.stringify(PARTNER) }], { maxRetries: 1 });
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(2);
  });

  it('reports malformed JSON on a 200 as InvalidResponseError, without retrying', async () => {
    const { server, client } = await setup([{ kind: 'raw', status: 200, body: '{"partner": {"id": "p1",', headers: { 'Content-Type': 'application/json' } }]);
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'invalid_json', operation: { operationId: 'getPartner' } });
    expect((err as Error).message).toMatch(/not valid JSON/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('an AbortSignal stops a retry wait at once, with no further attempt', async () => {
    fakeTime();
    const { server, client } = await setup([tooMany({ 'Retry-After': '30' }), ok]);
    const controller = new AbortController();
    const pending = rejectionOf(client.GET('/partner/me', { signal: controller.signal }));
    await waitStarted(1);
    controller.abort();
    const err = await pending;
    expect((err as Error).name).toBe('AbortError');
    await vi.advanceTimersByTimeAsync(60_000);
    await tick();
    expect(server.requests).toHaveLength(1);
  });

  it('an AbortSignal stops an attempt in flight with its own reason', async () => {
    const { server, client } = await setup([{ kind: 'slow', delayMs: 5000, status: 200, body: PARTNER }]);
    const controller = new AbortController();
    const pending = rejectionOf(client.GET('/partner/me', { signal: controller.signal }));
    await until(() => server.requests.length === 1, 'request received');
    const reason = new Error('user navigated away');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(server.requests).toHaveLength(1);
  });
});

describe('proactive throttling', () => {
  it('after X-RateLimit-Remaining: 0, the next call waits for the reset instead of hitting a 429', async () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    fakeTime(now);
    const exhausted: Step = { ...ok, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now / 1000 + 4) } } as Step;
    const { server, client } = await setup([exhausted, ok], { throttle: true });
    await client.GET('/partner/me');
    expect(client.rateLimit?.remaining).toBe(0);
    const second = client.GET('/partner/me');
    expect(await waitStarted(1)).toContain('waiting 4000 ms for the reset');
    await vi.advanceTimersByTimeAsync(3999);
    await tick();
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await second).response.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    expect(client.rateLimit?.remaining).toBe(998);
  });

  it('without the option, calls are not held back', async () => {
    const exhausted: Step = { ...ok, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 60) } } as Step;
    const { server, client } = await setup([exhausted, ok]);
    await client.GET('/partner/me');
    await client.GET('/partner/me');
    expect(server.requests).toHaveLength(2);
  });
});

describe('middleware and parseAs', () => {
  it('middleware runs once per attempt, each time with a fresh Request (body included)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { server, client } = await setup([tooMany({ 'Retry-After': '0' }), { kind: 'json', status: 201, body: { apiKey: { id: 'k1' }, plainKey: 'pk_live_new' } }]);
    const bodies: string[] = [];
    client.use({ onRequest: async ({ request }) => void bodies.push(await request.clone().text()) });
    const { response } = await client.POST('/partner/api-keys', { body: CREATE_BODY });
    expect(response.status).toBe(201);
    expect(bodies).toEqual([JSON.stringify(CREATE_BODY), JSON.stringify(CREATE_BODY)]);
    expect(server.requests.map((r) => r.body)).toEqual(bodies);
  });

  it('middleware added later gets a readable Response', async () => {
    const { client } = await setup([ok]);
    const seen: unknown[] = [];
    client.use({ onResponse: async ({ response }) => void seen.push(await response.clone().json()) });
    const { data } = await client.GET('/partner/me');
    expect(seen).toEqual([PARTNER]);
    expect(data?.partner.slug).toBe('acme');
  });

  it('parseAs stream gets the whole body as a stream', async () => {
    const { client } = await setup([ok]);
    const { data } = await client.GET('/partner/me', { parseAs: 'stream' });
    expect(JSON.parse(await new Response(data as ReadableStream).text())).toEqual(PARTNER);
  });
});

describe('keys stay secret', () => {
  it('redacts a key echoed by the server in the error message and details', async () => {
    const { client } = await setup([
      { kind: 'json', status: 401, body: { code: 'Unauthorized', message: `Invalid or missing API key ${PARTNER_KEY}`, details: { key: PARTNER_KEY, other: 'bsk_live_ffffffffffffffffffffffffffffffff' } } },
    ]);
    const err = await failure(unwrap(client.GET('/partner/me')));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).message).toContain('[REDACTED]');
    expect((err as AuthenticationError).details).toEqual({ key: '[REDACTED]', other: '[REDACTED]' });
    expect(JSON.stringify(err)).not.toContain('bsk_live_ffff');
  });

  it('redacts an echoed key from the result style error body too, with or without middleware', async () => {
    const echo = { code: 'Unauthorized', message: `Invalid or missing API key ${PARTNER_KEY}`, details: { key: PARTNER_KEY } };
    for (const middleware of [[], [{ onRequest: ({ request }: { request: Request }) => request }]]) {
      const { client } = await setup([{ kind: 'json', status: 401, body: echo }], { middleware });
      const { error, response } = await client.GET('/partner/me');
      expect(response.status).toBe(401);
      expect(error).toEqual({ code: 'Unauthorized', message: 'Invalid or missing API key [REDACTED]', details: { key: '[REDACTED]' } });
      expect(JSON.stringify(error)).not.toContain(PARTNER_KEY);
    }
  });

  it('a connection error to an unreachable port says nothing about the key', async () => {
    const client = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: 'http://127.0.0.1:1', maxRetries: 0, timeoutMs: 2000 });
    const err = await failure(client.GET('/partner/me'));
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
