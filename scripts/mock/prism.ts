// Starts the mock of the bundled spec on 127.0.0.1: Prism as a child process on a private port,
// behind the thin layer of mock-layer.ts that makes its errors and rate-limit headers what the
// docs describe. Clients only ever talk to the layer's URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allowedMethodsFromSpec, createMockLayer, DOCUMENTED_RATE_LIMIT, errorCodesFromSpec, listen, type RateLimitOptions } from './mock-layer.js';
import { root } from '../lib/steps.js';

export interface MockServer {
  /** The mock's URL (the layer in front of Prism). */
  url: string;
  /** Prism's own URL, without the layer: for comparisons only. */
  prismUrl: string;
  /** The Prism child process running now (a new one after a restart). */
  readonly process: ChildProcess;
  /**
   * Settles when Prism died and could not be brought back (more than `maxRestarts` exits a minute,
   * or a restart that failed): the reason, in a sentence. Never settles after `close()`.
   */
  failed: Promise<Error>;
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
  /** Restarts of a Prism that exited, allowed within a minute before the mock gives up (default 5). */
  maxRestarts?: number;
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
  const doc = JSON.parse(readFileSync(spec, 'utf8')) as Parameters<typeof errorCodesFromSpec>[0];
  let prism = await startPrism(spec, opts);
  const layer = createMockLayer({
    upstream: prism.url,
    codes: errorCodesFromSpec(doc),
    allowedMethods: allowedMethodsFromSpec(doc),
    rateLimit: opts.rateLimit ?? { limit: DOCUMENTED_RATE_LIMIT, enforce: false },
  });
  let url: string;
  try {
    url = await listen(layer, host, opts.port ?? 0);
  } catch (err) {
    await prism.close();
    throw new Error(`the mock could not listen on ${host}:${opts.port ?? 0}: ${err instanceof Error ? err.message : String(err)}`);
  }

  // Prism exiting under the layer would leave it answering 503 forever: it is started again on the
  // same port, unless it keeps dying, and then `failed` says why.
  let closing = false;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  const maxRestarts = opts.maxRestarts ?? 5;
  const restarts: number[] = [];
  const watch = (): void => {
    prism.process.once('exit', (code, signal) => {
      if (closing) return;
      const why = `Prism exited (${signal ?? `code ${code}`})${prism.tail() ? `:\n${prism.tail()}` : ''}`;
      const now = Date.now();
      while (restarts.length && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length >= maxRestarts) {
        fail(new Error(`${why}\nthe mock gave up after ${restarts.length} restarts within a minute`));
        return;
      }
      restarts.push(now);
      opts.log?.write(`${why}\nrestarting Prism on ${prism.url}\n`);
      startPrism(spec, opts, Number(new URL(prism.url).port)).then(
        (next) => {
          prism = next;
          if (closing) void next.close();
          else watch();
        },
        (err: unknown) => fail(new Error(`${why}\nand could not be restarted: ${err instanceof Error ? err.message : String(err)}`)),
      );
    });
  };
  watch();

  const close = async (): Promise<void> => {
    closing = true;
    await new Promise<void>((resolve) => {
      layer.close(() => resolve());
      layer.closeAllConnections();
    });
    await prism.close();
  };
  return {
    url,
    prismUrl: prism.url,
    get process() {
      return prism.process;
    },
    failed,
    close,
  };
}

/** Prism alone, on a free loopback port that only the layer uses. */
async function startPrism(spec: string, opts: StartMockOptions, port?: number): Promise<{ url: string; process: ChildProcess; tail(): string; close(): Promise<void> }> {
  const host = '127.0.0.1';
  port ??= await freePort(host);
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
      return { url, process: child, tail: () => tail.trim(), close };
    } catch {
      await sleep(100);
    }
  }
  await close();
  throw new Error(`Prism did not start on ${url} within ${timeoutMs} ms:\n${tail}`);
}
