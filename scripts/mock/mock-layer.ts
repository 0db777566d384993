// The thin HTTP layer in front of Prism. Prism validates requests and serves the spec's examples;
// this layer only corrects what Prism cannot express, so the mock says what the API documents:
// - every error body is the spec's Error envelope `{code, message, details}` with the API's own
//   codes (Prism sends `application/problem+json` for unknown paths, wrong methods and its 422s,
//   and `{"error": …}` for malformed JSON or an oversized body);
// - a 400/422 for a bad request names the fields that failed (from Prism's `sl-violations`), where
//   Prism repeats the spec's canned example;
// - the rate-limit headers are live: a window per key, `Remaining` counting down, `Reset` in the
//   future; with `enforce` a spent window gets a real 429 with `Retry-After`.
// - with the mock-only header `X-Mock-Scopes` the request is answered as from a key holding those
//   scopes: an operation they do not grant gets the API's 403 (the SDK's scope rule, src/core/scopes.ts).
// Success responses are streamed through untouched but for the rate-limit headers.
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apis } from '../../generated/apis.js';
import { apiOfPath, matchOperation, type ApiId } from '../../src/core/routes.js';
import { scopesAllow, scopesGranting, unknownScopesMessage } from '../../src/core/scopes.js';
import { derivedCode, guardRequest, guardServerOptions, protectServer, readBody, sendRejection, type GuardOptions } from './guard.js';

export type Api = ApiId;

export interface ErrorCodes {
  /** Code and message of each status's shared error response, read from the spec. */
  partner: Map<number, { code: string; message: string }>;
  organization: Map<number, { code: string; message: string }>;
}

export interface RateLimitOptions {
  /** Requests per key per window; the documented figure is 1,000 a minute. */
  limit: number;
  /** Answer 429 once a key's window is spent (otherwise only count, so load tests are unaffected). */
  enforce: boolean;
  windowMs?: number;
}

export interface MockLayerOptions {
  /** Prism's base URL, e.g. http://127.0.0.1:40123. */
  upstream: string;
  codes: ErrorCodes;
  rateLimit: RateLimitOptions;
  /** Clock in milliseconds; tests move it to cross a window. */
  now?: () => number;
  /** The methods a path has (for the `Allow` header of a 405), e.g. from `allowedMethodsFromSpec`. */
  allowedMethods?: (pathname: string) => string[];
  /** Limits and timeouts of the bad-input guard (guard.ts) in front of everything else. */
  guard?: Omit<GuardOptions, 'codeFor'>;
}

export const DOCUMENTED_RATE_LIMIT = 1000;
const WINDOW_MS = 60_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

const API_IDS = Object.keys(apis) as Api[];

/**
 * The API a request is for: the owner of its path's prefix, else the API whose key header it
 * carries, else the Organization API (the one without a single prefix, D12).
 */
export const apiOf = (pathname: string, headers: IncomingHttpHeaders = {}): Api =>
  apiOfPath(pathname) ?? API_IDS.find((id) => headers[apis[id].keyHeader.toLowerCase()] !== undefined) ?? 'organization';

/**
 * The code and message each API uses per status, from the first example of the shared error
 * response its operations reference (`#/components/responses/PartnerNotFound` …).
 */
export function errorCodesFromSpec(doc: JsonObject): ErrorCodes {
  const out = Object.fromEntries(API_IDS.map((id) => [id, new Map()])) as unknown as ErrorCodes;
  const responses = isObject(doc.components) && isObject(doc.components.responses) ? doc.components.responses : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [p, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const table = out[apiOf(p)];
    for (const op of Object.values(item)) {
      if (!isObject(op) || !isObject(op.responses)) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        const ref = isObject(response) && typeof response.$ref === 'string' ? response.$ref : undefined;
        const m = ref?.match(/^#\/components\/responses\/(.+)$/);
        if (!m || table.has(Number(status))) continue;
        const shared = responses[m[1]!];
        const media = isObject(shared) && isObject(shared.content) ? shared.content['application/json'] : undefined;
        const first = isObject(media) && isObject(media.examples) ? Object.values(media.examples)[0] : undefined;
        const value = isObject(first) ? first.value : undefined;
        if (isObject(value) && typeof value.code === 'string' && typeof value.message === 'string') {
          table.set(Number(status), { code: value.code, message: value.message });
        }
      }
    }
  }
  return out;
}

