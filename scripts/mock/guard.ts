// The bad-input guard of the local servers (the mock's layer, the sandbox): what must be refused
// before a request reaches a router, a validator or Prism, answered with the spec's Error envelope.
// Prism exits on a request target that does not decode, 70 stalled uploads held every socket to it,
// and Node's own answers to an oversized header or a timeout are bare. Plain node:http, no other
// dependency, so that any server of this repo can put it in front of its handlers:
//
//   const server = http.createServer(guardServerOptions(), async (req, res) => {
//     const refused = guardRequest(req);
//     if (refused) return sendRejection(req, res, refused);
//     const read = await readBody(req);
//     if ('rejection' in read) return sendRejection(req, res, read.rejection);
//     ... read.body is the whole body, at most maxBodyBytes, valid UTF-8 JSON nested at most
//     maxJsonDepth levels when it says it is JSON
//   });
//   protectServer(server);   // envelopes for 431 / 400 / 408 that Node would answer bare
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { apis } from '../../generated/apis.js';
import { apiOfPath, type ApiId } from '../../src/core/routes.js';

export type Api = ApiId;

/** A request the guard refuses: what to answer (the envelope's code comes from `GuardOptions.codeFor`). */
export interface Rejection {
  status: number;
  /** Whose conventions the envelope follows (error-code casing), from the request's path. */
  api: Api;
  message: string;
  details: Record<string, unknown>;
  /** Extra response headers (`Connection: close` after an oversized body). */
  headers: Record<string, string>;
}

export interface GuardOptions {
  /** Largest request body read, in bytes; above it 413. Default 10 MiB, Prism's own limit. */
  maxBodyBytes?: number;
  /** Largest request line plus headers, in bytes; above it 431. Default 16 KiB, Node's default. */
  maxHeaderBytes?: number;
  /** Time a client has to send its headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Deepest nesting of arrays and objects in a JSON body; deeper is a 400. Default 64. Validators
   * behind the guard (Prism's, the sandbox's Ajv) recurse once per level, so a 100,000-deep body
   * would overflow their stack; no request of the spec comes near this depth.
   */
  maxJsonDepth?: number;
  /** The envelope's `code` and default message for a status in an API (the spec's own codes). */
  codeFor?: (api: Api, status: number) => { code: string; message: string };
}

export const GUARD_DEFAULTS = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxJsonDepth: 64,
} as const;

/** After a 413 the rest of the body is read and dropped (so the client sees the answer, not a reset) up to this much, then the socket is closed. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

/**
 * The API a path belongs to (the owner of its first segment in the generated facts table, else the
 * Organization API, the one without a single prefix); leading slashes do not move a Partner path
 * into the Organization API.
 */
export const apiOf = (path: string): Api => apiOfPath(path.replace(/^\/+/, '/')) ?? 'organization';

/** A status's code in an API's casing, derived from its reason phrase (`MethodNotAllowed` / `method_not_allowed`). */
export function derivedCode(api: Api, status: number): { code: string; message: string } {
  const phrase = http.STATUS_CODES[status] ?? 'Error';
  const words = phrase.replace(/[^A-Za-z ]/g, '').split(/\s+/).filter(Boolean);
  const code = apis[api].errorCodeCase === 'PascalCase' ? words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('') : words.map((w) => w.toLowerCase()).join('_');
  return { code, message: phrase };
}

/** `http.createServer` options: the header size limit and the timeouts, so no client holds a socket forever. */
export function guardServerOptions(opts: GuardOptions = {}): http.ServerOptions {
  const requestTimeout = opts.requestTimeoutMs ?? GUARD_DEFAULTS.requestTimeoutMs;
  const headersTimeout = Math.min(opts.headersTimeoutMs ?? GUARD_DEFAULTS.headersTimeoutMs, requestTimeout);
  return {
    maxHeaderSize: opts.maxHeaderBytes ?? GUARD_DEFAULTS.maxHeaderBytes,
    requestTimeout,
    headersTimeout,
    // Node checks the two timeouts this often (30 s by default, longer than the timeouts themselves).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

const rejection = (status: number, api: Api, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}): Rejection => ({
  status,
  api,
  message,
  details,
  headers,
});

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks a request's method and target before anything routes it: an origin-form path, every
 * segment and query component valid percent-encoded UTF-8 with no control character, no empty
 * or dot segment, and a declared body no larger than the limit. `null` when it may go on.
 */
export function guardRequest(req: IncomingMessage, opts: GuardOptions = {}): Rejection | null {
  const target = req.url ?? '';
  const api = apiOf(target);
  if (!target.startsWith('/')) {
    return rejection(400, api, 'The request target must be a path starting with "/"', { field: 'path', reason: 'is not a path' });
  }
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  const rawQuery = q === -1 ? '' : target.slice(q + 1);
  const segments = rawPath.split('/').slice(1);
  for (const [i, raw] of segments.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return rejection(400, api, 'The request path is not valid percent-encoded UTF-8', { field: 'path', reason: 'is not valid percent-encoded UTF-8' });
    }
    if (CONTROL.test(segment)) return rejection(400, api, 'The request path holds a control character', { field: 'path', reason: 'holds a control character' });
    if (segment === '.' || segment === '..') return rejection(400, api, 'The request path must not hold "." or ".." segments', { field: 'path', reason: 'holds a dot segment' });
    // No operation has an empty segment (a trailing slash is left to the router).
    if (segment === '' && i < segments.length - 1) {
      return rejection(404, api, `No operation of the API matches ${req.method ?? 'GET'} ${rawPath.slice(0, 200)}`, { method: req.method ?? 'GET', path: rawPath.slice(0, 200) });
    }
  }
  for (const part of rawQuery.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return rejection(400, api, 'The query string is not valid percent-encoded UTF-8', { field: 'query', reason: 'is not valid percent-encoded UTF-8' });
    }
  }
  const declared = req.headers['content-length'];
  const max = opts.maxBodyBytes ?? GUARD_DEFAULTS.maxBodyBytes;
  if (declared !== undefined && Number(declared) > max) return tooLarge(api, max);
  return null;
}

