// scripts/mock/mock-layer.ts in front of a scripted upstream (standing in for Prism), so that the
// answers Prism gives only in corner cases (a 422 problem document, an unexpected problem status,
// a dead upstream) and the passage of a minute are tested directly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFor, createMockLayer, errorCodesFromSpec, fieldErrors, listen, rateLimitFromEnv, type ErrorCodes } from '../../scripts/mock/mock-layer.js';
import { freePort } from '../../scripts/mock/prism.js';
import { createValidator, loadSpec } from '../support/spec.js';

const doc = loadSpec();
const codes = errorCodesFromSpec(doc);
const validator = createValidator(doc);

/** What the scripted upstream answers, by path. */
const answers: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {
  '/problem-422': {
    status: 422,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY',
      title: 'Invalid request',
      status: 422,
      detail: 'Your request is not valid and no HTTP validation response was found in the spec, so Prism is generating this error for you.',
      validation: [{ location: ['request', 'body', 'limits', 'max'], severity: 'Error', code: 'type', message: 'Request body property limits.max must be integer' }],
    }),
  },
  '/partner/problem-500': {
    status: 500,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED', title: 'No response', status: 500, detail: 'No response defined for the selected operation' }),
  },
  '/partner/plain-400': { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Invalid JSON' },
  '/partner/array-409': { status: 409, headers: { 'content-type': 'application/json' }, body: '["conflict"]' },
  '/partner/ok': {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'X-RateLimit-Limit': '1000',
      'X-RateLimit-Remaining': '997',
      'X-RateLimit-Reset': '1767225660',
      'sl-violations': JSON.stringify([
        { location: ['response', 'header'], severity: 'Error', code: 'required', message: "Response header must have required property 'x-ratelimit-remaining'" },
        { location: ['response', 'body', 'id'], severity: 'Error', code: 'type', message: 'Response body property id must be string' },
      ]),
    },
    body: '{"id":1}',
  },
};

let upstream: http.Server;
let upstreamUrl = '';
let clock = Date.UTC(2026, 0, 1, 12, 0, 0);
const servers: http.Server[] = [];

