// Issue 20, the SDK's edges: what a hostile server, a careless caller or a wrong body type did to the
// SDK before, each against a scripted node:http server on 127.0.0.1:0 (or no server at all when
// nothing may be sent).
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  InvalidResponseError,
  ValidationError,
  WebhookVerificationError,
  constructWebhookEvent,
  createPartnerClient,
  verifyWebhookSignature,
  unwrap,
  type ClientOptions,
} from '../../src/index.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/core/options.js';
import { createRedactor } from '../../src/core/redact.js';
import { startFlakyServer, type FlakyServer, type Step } from './support/flaky-server.js';
import { PARTNER_KEY, errorCollector, expectNoKey, rejectionOf } from './support/helpers.js';

const PARTNER = { partner: { id: 'p1', name: 'Acme', slug: 'acme', status: 'active', companyName: 'Acme', createdAt: '2026-01-01T00:00:00Z' } };
const ok: Step = { kind: 'json', status: 200, body: PARTNER };
const OTHER_SECRET = 'Bearer sk_other_secret';

let servers: Array<{ close(): Promise<void> }> = [];
const { produced, failure, thrown } = errorCollector();
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(() => {
  expect(produced.length).toBeGreaterThan(8);
  for (const err of produced) expectNoKey(err, [PARTNER_KEY, OTHER_SECRET, 'sk_other_secret']);
});

async function flaky(script: Step[]): Promise<FlakyServer> {
  const s = await startFlakyServer(script);
  servers.push(s);
  return s;
}

function client(url: string, options: Partial<ClientOptions> = {}) {
  return createPartnerClient({ apiKey: PARTNER_KEY, baseUrl: url, ...options });
}


describe('webhooks: only the raw body is verified', () => {
  const SECRET = 'whsec_hardening';
  const EVENT = {
    event: 'visitor.identified',
    timestamp: '2026-02-27T10:30:12Z',
    organization_id: 'org_abc123',
    session_id: 'sess_1',
    visitor: { email: 'jane@stripe.com' },
    company: { name: 'Stripe' },
    session: { landing_page: '/pricing' },
  };
  const sign = (body: string | Buffer): string => createHmac('sha256', SECRET).update(body).digest('hex');

  it.each([
    ['a parsed object (req.body after a JSON parser)', EVENT],
    ['undefined', undefined],
    ['a number', 42],
    ['null', null],
  ])('%s is refused with "pass the raw body", by both functions', async (_label, body) => {
    // The signature of the empty string: what the old code compared against.
    const sig = sign('');
    for (const call of [() => verifyWebhookSignature(body as never, sig, SECRET), () => constructWebhookEvent(body as never, sig, SECRET)]) {
      const err = await failure(call());
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect(err).toMatchObject({ code: 'webhook_body_not_raw' });
      expect((err as Error).message).toMatch(/pass the raw body/);
    }
  });

  it('reads a DataView or a Uint16Array as the bytes it views', async () => {
    const text = JSON.stringify({ ...EVENT, pad: 'x' }).padEnd(400, ' ');
    const bytes = Buffer.from(text.length % 2 ? `${text} ` : text);
    const arena = new ArrayBuffer(bytes.length + 8);
    new Uint8Array(arena, 4, bytes.length).set(bytes);
    const sig = sign(bytes);
    expect(await verifyWebhookSignature(new DataView(arena, 4, bytes.length), sig, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(new Uint16Array(arena, 4, bytes.length / 2), sig, SECRET)).toBe(true);
    expect(await constructWebhookEvent(new DataView(arena, 4, bytes.length), sig, SECRET)).toMatchObject({ event: 'visitor.identified' });
  });

  it('checks the types of required fields, naming the field and not the value', async () => {
    const body = JSON.stringify({ ...EVENT, visitor: 'jane@stripe.com', timestamp: 1772188212 });
    const err = await failure(constructWebhookEvent(body, sign(body), SECRET));
    expect(err).toMatchObject({ code: 'webhook_payload_invalid' });
    expect((err as Error).message).toMatch(/timestamp must be string/);
    expect((err as Error).message).toMatch(/visitor must be object/);
    expect((err as Error).message).not.toContain('jane@stripe.com');
  });

  it('the timestamp tolerance is off by default, and refuses a replay when set', async () => {
    const body = JSON.stringify(EVENT);
    const sig = sign(body);
    const later = Date.parse(EVENT.timestamp) + 3_600_000;
    expect(await constructWebhookEvent(body, sig, SECRET)).toMatchObject({ session_id: 'sess_1' });
    expect(await constructWebhookEvent(body, sig, SECRET, { toleranceSeconds: 300, now: Date.parse(EVENT.timestamp) + 299_000 })).toMatchObject({ session_id: 'sess_1' });
    const err = await failure(constructWebhookEvent(body, sig, SECRET, { toleranceSeconds: 300, now: later }));
    expect(err).toMatchObject({ code: 'webhook_timestamp_outside_tolerance' });
    // The signature is checked first: a forged body never gets as far as its timestamp.
    expect(await failure(constructWebhookEvent(body, sign('other'), SECRET, { toleranceSeconds: 300, now: later }))).toMatchObject({ code: 'webhook_signature_invalid' });
    expect(await failure(constructWebhookEvent(body, sig, SECRET, { toleranceSeconds: -1 }))).toMatchObject({ code: 'configuration_error' });
  });
});

describe('the throttle cannot be poisoned', () => {
  it('a huge Retry-After holds calls at most maxWaitMs, and a later success with requests left clears it', async () => {
    const api = await flaky([
      { kind: 'json', status: 429, body: { code: 'RateLimited', message: 'slow down', details: {} }, headers: { 'Retry-After': '99999999' } },
      { kind: 'json', status: 200, body: PARTNER, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '999', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 60) } },
    ]);
    const lines: string[] = [];
    const c = client(api.url, { throttle: true, maxRetries: 0, retry: { maxWaitMs: 300 }, logger: { debug: (l) => lines.push(l) } });
    expect((await c.GET('/partner/me')).response.status).toBe(429);
    await c.GET('/partner/me');
    expect(lines).toEqual([expect.stringMatching(/waiting (2\d\d|300) ms/)]);
    const held = lines.length;
    const started = performance.now();
    await c.GET('/partner/me');
    await c.GET('/partner/me');
    expect(lines.slice(held).filter((l) => l.includes('waiting'))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(290);
  });

  it('a 400-digit X-RateLimit-Reset is ignored, not stored as NaN that switches the throttle off', async () => {
    const now = Math.floor(Date.now() / 1000);
    const api = await flaky([
      { kind: 'json', status: 200, body: PARTNER, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '9'.repeat(400) } },
      { kind: 'json', status: 200, body: PARTNER, headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now + 30) } },
      ok,
    ]);
    const lines: string[] = [];
    const c = client(api.url, { throttle: true, retry: { maxWaitMs: 200 }, logger: { debug: (l) => lines.push(l) } });
    await c.GET('/partner/me');
    expect(c.rateLimit).toBeUndefined();
    expect(lines).toEqual([]);
    await c.GET('/partner/me');
    await c.GET('/partner/me');
    expect(lines).toEqual([expect.stringMatching(/no request left in the window, waiting (1\d\d|200) ms/)]);
  });
});