/** A status the spec has no shared response for, in the API's casing (`MethodNotAllowed` / `method_not_allowed`). */
export function codeFor(codes: ErrorCodes, api: Api, status: number): { code: string; message: string } {
  return codes[api].get(status) ?? derivedCode(api, status);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** The methods each path of the spec has, matched by template (`{id}` is one segment). */
export function allowedMethodsFromSpec(doc: JsonObject): (pathname: string) => string[] {
  const paths = isObject(doc.paths) ? doc.paths : {};
  const table = Object.entries(paths).map(([template, item]) => ({
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods: isObject(item) ? METHODS.filter((m) => m in item).map((m) => m.toUpperCase()) : [],
  }));
  return (pathname) => [...new Set(table.filter((t) => t.pattern.test(pathname)).flatMap((t) => t.methods))];
}

export interface FieldError {
  in: string;
  field: string;
  reason: string;
}

interface PrismViolation {
  location?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * Prism's validation output (the `sl-violations` header, or `validation` in its 422 problem body)
 * as field errors. Prism lowercases query and header names; the request's own spelling is restored
 * where the request carried the parameter.
 */
export function fieldErrors(violations: unknown, requestUrl: URL): FieldError[] {
  if (!Array.isArray(violations)) return [];
  const queryNames = new Map([...requestUrl.searchParams.keys()].map((k) => [k.toLowerCase(), k]));
  const out: FieldError[] = [];
  for (const raw of violations as PrismViolation[]) {
    if (!raw || typeof raw !== 'object') continue;
    const location = Array.isArray(raw.location) ? raw.location.map(String) : [];
    if (location[0] !== 'request') continue;
    const where = location[1] ?? 'request';
    const rest = location.slice(2);
    const message = typeof raw.message === 'string' ? raw.message : '';
    const missing = raw.code === 'required' ? /required property '([^']+)'/.exec(message)?.[1] : undefined;
    if (missing !== undefined) rest.push(missing);
    if (where === 'query' && rest[0] !== undefined) rest[0] = queryNames.get(rest[0].toLowerCase()) ?? rest[0];
    const reason =
      missing !== undefined
        ? 'is required'
        : message.replace(/^Request (body( property \S+)?|(query|path|header|cookie) parameter \S+|\S+)\s*/, '').trim() || String(raw.code ?? 'is invalid');
    out.push({ in: where, field: rest.join('.') || where, reason });
  }
  return out;
}

/** `details` of a bad request: the first failure in the documented `{field, reason}` shape, and all of them. */
export function badRequestDetails(errors: FieldError[]): JsonObject {
  const first = errors[0];
  if (!first) return {};
  return { field: first.field, reason: first.reason, errors: errors.map((e) => ({ in: e.in, field: e.field, reason: e.reason })) };
}

interface Window {
  start: number;
  count: number;
}

export interface RateState {
  limit: number;
  remaining: number;
  /** Unix seconds at which the window ends. */
  reset: number;
  /** Whole seconds until the window ends (at least 1). */
  retryAfter: number;
  exceeded: boolean;
}

