// Starts the mock of the bundled spec on 127.0.0.1: Prism as a child process on a private port,
// behind the thin layer of mock-layer.ts that makes its errors and rate-limit headers what the
// docs describe. Clients only ever talk to the layer's URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMockLayer, DOCUMENTED_RATE_LIMIT, errorCodesFromSpec, listen, type RateLimitOptions } from './mock-layer.js';
import { root } from '../lib/steps.js';

export interface MockServer {
  /** The mock's URL (the layer in front of Prism). */
  url: string;
  /** Prism's own URL, without the layer: for comparisons only. */
  prismUrl: string;
  /** The Prism child process. */
  process: ChildProcess;
  close(): Promise<void>;
}

export interface StartMockOptions {
  /** The bundled spec, JSON (read by Prism and by the layer). */
  spec?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Prism's log level; `error` keeps it fast and its memory flat under load. */
  verbose?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Forward Prism's log to this stream (otherwise only the tail is kept, for error messages). */
  log?: NodeJS.WritableStream;
  /** Give up starting after this many milliseconds. */
  timeoutMs?: number;
  /** Live rate-limit headers; by default counted (1,000 a minute per key) but never enforced. */
  rateLimit?: RateLimitOptions;
}

const prismCli = path.join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const TAIL = 8192;

/** Asks the OS for a free loopback port. Prism itself cannot report the port it bound below `info` logging. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Fails when something already listens on host:port. Without this check the readiness poll below
 * could be answered by that other server while Prism dies on EADDRINUSE.
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `${host}:${port} is already in use` : `cannot listen on ${host}:${port}: ${err.message}`)),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

export async function startMock(opts: StartMockOptions = {}): Promise<MockServer> {
  const spec = opts.spec ?? path.join(root, 'generated', 'openapi.json');
  const host = opts.host ?? '127.0.0.1';
  if (opts.port) await assertPortFree(host, opts.port);
  const codes = errorCodesFromSpec(JSON.parse(readFileSync(spec, 'utf8')) as Parameters<typeof errorCodesFromSpec>[0]);
  const prism = await startPrism(spec, opts);
  const layer = createMockLayer({ upstream: prism.url, codes, rateLimit: opts.rateLimit ?? { limit: DOCUMENTED_RATE_LIMIT, enforce: false } });
  let url: string;
  try {
    url = await listen(layer, host, opts.port ?? 0);
  } catch (err) {
    await prism.close();
    throw new Error(`the mock could not listen on ${host}:${opts.port ?? 0}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const close = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      layer.close(() => resolve());
      layer.closeAllConnections();
    });
    await prism.close();
  };
  return { url, prismUrl: prism.url, process: prism.process, close };
}

/** Prism alone, on a free loopback port that only the layer uses. */
async function startPrism(spec: string, opts: StartMockOptions): Promise<{ url: string; process: ChildProcess; close(): Promise<void> }> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  // Prism starts in about a second on a quiet machine; a loaded one can take tens of seconds.
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const url = `http://${host}:${port}`;
  // Spawned with node directly (never through npx: killing npx would leave Prism running).
  const child = spawn(process.execPath, [prismCli, 'mock', spec, '-h', host, '-p', String(port), '-v', opts.verbose ?? 'error'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let tail = '';
  const onData = (d: Buffer): void => {
    if (opts.log) opts.log.write(d);
    tail = (tail + d.toString()).slice(-TAIL);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Prism exited (code ${child.exitCode}) before listening on ${url}${tail ? `:\n${tail}` : ' (is the port busy?)'}`);
    }
    try {
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      return { url, process: child, close };
    } catch {
      await sleep(100);
    }
  }
  await close();
  throw new Error(`Prism did not start on ${url} within ${timeoutMs} ms:\n${tail}`);
}
