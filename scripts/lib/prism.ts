// Starts the Prism mock of the bundled spec as a child process and reads back the port it bound.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { root } from './steps.js';

export interface MockServer {
  url: string;
  process: ChildProcess;
  close(): Promise<void>;
}

export interface StartMockOptions {
  spec?: string;
  host?: string;
  /** 0 picks a free port (recommended: a busy port makes Prism exit with an empty "fatal"). */
  port?: number;
  /** Forward Prism's request log to this stream. */
  log?: NodeJS.WritableStream;
  /** Abort start-up after this many milliseconds. */
  timeoutMs?: number;
}

const prismCli = path.join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');

export function startMock(opts: StartMockOptions = {}): Promise<MockServer> {
  const spec = opts.spec ?? path.join(root, 'generated', 'openapi.yaml');
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  // Spawned with node directly (never through npx: killing npx would leave Prism running).
  const child = spawn(process.execPath, [prismCli, 'mock', spec, '-h', host, '-p', String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });

  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`Prism did not start within ${opts.timeoutMs ?? 30000} ms:\n${output}`));
    }, opts.timeoutMs ?? 30000);
    const onData = (d: Buffer): void => {
      const text = d.toString();
      if (opts.log) opts.log.write(text);
      else output += text;
      const m = /Prism is listening on (http:\/\/[^\s]+)/.exec(output + text);
      if (m?.[1]) {
        clearTimeout(timer);
        output = '';
        resolve({ url: m[1].replace(/\/$/, ''), process: child, close });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (code ${code}) before listening:\n${output}`));
    });
  });
}