async function layer(opts: { limit?: number; enforce?: boolean; upstream?: string } = {}): Promise<string> {
  const server = createMockLayer({ upstream: opts.upstream ?? upstreamUrl, codes, rateLimit: { limit: opts.limit ?? 1000, enforce: opts.enforce ?? false }, now: () => clock });
  servers.push(server);
  return listen(server, '127.0.0.1', 0);
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const a = answers[new URL(req.url ?? '/', 'http://x').pathname] ?? answers['/partner/ok']!;
    req.resume();
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  });
  upstreamUrl = await listen(upstream, '127.0.0.1', 0);
});
afterAll(async () => {
  for (const s of [...servers, upstream]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('error codes come from the spec', () => {
  it('reads each API\'s documented code per status, and derives the casing for statuses the spec lacks', () => {
    expect(codes.partner.get(404)?.code).toBe('NotFound');
    expect(codes.partner.get(500)?.code).toBe('InternalError');
    expect(codes.organization.get(400)?.code).toBe('invalid_request');
    expect(codes.organization.get(429)?.code).toBe('rate_limit_exceeded');
    const empty: ErrorCodes = { partner: new Map(), organization: new Map() };
    expect(codeFor(empty, 'partner', 415).code).toBe('UnsupportedMediaType');
    expect(codeFor(empty, 'organization', 415).code).toBe('unsupported_media_type');
  });

  it('turns Prism violations into field errors', () => {
    const url = new URL('http://x/p?pageSize=0');
    expect(
      fieldErrors(
        [
          { location: ['request', 'query', 'pagesize'], code: 'minimum', message: 'Request query parameter pagesize must be >= 1' },
          { location: ['request', 'body', 'filter'], code: 'required', message: "Request body property filter must have required property 'industries'" },
          { location: ['response', 'body'], code: 'type', message: 'ignored: about the response' },
        ],
        url,
      ),
    ).toEqual([
      { in: 'query', field: 'pageSize', reason: 'must be >= 1' },
      { in: 'body', field: 'filter.industries', reason: 'is required' },
    ]);
  });
});

describe('the layer rewrites what Prism cannot express', () => {
  it('a 422 problem document becomes the envelope with field-level details', async () => {
    const url = await layer();
    const res = await fetch(`${url}/problem-422`, { method: 'POST' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json();
    expect(validator.validate('#/components/schemas/Error', body)).toEqual([]);
    expect(body).toEqual({
      code: 'unprocessable_entity',
      message: 'The request cannot be processed',
      details: { field: 'limits.max', reason: 'must be integer', errors: [{ in: 'body', field: 'limits.max', reason: 'must be integer' }] },
    });
  });

  it('any other problem document becomes the envelope too', async () => {
    const url = await layer();
    const res = await fetch(`${url}/partner/problem-500`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ code: 'InternalError', message: 'No response defined for the selected operation', details: {} });
  });

  it('a plain-text or non-envelope JSON error becomes the envelope', async () => {
    const url = await layer();
    const plain = await fetch(`${url}/partner/plain-400`, { method: 'POST' });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toEqual({ code: 'BadRequest', message: 'The request body is not valid JSON', details: { field: 'body', reason: 'is not valid JSON' } });
    const conflict = await fetch(`${url}/partner/array-409`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toEqual({ code: 'Conflict', message: 'Conflict', details: {} });
  });

  it('replaces the example rate-limit headers and keeps only the violations it does not fix', async () => {
    const url = await layer();
    const res = await fetch(`${url}/partner/ok`, { headers: { 'X-Partner-API-Key': 'k1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('999');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(clock / 1000 + 60));
    expect(JSON.parse(res.headers.get('sl-violations')!)).toEqual([expect.objectContaining({ location: ['response', 'body', 'id'] })]);
    expect(await res.text()).toBe('{"id":1}');
  });

  it('an unreachable Prism is a retryable 503 envelope, not a hang', async () => {
    const url = await layer({ upstream: `http://127.0.0.1:${await freePort()}` });
    const res = await fetch(`${url}/partner/ok`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe(codeFor(codes, 'partner', 503).code);
    expect(body.message).toContain('could not reach Prism');
  });
});

describe('rate limiting', () => {
  it('counts per key in one-minute windows, and a new window starts full', async () => {
    const url = await layer({ limit: 2, enforce: true });
    const call = (key: string): Promise<Response> => fetch(`${url}/partner/ok`, { headers: { 'X-Partner-API-Key': key } });
    const start = clock;
    expect((await call('a')).headers.get('x-ratelimit-remaining')).toBe('1');
    clock += 30_000;
    expect((await call('a')).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await call('a');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(start / 1000 + 60));
    expect(await limited.json()).toEqual({ code: 'TooManyRequests', message: 'Rate limit exceeded', details: { limit: 2, window: '1m' } });
    // Organization paths answer in their own casing.
    const org = await fetch(`${url}/organization/list`, { headers: { 'X-API-Key': 'a' } });
    expect(org.status).toBe(200);
    clock += 30_000;
    const fresh = await call('a');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('without enforcement it counts down to 0 and keeps answering', async () => {
    const url = await layer({ limit: 1 });
    await fetch(`${url}/partner/ok`, { headers: { 'X-Partner-API-Key': 'b' } });
    const res = await fetch(`${url}/partner/ok`, { headers: { 'X-Partner-API-Key': 'b' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('an exhausted Organization key gets rate_limit_exceeded', async () => {
    const url = await layer({ limit: 1, enforce: true });
    await fetch(`${url}/organization/list`, { headers: { 'X-API-Key': 'c' } });
    const res = await fetch(`${url}/organization/list`, { headers: { 'X-API-Key': 'c' } });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: string }).code).toBe('rate_limit_exceeded');
  });

  it('MOCK_RATE_LIMIT: off by default, "on" is the documented 1,000, a number is that many', () => {
    expect(rateLimitFromEnv(undefined)).toEqual({ limit: 1000, enforce: false });
    expect(rateLimitFromEnv('off')).toEqual({ limit: 1000, enforce: false });
    expect(rateLimitFromEnv('on')).toEqual({ limit: 1000, enforce: true });
    expect(rateLimitFromEnv('25')).toEqual({ limit: 25, enforce: true });
    expect(() => rateLimitFromEnv('-3')).toThrow(/MOCK_RATE_LIMIT must be/);
  });
});