describe('no retry storm', () => {
  it.each([
    ['0', '0'],
    ['-5', '-5'],
    ['a date in the past', new Date(Date.now() - 60_000).toUTCString()],
  ])('Retry-After %s falls back to the normal backoff', async (_label, value) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const api = await flaky([{ kind: 'json', status: 429, body: { code: 'RateLimited', message: 'x', details: {} }, headers: { 'Retry-After': value } }]);
    const lines: string[] = [];
    const c = client(api.url, { maxRetries: 3, retry: { initialDelayMs: 100 }, logger: { debug: (l) => lines.push(l) } });
    const started = performance.now();
    expect((await c.GET('/partner/me')).response.status).toBe(429);
    expect(api.requests).toHaveLength(4);
    // Half of 100, 200 and 400 ms.
    expect(lines.map((l) => /in (\d+) ms/.exec(l)?.[1])).toEqual(['50', '100', '200']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(340);
  });
});

describe('caller mistakes are refused before sending, never retried, never echoed', () => {
  it.each([
    ['a CR/LF in headers', { headers: { Authorization: `${OTHER_SECRET}\r\nX-Injected: 1` } }],
    ['a header name that is not a token', { headers: { 'X Bad': 'v' } }],
    ['a character above U+00FF in a header', { headers: { 'X-Name': `${OTHER_SECRET}\u2028` } }],
    ['a CR/LF in app.name', { app: { name: 'acme\r\nX-Injected: 1' } }],
  ])('%s throws ConfigurationError at construction', (_label, options) => {
    const err = thrown(() => client('http://127.0.0.1:9', options as Partial<ClientOptions>));
    expect(err).toBeInstanceOf(ConfigurationError);
  });

  it('a CR/LF in a per-call header: ConfigurationError, no request, no retry, no value in the message', async () => {
    const api = await flaky([ok]);
    const lines: string[] = [];
    const c = client(api.url, { logger: { debug: (l) => lines.push(l) } });
    const err = await failure(c.GET('/partner/me', { headers: { Authorization: `${OTHER_SECRET}\r\n` } }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toMatch(/"Authorization"/);
    expect(api.requests).toHaveLength(0);
    expect(lines).toEqual([]);
  });

  it('a middleware that throws a TypeError gets its own error back, once, with nothing sent', async () => {
    const api = await flaky([ok]);
    let calls = 0;
    const own = new TypeError('middleware bug');
    const c = client(api.url, {
      middleware: [
        {
          onRequest: () => {
            calls++;
            throw own;
          },
        },
      ],
    });
    expect(await rejectionOf(c.GET('/partner/me'))).toBe(own);
    expect(calls).toBe(1);
    expect(api.requests).toHaveLength(0);
  });

  it('a lone surrogate in a path parameter is a ValidationError, not a raw URIError', async () => {
    const api = await flaky([ok]);
    const err = await failure(client(api.url).GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: 'org_\uD800' } } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ code: 'invalid_path_parameter', details: { parameter: 'organizationId' } });
    expect(api.requests).toHaveLength(0);
  });
});

