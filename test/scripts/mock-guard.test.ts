// The mock under hostile input: the guard (scripts/mock/guard.ts) in front of the real Prism, and
// the guard alone in front of a plain handler for the limits a real mock would take too long to
// reach. Raw sockets send what fetch would refuse or normalise. The mock here is one of this file's
// own, not the run's (test/setup/mock.ts): 11 MB bodies, 70 stalled uploads and fuzzing are what it
// tests, and they must not slow down or race the other files' requests.
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRequest, guardServerOptions, protectServer, readBody, sendRejection, type GuardOptions } from '../../scripts/mock/guard.js';
import { listen } from '../../scripts/mock/mock-layer.js';
import { startMock, type MockServer } from '../../scripts/mock/prism.js';
import { createValidator, loadSpec } from '../support/spec.js';

const PARTNER_KEY = 'pk_test_guard0000000000000000000000';
const validator = createValidator(loadSpec());
const isEnvelope = (body: unknown): boolean => validator.validate('#/components/schemas/Error', body).length === 0;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes received before the server closed (or the deadline passed). */
  raw: string;
  error?: string;
}

/** Sends bytes on a fresh socket and reads until the server closes it (or `ms` pass). */
function rawRequest(url: string, parts: Array<string | Buffer>, ms = 15_000): Promise<RawResponse> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('connect', () => {
      for (const p of parts) socket.write(p);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [line = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0), headers, body: Buffer.from(rest.join('\r\n\r\n'), 'latin1').toString('utf8'), raw, ...(error ? { error } : {}) });
    });
  });
}

const get = (target: string, extra = ''): string => `GET ${target} HTTP/1.1\r\nHost: x\r\nX-Partner-API-Key: ${PARTNER_KEY}\r\n${extra}Connection: close\r\n\r\n`;

/**
 * GET /partner/me on a connection of its own: fetch would reuse an idle pooled one, which the server
 * may be closing at that moment on a loaded machine ("other side closed"), a race of the client's.
 */
