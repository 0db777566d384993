// Bad input never takes the sandbox down: each request below gets an Error envelope or a closed
// connection, and the next normal request is answered at once. Sent over raw sockets, since fetch
// refuses to send most of them.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_KEYS, startSandboxServer, type SandboxServer } from '../../packages/sandbox/src/index.js';

let server: SandboxServer;
let port = 0;

beforeAll(async () => {
  server = await startSandboxServer({ port: 0, requestTimeoutMs: 3000 });
  port = Number(new URL(server.url).port);
  // The first request of a process pays for compiling; what is measured below is the bad input's cost.
  await (await fetch(`${server.url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } })).arrayBuffer();
});
afterAll(async () => server?.close());

/** Sends raw bytes and resolves with everything received until the server closes or `ms` passes. */
function rawRequest(bytes: Buffer | string, ms = 5000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One whole response is enough.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(text)?.[1];
      if (head !== -1 && len !== undefined && text.length >= head + 4 + Number(len)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

function bodyOf(text: string): { code?: string; message?: string; details?: unknown } {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code?: string };
}

/**
 * A normal request is answered at once after whatever came before: well within a second on an idle
 * machine; the bound leaves room for a loaded CI runner while still catching a server that waits on
 * the bad request (the stalled uploads below are cut off after 3 s).
 */
async function stillAnswers(): Promise<void> {
  const started = Date.now();
  const res = await fetch(`${server.url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
  expect(res.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(2500);
}

const key = `X-Partner-API-Key: ${SEEDED_KEYS.partner}\r\n`;

describe('bad input, then a normal request', () => {
  it('a lone % in the path: 400 envelope', async () => {
    const r = await rawRequest(`GET /partner/organizations/% HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`);
    expect(statusOf(r.text)).toBe(400);
    expect(bodyOf(r.text)).toMatchObject({ code: 'BadRequest', details: { field: 'path' } });
    await stillAnswers();
  });

  it('invalid UTF-8 in an escaped path segment, in raw path bytes, and in a body', async () => {
    const escaped = await rawRequest(`GET /partner/organizations/%C3%28 HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`);
    expect(statusOf(escaped.text)).toBe(400);
    expect(bodyOf(escaped.text).code).toBe('BadRequest');

    const rawBytes = await rawRequest(Buffer.concat([Buffer.from('GET /partner/organizations/'), Buffer.from([0xff, 0xfe]), Buffer.from(` HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`)]));
    // Either the HTTP parser refuses the request line (400) or the id fails validation (400).
    expect(statusOf(rawBytes.text) === 400 || (rawBytes.closed && rawBytes.text === '')).toBe(true);

    const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const r = await rawRequest(Buffer.concat([Buffer.from(`POST /partner/organizations HTTP/1.1\r\nHost: x\r\n${key}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    expect(statusOf(r.text)).toBe(400);
    expect(bodyOf(r.text)).toMatchObject({ code: 'BadRequest', details: { field: 'body', reason: 'is not valid UTF-8' } });
    await stillAnswers();
  });

  it('a 20 KB header: 431 and the connection closed', async () => {
    const r = await rawRequest(`GET /partner/me HTTP/1.1\r\nHost: x\r\n${key}X-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(statusOf(r.text)).toBe(431);
    // The shared guard's envelope, in the casing of the API the path belongs to.
    expect(bodyOf(r.text).code).toBe('RequestHeaderFieldsTooLarge');
    await stillAnswers();
  });

  it('100,000-deep JSON: 400 envelope, nothing recursed', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const res = await fetch(`${server.url}/partner/organizations`, { method: 'POST', headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner, 'Content-Type': 'application/json' }, body: deep });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'BadRequest', details: { field: 'body', reason: expect.stringContaining('deeper') } });
    // The same on the Organization API, and in a sandbox control.
    const org = await fetch(`${server.url}/lists/save`, { method: 'POST', headers: { 'X-API-Key': SEEDED_KEYS.organization.admin, 'Content-Type': 'application/json' }, body: `{"filter":${deep.slice(0, 2000)}${deep.slice(-2000)}}` });
    expect(org.status).toBe(400);
    expect(((await org.json()) as { code: string }).code).toBe('invalid_request');
    const control = await fetch(`${server.url}/_sandbox/clock/advance`, { method: 'POST', body: deep });
    expect(control.status).toBe(400);
    await stillAnswers();
  });

  it('a body over 10 MB: 413 envelope and the connection closed (declared or streamed)', async () => {
    const declared = await rawRequest(`POST /partner/organizations HTTP/1.1\r\nHost: x\r\n${key}Content-Type: application/json\r\nContent-Length: ${11 * 1024 * 1024}\r\n\r\n{"name":`);
    expect(statusOf(declared.text)).toBe(413);
    expect(bodyOf(declared.text)).toMatchObject({ code: 'PayloadTooLarge' });

    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const streamed = await fetch(`${server.url}/organization`, {
      method: 'POST',
      headers: { 'X-API-Key': SEEDED_KEYS.organization.admin, 'Content-Type': 'application/json' },
      // No Content-Length: the limit is counted while the body arrives.
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < big.length; i += 1 << 20) c.enqueue(big.subarray(i, i + (1 << 20)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit).then(
      async (r) => ({ status: r.status, body: (await r.json()) as { code: string } }),
      () => ({ status: 0, body: { code: 'closed' } }),
    );
    expect([413, 0]).toContain(streamed.status);
    if (streamed.status === 413) expect(streamed.body.code).toBe('payload_too_large');
    await stillAnswers();
  });

  it('70 connections that send headers and stall: others are answered at once, the stalled ones are cut off', async () => {
    const sockets: net.Socket[] = [];
    const closed: Promise<void>[] = [];
    const received: string[] = [];
    for (let i = 0; i < 70; i++) {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      // Read what the server answers (a 408 envelope), so its close is seen.
      received[i] = '';
      s.on('data', (c: Buffer) => (received[i] += c.toString('latin1')));
      closed.push(new Promise((r) => s.on('close', () => r())));
      s.write(`POST /partner/organizations HTTP/1.1\r\nHost: x\r\n${key}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na`);
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 200));
    await stillAnswers();
    await stillAnswers();
    // The request timeout (3 s here) closes every stalled upload.
    const all = Promise.all(closed);
    const result = await Promise.race([all.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), 10_000))]);
    for (const s of sockets) s.destroy();
    expect(result).toBe('closed');
    for (const text of received) if (text) expect(statusOf(text)).toBe(408);
    expect(received.filter((t) => t !== '').length).toBeGreaterThan(0);
    await stillAnswers();
  }, 30_000);
});