/** Fixed one-minute windows per key, started by the key's first request. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    private readonly now: () => number,
    windowMs = WINDOW_MS,
  ) {
    this.windowMs = windowMs;
  }

  hit(key: string): RateState {
    const now = this.now();
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    const end = w.start + this.windowMs;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      reset: Math.ceil(end / 1000),
      retryAfter: Math.max(1, Math.ceil((end - now) / 1000)),
      exceeded: w.count > this.limit,
    };
  }

  /** Forgets spent windows now and then, so a long-running mock with many keys stays small. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (now >= w.start + this.windowMs) this.windows.delete(k);
  }
}

const KEY_HEADERS = API_IDS.map((id) => apis[id].keyHeader.toLowerCase());

/** The mock-only request header naming the scopes of the calling key (comma-separated). */
export const MOCK_SCOPES_HEADER = 'x-mock-scopes';

/**
 * The answer for a request made as from a key holding the scopes of `X-Mock-Scopes`: `undefined`
 * when it may go on (no header, or the scopes grant the operation; an unknown path or method is
 * Prism's to answer), else the status and envelope to send: 403 when the scopes do not grant the
 * operation's scope, 400 for a scope the API does not know.
 */
export function scopeRefusal(codes: ErrorCodes, api: Api, method: string, pathname: string, header: string | string[] | undefined): { status: number; body: { code: string; message: string; details: Json } } | undefined {
  if (header === undefined) return undefined;
  const held = (Array.isArray(header) ? header.join(',') : header).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = unknownScopesMessage(api, held);
  if (unknown || !held.length) {
    const { code } = codeFor(codes, api, 400);
    return { status: 400, body: { code, message: `X-Mock-Scopes: ${unknown ?? 'lists no scope'}`, details: { field: 'X-Mock-Scopes', reason: unknown ?? 'is empty' } } };
  }
  const match = matchOperation(method, pathname);
  if (!match || match.api !== api || scopesAllow(api, held, match.operation.scopes)) return undefined;
  const required = match.operation.scopes[0] ?? '';
  const { code } = codeFor(codes, api, 403);
  return {
    status: 403,
    body: {
      code,
      message: `This API key does not have the \`${required}\` scope that ${match.operation.operationId} requires (a key with ${scopesGranting(api, required).map((s) => `\`${s}\``).join(' or ')} may call it)`,
      details: { requiredScope: required },
    },
  };
}
/** Connection-level headers of the hop to Prism, not to be repeated to the client. */
const HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding'];
const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];

/** Whose window a request counts against: its key, or for a key-less request the client address. */
function bucketOf(req: IncomingMessage): string {
  for (const h of KEY_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string' && v !== '') return `${h}:${v}`;
  }
  return `address:${req.socket.remoteAddress ?? ''}`;
}

function rateHeaders(state: RateState, status: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'X-RateLimit-Limit': String(state.limit),
    // A 429 has nothing left in its window (the spec's X-RateLimit-Remaining-Exhausted).
    'X-RateLimit-Remaining': String(status === 429 ? 0 : state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  };
  if (status === 429) headers['Retry-After'] = String(state.retryAfter);
  return headers;
}

/**
 * Prism's own check of its response headers, minus what this layer rewrites: Prism validates before
 * the live values replace its examples (and drops a `0` header before validating, so a mocked 429
 * would claim `X-RateLimit-Remaining` is missing).
 */
function keptViolations(raw: string | string[] | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (!Array.isArray(list)) return raw;
  const kept = list.filter((v: PrismViolation) => {
    const loc = Array.isArray(v?.location) ? v.location.map(String) : [];
    if (loc[0] !== 'response' || loc[1] !== 'header') return true;
    const name = loc[2] ?? /property '([^']+)'/.exec(String(v.message ?? ''))?.[1] ?? '';
    return !RATE_HEADERS.includes(name.toLowerCase());
  });
  return kept.length ? JSON.stringify(kept) : undefined;
}

function copyHeaders(from: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined || HOP_HEADERS.includes(k) || RATE_HEADERS.includes(k) || k === 'sl-violations') continue;
    out[k] = v;
  }
  return out;
}

/** Writes a whole body, replacing whatever body headers the upstream response had. */
function sendBody(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string, contentType?: string): void {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    if (lower === 'content-length' || (contentType && lower === 'content-type')) continue;
    out[k] = v;
  }
  if (contentType) out['Content-Type'] = contentType;
  out['Content-Length'] = Buffer.byteLength(text);
  res.writeHead(status, out);
  res.end(text);
}

function sendEnvelope(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: { code: string; message: string; details: Json }): void {
  sendBody(res, status, headers, JSON.stringify(body), 'application/json');
}

/** The envelope for an error body Prism (or its HTTP server) wrote in its own format; undefined to keep the body. */
function envelopeFor(
  codes: ErrorCodes,
  api: Api,
  status: number,
  contentType: string,
  text: string,
  violations: unknown,
  req: IncomingMessage,
  url: URL,
): { code: string; message: string; details: Json } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const { code, message } = codeFor(codes, api, status);
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  if (contentType.includes('problem+json') && isObject(body)) {
    const type = typeof body.type === 'string' ? body.type : '';
    if (type.endsWith('NO_PATH_MATCHED_ERROR')) return { code, message: `No operation of the API matches ${route}`, details: { method: req.method ?? 'GET', path: url.pathname } };
    if (type.endsWith('NO_METHOD_MATCHED_ERROR')) return { code, message: `The path exists but has no ${req.method ?? ''} operation`, details: { method: req.method ?? 'GET', path: url.pathname } };
    const errors = fieldErrors(body.validation ?? violations, url);
    if (errors.length) return { code, message, details: badRequestDetails(errors) };
    return { code, message: typeof body.detail === 'string' && body.detail ? body.detail : message, details: {} };
  }
  // Prism's HTTP server (micri) answers a body it cannot read with `{"error": {code, message}}`, or
  // with plain text when the request does not accept JSON.
  const serverMessage = isObject(body) && isObject(body.error) && !('code' in body) ? String(body.error.message ?? '') : body === undefined ? text.trim() : undefined;
  if (serverMessage !== undefined) {
    if (status === 400 && /json/i.test(serverMessage)) return { code, message: 'The request body is not valid JSON', details: { field: 'body', reason: 'is not valid JSON' } };
    if (status === 413) return { code, message: 'The request body is too large', details: { reason: serverMessage || 'too large' } };
    return { code, message: serverMessage && serverMessage.length <= 200 ? serverMessage : message, details: {} };
  }
  const envelope = isObject(body) && typeof body.code === 'string' && typeof body.message === 'string' ? { code: body.code, message: body.message } : undefined;
  // Prism sent the operation's own 400/422 example: keep its code and message, name the real failures.
  if ((status === 400 || status === 422) && envelope) {
    const errors = fieldErrors(violations, url);
    if (errors.length) return { ...envelope, details: badRequestDetails(errors) };
  }
  return envelope ? undefined : { code, message, details: {} };
}

export function createMockLayer(opts: MockLayerOptions): http.Server {
  const upstream = new URL(opts.upstream);
  const now = opts.now ?? Date.now;
  const limiter = new RateLimiter(opts.rateLimit.limit, now, opts.rateLimit.windowMs);
  // Idle sockets to Prism are closed before Prism's own 5-second keep-alive timeout would close them
  // under a request (a reset on a reused socket); with `timeout` set, the agent also honours the
  // server's `Keep-Alive: timeout` hint.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });

  const guard: GuardOptions = { ...opts.guard, codeFor: (api, status) => codeFor(opts.codes, api, status) };

  const server = http.createServer(guardServerOptions(guard), async (req, res) => {
    // Prism exits on a target that does not decode, and holds a socket for every slow upload: it
    // only ever sees a checked target and a whole body.
    const refused = guardRequest(req, guard);
    if (refused) return sendRejection(req, res, refused, guard);
    // Concatenated, not resolved against a base: `//partner/me` must not become host `partner`.
    const url = new URL(`http://mock.invalid${req.url ?? '/'}`);
    const api = apiOf(url.pathname, req.headers);
    const state = limiter.hit(bucketOf(req));

    if (state.exceeded && opts.rateLimit.enforce) {
      req.resume();
      const { code, message } = codeFor(opts.codes, api, 429);
      sendEnvelope(res, 429, rateHeaders(state, 429), { code, message, details: { limit: state.limit, window: '1m' } });
      return;
    }
    const refusal = scopeRefusal(opts.codes, api, req.method ?? 'GET', url.pathname, req.headers[MOCK_SCOPES_HEADER]);
    if (refusal) {
      req.resume();
      sendEnvelope(res, refusal.status, rateHeaders(state, refusal.status), refusal.body);
      return;
    }

    const read = await readBody(req, guard);
    if ('rejection' in read) return sendRejection(req, res, read.rejection, guard);
    const headers = { ...req.headers };
    delete headers.expect;
    delete headers[MOCK_SCOPES_HEADER];
    delete headers['transfer-encoding'];
    if (read.body.length || headers['content-length'] !== undefined) headers['content-length'] = String(read.body.length);
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (upRes) => {
      const status = upRes.statusCode ?? 502;
      const out = { ...copyHeaders(upRes.headers), ...rateHeaders(state, status) };
      const violations = keptViolations(upRes.headers['sl-violations']);
      if (violations) out['sl-violations'] = violations;
      if (status < 400) {
        res.writeHead(status, out);
        upRes.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsedViolations: unknown;
        try {
          parsedViolations = JSON.parse(String(upRes.headers['sl-violations'] ?? '[]'));
        } catch {
          parsedViolations = [];
        }
        // The Partner API answers a request that fails its schema with 400 BadRequest and keeps 422
        // for business rules (credits, a past expiry); Prism prefers a declared 422 for both (D12).
        if (api === 'partner' && status === 422 && fieldErrors(parsedViolations, url).length) {
          const { code, message } = codeFor(opts.codes, api, 400);
          sendEnvelope(res, 400, out, { code, message, details: badRequestDetails(fieldErrors(parsedViolations, url)) });
          return;
        }
        if (status === 405 && opts.allowedMethods) {
          const allowed = opts.allowedMethods(url.pathname);
          if (allowed.length) out.Allow = allowed.join(', ');
        }
        const envelope = envelopeFor(opts.codes, api, status, String(upRes.headers['content-type'] ?? ''), text, parsedViolations, req, url);
        if (envelope) {
          sendEnvelope(res, status, out, envelope);
        } else {
          sendBody(res, status, out, text);
        }
      });
      upRes.on('error', () => res.destroy());
    });
    up.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Prism is down (being restarted by prism.ts): a retryable answer, not a 500.
      const { code } = codeFor(opts.codes, api, 503);
      sendEnvelope(res, 503, { ...rateHeaders(state, 503), 'Retry-After': '1' }, { code, message: `The mock could not reach Prism (${(err as NodeJS.ErrnoException).code ?? err.message}); try again in a moment`, details: {} });
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    up.end(read.body);
  });
  protectServer(server, guard);
  server.on('close', () => agent.destroy());
  return server;
}

/** Listens on host:port (0 for a free one) and reports the URL. */
export function listen(server: http.Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(`http://${host}:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Reads MOCK_RATE_LIMIT: unset/`off` counts only; `on` enforces the documented 1,000 a minute; a number enforces that many. */
export function rateLimitFromEnv(raw: string | undefined): RateLimitOptions {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'off' || v === '0' || v === 'false') return { limit: DOCUMENTED_RATE_LIMIT, enforce: false };
  if (v === 'on' || v === 'true' || v === '1000') return { limit: DOCUMENTED_RATE_LIMIT, enforce: true };
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`MOCK_RATE_LIMIT must be "on" (1,000 requests a minute per key), "off", or a whole number of requests a minute, got "${raw}"`);
  return { limit: n, enforce: true };
}