function me(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/partner/me`, { agent: false, headers: { 'X-Partner-API-Key': PARTNER_KEY }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('GET /partner/me timed out')));
    req.on('error', reject);
  });
}

// The three suites run side by side (each on servers of its own: the restart case kills the Prism of
// a mock it starts for itself); the cases inside a suite run one after another.
describe.concurrent('the real mock under bad input', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it.sequential.each(['/partner/organizations/%', '/partner/organizations/%E0%A4%A', '/partner/organizations/%ED%A0%80', '/partner/me?x=%ZZ'])(
    '%s is a 400 envelope and Prism stays up',
    async (target) => {
      const pid = mock.process.pid;
      const res = await rawRequest(mock.url, [get(target)]);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.body);
      expect(isEnvelope(body)).toBe(true);
      expect(body.code).toBe('BadRequest');
      expect(await me(mock.url)).toBe(200);
      expect(mock.process.pid).toBe(pid);
      expect(mock.process.exitCode).toBeNull();
    },
  );

  it.sequential('//partner/me is not the Organization path /me: a Partner 404 envelope', async () => {
    const res = await rawRequest(mock.url, [get('//partner/me')]);
    expect(res.status).toBe(404);
    const body = JSON.parse(res.body);
    expect(isEnvelope(body)).toBe(true);
    expect(body.code).toBe('NotFound');
  });

  it.sequential('a 20 KB header gets 431 with the envelope', async () => {
    const res = await rawRequest(mock.url, [get('/partner/me', `X-Big: ${'a'.repeat(20_000)}\r\n`)]);
    expect(res.status).toBe(431);
    expect(res.headers.connection).toBe('close');
    const body = JSON.parse(res.body);
    expect(isEnvelope(body)).toBe(true);
    expect(body.code).toBe('RequestHeaderFieldsTooLarge');
  });

  it.sequential('a JSON body that is not UTF-8 is a 400 envelope, not a 201', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","domain":"acme.com"}')]);
    const res = await fetch(`${mock.url}/partner/organizations`, {
      method: 'POST',
      headers: { 'X-Partner-API-Key': PARTNER_KEY, 'Content-Type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: { field: string } };
    expect(isEnvelope(body)).toBe(true);
    expect(body.details.field).toBe('body');
  });

  it.sequential('100,000-deep JSON is a 400 envelope before Prism sees it, and Prism stays up', async () => {
    const pid = mock.process.pid;
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [path, headers] of [
      ['/partner/organizations', { 'X-Partner-API-Key': PARTNER_KEY }],
      ['/lists/save', { 'X-API-Key': `bsk_live_${'0'.repeat(32)}` }],
    ] as const) {
      const res = await fetch(`${mock.url}${path}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: deep });
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { code: string; details: Record<string, unknown> };
      expect(isEnvelope(body), path).toBe(true);
      expect(body.details, path).toMatchObject({ field: 'body', reason: 'nests deeper than 64 levels', limit: 64 });
      const started = Date.now();
      expect(await me(mock.url)).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect(mock.process.pid).toBe(pid);
    expect(mock.process.exitCode).toBeNull();
  });

  it.sequential('an 11 MB body gets the 413 envelope with Connection: close, and the next request on a new connection works', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${mock.url}/partner/organizations`, { method: 'POST', headers: { 'X-Partner-API-Key': PARTNER_KEY, 'Content-Type': 'application/json' }, body: big });
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
      const body = (await res.json()) as { code: string };
      expect(isEnvelope(body)).toBe(true);
      expect(await me(mock.url)).toBe(200);
    }
    // Chunked, so no Content-Length gives it away before the bytes do.
    const res = await fetch(`${mock.url}/partner/organizations`, {
      method: 'POST',
      headers: { 'X-Partner-API-Key': PARTNER_KEY, 'Content-Type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(isEnvelope(await res.json())).toBe(true);
    expect(await me(mock.url)).toBe(200);
  });

  it.sequential('a 405 names the allowed methods in Allow', async () => {
    const res = await fetch(`${mock.url}/partner/me`, { method: 'DELETE', headers: { 'X-Partner-API-Key': PARTNER_KEY } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(isEnvelope(await res.json())).toBe(true);
  });

  it.sequential('70 stalled uploads do not hold up a plain GET', async () => {
    const port = Number(new URL(mock.url).port);
    const sockets = await Promise.all(
      Array.from(
        { length: 70 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(port, '127.0.0.1', () => {
              s.write(`POST /partner/organizations HTTP/1.1\r\nHost: x\r\nX-Partner-API-Key: ${PARTNER_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na`);
              resolve(s);
            });
            s.on('error', () => {});
          }),
      ),
    );
    try {
      const started = Date.now();
      expect(await me(mock.url)).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it.sequential('fuzz: random targets, headers and bodies each get an envelope or a clean close, and the mock answers right after', async () => {
    const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$&*+.^`|~'.split(''));
    const targetChar = fc.oneof(
      fc.constantFrom(...'/%?&=.#+ abcXYZ019-_~:@!$\'()*,;[]{}\\"<>^`|'.split('')),
      fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%00', '%2F', '%2e%2e', '%C0%AF', '/partner', '//', '/me', '/organizations/'),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'BREW'),
      target: fc.oneof(
        fc.array(targetChar, { maxLength: 30 }).map((a) => `/partner/${a.join('')}`),
        fc.array(targetChar, { maxLength: 30 }).map((a) => a.join('')),
      ),
      headers: fc.array(fc.tuple(fc.array(tokenChar, { minLength: 1, maxLength: 12 }).map((a) => a.join('')), fc.string({ unit: 'binary', maxLength: 40 })), { maxLength: 4 }),
      contentType: fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/problem+json; charset=utf-8'),
      body: fc.uint8Array({ maxLength: 300 }),
      key: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const lines = [`${r.method} ${r.target.replace(/[\r\n]/g, '')} HTTP/1.1`, 'Host: x', 'Connection: close'];
        if (r.key) lines.push(`X-Partner-API-Key: ${PARTNER_KEY}`);
        for (const [name, value] of r.headers) {
          if (!/^(host|connection|content-length|transfer-encoding)$/i.test(name)) lines.push(`${name}: ${value.replace(/[\r\n]/g, '')}`);
        }
        if (r.contentType) lines.push(`Content-Type: ${r.contentType}`);
        lines.push(`Content-Length: ${r.body.length}`);
        const res = await rawRequest(mock.url, [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), Buffer.from(r.body)], 10_000);
        if (res.raw === '') {
          // A clean close without an answer is allowed; a hang (the deadline) or a reset is not.
          expect(res.error).toBeUndefined();
        } else {
          expect(res.status, res.raw.slice(0, 200)).toBeGreaterThanOrEqual(100);
          if (res.status >= 400 && r.method !== 'HEAD') {
            expect(res.status, res.raw.slice(0, 300)).toBeLessThan(500);
            expect(isEnvelope(JSON.parse(res.body)), res.body.slice(0, 300)).toBe(true);
          }
        }
        expect(await me(mock.url)).toBe(200);
      }),
      { numRuns: 120, interruptAfterTimeLimit: 30_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 100_000) },
    );
    expect(mock.process.exitCode).toBeNull();
  });
});