describe('bodies the SDK parses are bounded', () => {
  /** A server that sends `size` bytes of a JSON string, with or without a Content-Length. */
  async function bigServer(size: number, withLength: boolean, status = 200): Promise<{ url: string; sent: () => number }> {
    let sent = 0;
    const server: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'Content-Type': 'application/json', ...(withLength ? { 'Content-Length': String(size + 2) } : {}) });
      res.write('"');
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (sent < size) {
          const n = Math.min(chunk.length, size - sent);
          sent += n;
          if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        res.end('"');
      };
      res.on('error', () => {});
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent };
  }

  it('the default fits a large page and is documented as 32 MiB', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
  });

  it.each([true, false])('a body over maxResponseBytes (Content-Length given: %s) fails with InvalidResponseError and is cancelled', async (withLength) => {
    const big = await bigServer(20 * 1024 * 1024, withLength);
    const err = await failure(client(big.url, { maxResponseBytes: 1024 * 1024, maxRetries: 0 }).GET('/partner/me'));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'response_too_large' });
    // Not read to the end: the server could not send it all.
    await new Promise((r) => setTimeout(r, 100));
    expect(big.sent()).toBeLessThan(20 * 1024 * 1024);
  });

  it('a custom fetch whose Content-Length understates its body still has the body counted', async () => {
    // Only the runtime's own fetch is trusted to end a body at its Content-Length.
    const big = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    const lying = async (): Promise<Response> => new Response(new Blob(['"', big, '"']).stream(), { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '10' } });
    const err = await failure(client('http://127.0.0.1:9', { fetch: lying, maxResponseBytes: 1024 * 1024, maxRetries: 0 }).GET('/partner/me'));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'response_too_large' });
  });

  it('a body the runtime fetch delivers within its Content-Length is parsed as sent', async () => {
    const fits = await bigServer(512 * 1024, true);
    const { data } = await client(fits.url, { maxResponseBytes: 1024 * 1024 }).GET('/partner/me');
    expect((data as unknown as string).length).toBe(512 * 1024);
  });

  it('an error body over the limit fails the same way', async () => {
    const big = await bigServer(3 * 1024 * 1024, false, 500);
    const err = await failure(client(big.url, { maxResponseBytes: 1024 * 1024, maxRetries: 0 }).GET('/partner/me'));
    expect(err).toMatchObject({ code: 'response_too_large' });
  });

  it("a body read with parseAs: 'stream' is the caller's to bound", async () => {
    const big = await bigServer(3 * 1024 * 1024, false);
    const { data } = await client(big.url, { maxResponseBytes: 1024 * 1024 }).GET('/partner/me', { parseAs: 'stream' });
    let total = 0;
    for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) total += chunk.byteLength;
    expect(total).toBe(3 * 1024 * 1024 + 2);
  });

  it('refuses a maxResponseBytes that cannot work', () => {
    expect(thrown(() => client('http://127.0.0.1:9', { maxResponseBytes: -1 }))).toBeInstanceOf(ConfigurationError);
  });
});

describe('redaction and rate-limit state', () => {
  it('a key written with %5F for _ is redacted, the client\'s own and any key-shaped one', async () => {
    const encoded = PARTNER_KEY.replace(/_/g, '%5F');
    expect(createRedactor([PARTNER_KEY])(`url?key=${encoded}`)).toBe('url?key=[REDACTED]');
    expect(createRedactor()('key=pk%5ftest%5Fabc123 next')).toBe('key=[REDACTED] next');
    const api = await flaky([{ kind: 'json', status: 400, body: { code: 'BadRequest', message: `bad key ${encoded}`, details: { echo: encoded } } }]);
    const err = await failure(unwrap(client(api.url).GET('/partner/me')));
    expect(err).toBeInstanceOf(ValidationError);
    expectNoKey(err, [PARTNER_KEY, encoded]);
  });

  it('client.rateLimit does not keep the last Response (and its body) alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let ref: WeakRef<Response> | undefined;
    const fetchOnce = async (): Promise<Response> => {
      const res = new Response(JSON.stringify(PARTNER), { status: 200, headers: { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '1767225660' } });
      ref = new WeakRef(res);
      return res;
    };
    const c = createPartnerClient({ apiKey: PARTNER_KEY, fetch: fetchOnce });
    await c.GET('/partner/me').then(() => undefined);
    for (let i = 0; i < 10 && ref?.deref(); i++) {
      await new Promise((r) => setTimeout(r, 10));
      gc();
    }
    expect(ref?.deref()).toBeUndefined();
    expect(c.rateLimit).toEqual({ limit: 1000, remaining: 7, reset: new Date(1767225660 * 1000) });
  });
});
