// The sandbox over HTTP (node:http): reads each body within the size limit, hands the request to the
// engine, and answers what never reaches the engine (a header block too large, a malformed request
// line, a body over the limit) with an Error envelope or a closed connection. Slow or stalled clients
// are cut off by the server's timeouts without holding up anyone else.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSandbox, type Sandbox, type SandboxOptions } from './engine.js';
import { MAX_BODY_BYTES } from './guard.js';

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

function envelope(status: number, code: string, message: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify({ code, message, details });
}

function writeRaw(socket: Socket, status: number, reason: string, body: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function apiOf(url: string | undefined): 'partner' | 'organization' {
  return (url ?? '').startsWith('/partner') ? 'partner' : 'organization';
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
  const tooLarge = (api: 'partner' | 'organization'): string =>
    envelope(413, api === 'partner' ? 'PayloadTooLarge' : 'payload_too_large', 'The request body is too large', { reason: `exceeds ${MAX_BODY_BYTES} bytes` });

  // A whole request (headers included; Node bounds the headers by the same figure) must arrive in
  // `requestTimeoutMs`, checked every second. A separate, shorter headers deadline closed busy
  // keep-alive connections under load (5,000 calls at concurrency 100), so there is none.
  const server = http.createServer({ requestTimeout: options.requestTimeoutMs ?? 30_000, connectionsCheckingInterval: 1000 }, (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const refuseTooLarge = (): void => {
      const text = tooLarge(apiOf(req.url));
      res.writeHead(413, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), Connection: 'close', 'Access-Control-Allow-Origin': '*' });
      // The rest of the body is not read: the connection ends once the answer is out.
      res.end(text, () => req.socket.destroy());
    };
    if (declared > MAX_BODY_BYTES) {
      refuseTooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        refuseTooLarge();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over) return;
      void sandbox
        .handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: size ? Buffer.concat(chunks) : undefined })
        .then((r) => {
          if (res.destroyed) return;
          res.writeHead(r.status, r.body === undefined ? r.headers : { ...r.headers, 'Content-Length': String(Buffer.byteLength(r.body)) });
          res.end(r.body);
        });
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'HPE_HEADER_OVERFLOW') return writeRaw(socket, 431, 'Request Header Fields Too Large', envelope(431, 'request_header_fields_too_large', 'The request headers are too large'));
    if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.destroy();
      return;
    }
    writeRaw(socket, 400, 'Bad Request', envelope(400, 'bad_request', 'The request could not be read as HTTP'));
  });

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