const tooLarge = (api: Api, max: number): Rejection =>
  rejection(413, api, 'The request body is too large', { reason: `larger than ${max} bytes`, limit: max }, { Connection: 'close' });

/** Whether JSON text nests `[`/`{` (outside strings) deeper than `limit`; stops as soon as it does, recursing nowhere. */
export function jsonDepthExceeds(text: string, limit: number = GUARD_DEFAULTS.maxJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

const isJson = (contentType: string | undefined): boolean => /^\s*application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the whole body, at most `maxBodyBytes` (413 past it, whatever the Content-Length said), and
 * for a JSON content type checks that it is UTF-8, nests at most `maxJsonDepth` levels and parses
 * (400 otherwise). A client that goes away mid-body gets a rejection nobody will read.
 */
export function readBody(req: IncomingMessage, opts: GuardOptions = {}): Promise<{ body: Buffer } | { rejection: Rejection }> {
  const api = apiOf(req.url ?? '');
  const max = opts.maxBodyBytes ?? GUARD_DEFAULTS.maxBodyBytes;
  const maxDepth = opts.maxJsonDepth ?? GUARD_DEFAULTS.maxJsonDepth;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: { body: Buffer } | { rejection: Rejection }): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) finish({ rejection: tooLarge(api, max) });
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => finish({ rejection: rejection(400, api, 'The request body could not be read', { field: 'body', reason: 'was cut off' }) }));
    req.on('close', () => finish({ rejection: rejection(400, api, 'The request body was cut off', { field: 'body', reason: 'was cut off' }) }));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length && isJson(req.headers['content-type'])) {
        let text: string;
        try {
          text = utf8.decode(body);
        } catch {
          return finish({ rejection: rejection(400, api, 'The request body is not valid UTF-8', { field: 'body', reason: 'is not valid UTF-8' }) });
        }
        if (jsonDepthExceeds(text, maxDepth)) {
          return finish({ rejection: rejection(400, api, 'The request body is nested too deeply', { field: 'body', reason: `nests deeper than ${maxDepth} levels`, limit: maxDepth }) });
        }
        try {
          JSON.parse(text);
        } catch {
          return finish({ rejection: rejection(400, api, 'The request body is not valid JSON', { field: 'body', reason: 'is not valid JSON' }) });
        }
      }
      finish({ body });
    });
  });
}

function envelopeText(r: Rejection, opts: GuardOptions): string {
  const { code } = (opts.codeFor ?? derivedCode)(r.api, r.status);
  return JSON.stringify({ code, message: r.message, details: r.details });
}

/**
 * Answers a rejection with the Error envelope. After a body refused for its size the connection is
 * closed (`Connection: close`), but only once the rest of the body has been read and dropped (up to
 * 64 MiB or 10 s): Node destroys a `Connection: close` socket as soon as the response ends, and
 * closing a socket with unread data resets it, so the client could lose the answer. The answer is
 * written at once and ended after the drain.
 */
export function sendRejection(req: IncomingMessage, res: ServerResponse, r: Rejection, opts: GuardOptions = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = envelopeText(r, opts);
  res.writeHead(r.status, { ...r.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  if (r.headers.Connection !== 'close' || req.complete || req.readableEnded) {
    req.resume();
    res.end(text);
    return;
  }
  res.write(text);
  const socket = req.socket;
  let drained = 0;
  const cut = setTimeout(() => socket.destroy(), DRAIN_MS);
  cut.unref();
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_BYTES) socket.destroy();
  });
  req.once('end', () => {
    clearTimeout(cut);
    res.end();
  });
  req.once('close', () => clearTimeout(cut));
  req.resume();
}

/** The path of a request line Node could not parse, to pick the envelope's API. */
function pathOfRaw(raw: Buffer | undefined): string {
  const line = raw?.subarray(0, 2048).toString('latin1') ?? '';
  return /^[A-Z]+ (\S+)/.exec(line)?.[1] ?? '';
}

/**
 * Installs the answers Node gives bare (or not at all) as envelopes: 431 for a request line or headers
 * over the limit, 408 for a client too slow to send its request, 400 for a request Node cannot
 * parse. Each closes the connection. Also applies the timeouts of `guardServerOptions` to a server
 * made without them.
 */
export function protectServer(server: http.Server, opts: GuardOptions = {}): void {
  const o = guardServerOptions(opts);
  server.requestTimeout = o.requestTimeout!;
  server.headersTimeout = o.headersTimeout!;
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const res = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || res?.headersSent || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const api = apiOf(res?.req?.url ?? pathOfRaw(err.rawPacket));
    const r =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? rejection(431, api, 'The request line and headers are too large', { reason: `larger than ${o.maxHeaderSize} bytes`, limit: o.maxHeaderSize })
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? rejection(408, api, 'The request was not received in time', { reason: 'the client was too slow to send it' })
          : rejection(400, api, 'The request is not valid HTTP', { reason: String(err.code ?? 'unparseable') });
    const text = envelopeText(r, opts);
    socket.end(
      `HTTP/1.1 ${r.status} ${http.STATUS_CODES[r.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
}
