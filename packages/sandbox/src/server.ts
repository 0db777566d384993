// The sandbox over HTTP (node:http) behind the shared bad-input guard of the local servers
// (scripts/mock/guard.ts, the mock's too): it refuses what must never reach the engine (a path that
// does not decode, a body over the limit or not UTF-8 JSON, headers too large, a client too slow)
// with the spec's Error envelope or a closed connection, so no stalled client holds up anyone else.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardRequest, guardServerOptions, protectServer, readBody, sendRejection, type GuardOptions } from '../../../scripts/mock/guard.js';
import { codeFor } from '../../../scripts/mock/mock-layer.js';
import { createSandbox, type Sandbox, type SandboxOptions } from './engine.js';

export interface SandboxServerOptions {
  /** 0 for a free port (default 4010). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  dataFile?: string;
  seedFile?: string;
  strict?: boolean;
  orgWebhookUrl?: string;
  rateLimit?: SandboxOptions['rateLimit'];
  clock?: () => number;
  /** Milliseconds a client may take to send a whole request (default 30000). */
  requestTimeoutMs?: number;
}

export interface SandboxServer {
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const sandbox = createSandbox({
    ...(options.seedFile ? { seed: options.seedFile } : {}),
    ...(options.dataFile ? { dataFile: options.dataFile } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.orgWebhookUrl ? { orgWebhookUrl: options.orgWebhookUrl } : {}),
    strict: options.strict ?? false,
  });
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  // The headers deadline is the whole request's: a separate, shorter one closed busy keep-alive
  // connections under load (5,000 calls at concurrency 100). Envelope codes are the spec's own.
  const guard: GuardOptions = { requestTimeoutMs, headersTimeoutMs: requestTimeoutMs, codeFor: (api, status) => codeFor(sandbox.contract.codes, api, status) };

  const server = http.createServer(guardServerOptions(guard), (req: IncomingMessage, res: ServerResponse) => {
    // Every answer carries the CORS header, refusals too, so the docs' console can read them.
    res.setHeader('Access-Control-Allow-Origin', '*');
    const refused = guardRequest(req, guard);
    if (refused) return sendRejection(req, res, refused, guard);
    void readBody(req, guard).then(async (read) => {
      if ('rejection' in read) return sendRejection(req, res, read.rejection, guard);
      const r = await sandbox.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: read.body.length ? read.body : undefined });
      if (res.destroyed) return;
      res.writeHead(r.status, r.body === undefined ? r.headers : { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) });
      res.end(r.body);
    });
  });
  protectServer(server, guard);
  // An idle keep-alive connection is the client's to close: clients (undici, the SDK's fetch) keep one
  // for 4 s, or for the server's `Keep-Alive: timeout` hint less a second. Node's own 5 s left a
  // race on a loaded machine: the server closed a socket just as a client sent a request on it, and
  // a POST, which no client retries, failed with "other side closed" (5,000 mixed SDK calls at
  // concurrency 100). Long enough that no client's idle timer comes near it.
  server.keepAliveTimeout = 65_000;

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4010, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    sandbox,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sandbox.close();
    },
  };
}
