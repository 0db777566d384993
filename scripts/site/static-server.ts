// A small static file server for the docs site (node:http, no dependency). Loopback by default,
// GET/HEAD only, never serves a file outside its root directory. Text is sent gzip-compressed to
// clients that accept it (the API reference is one 3 MB page), compressed once per file version. A few files can be given at serve
// time instead of read from disk (e.g. the URL of the mock `npm start` has just started).
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.yml': 'application/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export interface ServeOptions {
  /** Files served from memory, by URL path (e.g. `/console/mock-server.json`), in place of the disk. */
  files?: Readonly<Record<string, string>>;
}

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const gzip = promisify(gzipCallback);
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|yaml)|image\/svg)/;
/** Below this, compressing saves less than it costs. */
const MIN_COMPRESS_BYTES = 1024;

/** Whether the request's Accept-Encoding allows gzip (`gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function send(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

/** Maps a request path to a file under `root`, or undefined when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const target = path.resolve(root, `.${path.posix.normalize(`/${decoded.replace(/\\/g, '/')}`)}`);
  return target === root || target.startsWith(root + path.sep) ? target : undefined;
}

type GzipCache = Map<string, { mtimeMs: number; size: number; body: Promise<Buffer> }>;

async function handle(root: string, files: Readonly<Record<string, string>>, cache: GzipCache, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
  const inMemory = Object.hasOwn(files, urlPath) ? files[urlPath] : undefined;
  if (inMemory !== undefined) {
    res.writeHead(200, {
      'Content-Type': contentType(urlPath),
      'Content-Length': Buffer.byteLength(inMemory),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : inMemory);
    return;
  }
  let file = resolveInside(root, urlPath);
  if (!file) return send(res, 404, 'Not Found\n');
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      res.writeHead(301, { Location: `${urlPath}/` });
      res.end();
      return;
    }
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return send(res, 404, 'Not Found\n');
  // A symlink inside the root must not lead outside it.
  const real = await realpath(file).catch(() => undefined);
  if (!real || (real !== root && !real.startsWith(root + path.sep))) return send(res, 404, 'Not Found\n');
  const type = contentType(file);
  if (COMPRESSIBLE.test(type) && info.size >= MIN_COMPRESS_BYTES) {
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', Vary: 'Accept-Encoding' };
    if (acceptsGzip(req.headers['accept-encoding'])) {
      let entry = cache.get(real);
      if (!entry || entry.mtimeMs !== info.mtimeMs || entry.size !== info.size) {
        entry = { mtimeMs: info.mtimeMs, size: info.size, body: readFile(real).then((raw) => gzip(raw, { level: zlib.Z_BEST_COMPRESSION })) };
        cache.set(real, entry);
        entry.body.catch(() => cache.delete(real));
      }
      const body = await entry.body;
      res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': info.size });
  } else {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Serves `dir` on `host:port` (port 0 picks a free port). Resolves once listening. */
export async function serveStatic(dir: string, port: number, host = '127.0.0.1', opts: ServeOptions = {}): Promise<StaticServer> {
  const root = await realpath(path.resolve(dir));
  const files = opts.files ?? {};
  const cache: GzipCache = new Map();
  const server = createServer((req, res) => {
    handle(root, files, cache, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