describe.concurrent('Prism exiting under the mock', () => {
  // The blocks of this file run side by side: expect.poll needs this test's own `expect` (the global
  // one cannot tell which running test it belongs to, and throws when another block's test ends).
  it.sequential('is restarted; a Prism that keeps dying stops the mock with a reason', async ({ expect }) => {
    const mock = await startMock({ maxRestarts: 1 });
    try {
      expect(await me(mock.url)).toBe(200);
      const first = mock.process;
      first.kill('SIGKILL');
      const statuses = new Set<number>();
      // Prism takes ~1.3 s to start on a quiet machine, tens of seconds on a loaded one.
      const deadline = Date.now() + 150_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = await me(mock.url).catch(() => 0);
        statuses.add(status);
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      // Down in between is a retryable 503, never a 500.
      expect([...statuses].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      // The new Prism can answer before the mock has taken note of its start.
      await expect.poll(() => mock.process, { timeout: 60_000 }).not.toBe(first);

      mock.process.kill('SIGKILL');
      const err = await Promise.race([mock.failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000))]);
      expect(err?.message).toMatch(/Prism exited \(SIGKILL\)[\s\S]*gave up after 1 restarts? within a minute/);
    } finally {
      await mock.close();
    }
  }, 300_000);
});

describe.concurrent('the guard alone (scripts/mock/guard.ts)', () => {
  const servers: http.Server[] = [];
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  async function guarded(opts: GuardOptions): Promise<string> {
    const server = http.createServer(guardServerOptions(opts), async (req, res) => {
      const refused = guardRequest(req, opts);
      if (refused) return sendRejection(req, res, refused, opts);
      const read = await readBody(req, opts);
      if ('rejection' in read) return sendRejection(req, res, read.rejection, opts);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ bytes: read.body.length }));
    });
    protectServer(server, opts);
    servers.push(server);
    return listen(server, '127.0.0.1', 0);
  }

  it.sequential('a client that stalls mid-body gets a 408 envelope and its socket back', async () => {
    const url = await guarded({ requestTimeoutMs: 600, headersTimeoutMs: 300 });
    const started = Date.now();
    const res = await rawRequest(url, ['POST /partner/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a'], 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(408);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toEqual({ code: 'RequestTimeout', message: 'The request was not received in time', details: expect.any(Object) });
  });

  it.sequential('a client that never finishes its headers is closed with a 408 envelope', async () => {
    const url = await guarded({ requestTimeoutMs: 600, headersTimeoutMs: 300 });
    const res = await rawRequest(url, ['GET /me HTTP/1.1\r\nHost: x\r\n'], 10_000);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).code).toBe('request_timeout');
  });

  it.sequential('the body limit holds without a Content-Length, and codes come from codeFor', async () => {
    const url = await guarded({ maxBodyBytes: 1000, codeFor: (api, status) => ({ code: `${api}_${status}`, message: 'x' }) });
    const res = await fetch(`${url}/partner/x`, { method: 'POST', body: new Blob([Buffer.alloc(5000)]).stream(), duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ code: 'partner_413', message: 'The request body is too large', details: { reason: 'larger than 1000 bytes', limit: 1000 } });
    const ok = await fetch(`${url}/partner/x`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(await ok.json()).toEqual({ bytes: 1000 });
  });

  it.sequential('refuses a JSON body nested deeper than maxJsonDepth, counting only brackets outside strings', async () => {
    const url = await guarded({ maxJsonDepth: 3 });
    const post = (body: string, contentType = 'application/json'): Promise<Response> => fetch(`${url}/partner/x`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
    expect((await post('{"a":[{"b":1}]}')).status).toBe(200);
    expect((await post('{"a":"[[[[{{{{\\"[["}')).status).toBe(200);
    const deep = await post('{"a":[{"b":[]}]}');
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ code: 'BadRequest', message: 'The request body is nested too deeply', details: { field: 'body', reason: 'nests deeper than 3 levels', limit: 3 } });
    // Only a body that says it is JSON is read as JSON.
    expect((await post('[[[[[[', 'text/plain')).status).toBe(200);
    // The default: 64 levels pass, 65 do not.
    const byDefault = await guarded({});
    const nested = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect((await fetch(`${byDefault}/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: nested(64) })).status).toBe(200);
    const over = await fetch(`${byDefault}/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: nested(65) });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { code: string }).code).toBe('bad_request');
  });

  it.sequential('refuses control characters and dot segments in the decoded path', async () => {
    const url = await guarded({});
    for (const target of ['/partner/a%00b', '/partner/%2e%2e/me', '/partner/./me']) {
      const res = await rawRequest(url, [`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
      expect(res.status, target).toBe(400);
      expect(JSON.parse(res.body).code, target).toBe('BadRequest');
    }
  });
});
