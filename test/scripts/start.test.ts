// `npm run mock` / `npm start` (scripts/start.ts) as a user runs them: the mock answers with and
// without the key, Ctrl-C (SIGINT) stops everything and leaves no process listening, and a busy or
// malformed port is refused with a readable message before anything starts. (`--mock-only` skips
// the 10-second generate; `--sandbox-only` serves the sandbox `npm start` serves, without the
// generate and the docs half, which is the same code path with serveStatic.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPortFree, freePort } from '../../scripts/mock/prism.js';
import { SEEDED_KEYS } from '../../packages/sandbox/src/store.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const running: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Called on every chunk of output and at exit. */
  onChange: Set<() => void>;
}

function start(env: Record<string, string>, mode = '--mock-only'): Run {
  // One process (tsx as an import hook, not its CLI wrapper), so the signal reaches start.ts itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', mode], {
    cwd: root,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  const onChange = new Set<() => void>();
  const changed = (): void => onChange.forEach((f) => f());
  const append = (d: Buffer): void => {
    out += d.toString();
    changed();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', changed);
  return { child, output: () => out, exited, onChange };
}

// Sized for a loaded machine: Prism can take tens of seconds to start when every core is busy.
function waitFor(run: Run, text: string, ms = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      clearTimeout(timer);
      run.onChange.delete(check);
      if (err) reject(err);
      else resolve();
    };
    const check = (): void => {
      if (run.output().includes(text)) done();
      else if (run.child.exitCode !== null || run.child.signalCode !== null) done(new Error(`exited (${run.child.exitCode ?? run.child.signalCode}) before "${text}":\n${run.output()}`));
    };
    const timer = setTimeout(() => done(new Error(`no "${text}" within ${ms} ms:\n${run.output()}`)), ms);
    run.onChange.add(check);
    check();
  });
}

/**
 * The exit code, or a failure that shows what the process printed and what it is still doing, when it
 * has not exited within `ms` (a hang is then explained, not only timed out by vitest).
 */
function exitCode(run: Run, ms = 75_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms (pid ${run.child.pid}); its output:\n${run.output()}`)), ms);
  });
  return Promise.race([run.exited, late]).finally(() => clearTimeout(timer));
}

// The cases that serve (two mocks, the sandbox) run side by side, each on ports of its own: most of
// their time is a Prism, a sandbox or tsx starting. The refusals (a process that exits at once) run
// one after another, after them in each suite, so at most three processes start at a time. What a
// failed case left running is killed at the end.
afterAll(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe.concurrent('scripts/start.ts --mock-only (npm run mock)', () => {
  it('serves the mock, prints its URL, and on Ctrl-C stops leaving nothing listening', async () => {
    const port = await freePort();
    const run = start({ MOCK_PORT: String(port) });
    await waitFor(run, 'Press Ctrl-C to stop.');
    expect(run.output()).toContain(`http://127.0.0.1:${port}`);

    const ok = await fetch(`http://127.0.0.1:${port}/partner/me`, { headers: { 'X-Partner-API-Key': 'pk_test_start' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { partner: { id: string } }).partner.id).toBeTypeOf('string');
    const denied = await fetch(`http://127.0.0.1:${port}/partner/me`);
    expect(denied.status).toBe(401);

    run.child.kill('SIGINT');
    expect(await exitCode(run)).toBe(0);
    expect(run.output()).toContain('stopping');
    // Prism (a child process of start.ts) is gone: its port is free again.
    await expect(assertPortFree('127.0.0.1', port)).resolves.toBeUndefined();
  }, 60_000);

  it('MOCK_RATE_LIMIT enforces a per-key limit with a real 429 and Retry-After', async () => {
    const port = await freePort();
    const run = start({ MOCK_PORT: String(port), MOCK_RATE_LIMIT: '3' });
    await waitFor(run, 'Press Ctrl-C to stop.');
    expect(run.output()).toContain('3 requests a minute per key');
    const call = (key: string): Promise<Response> => fetch(`http://127.0.0.1:${port}/partner/me`, { headers: { 'X-Partner-API-Key': key } });
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('pk_test_limit_a');
      statuses.push(res.status);
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(statuses).toEqual([200, 200, 200]);
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call('pk_test_limit_a');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(await limited.json()).toEqual({ code: 'TooManyRequests', message: expect.any(String), details: { limit: 3, window: '1m' } });
    // Another key has its own window.
    expect((await call('pk_test_limit_b')).status).toBe(200);
    run.child.kill('SIGINT');
    expect(await exitCode(run)).toBe(0);
  }, 60_000);

  it.sequential('refuses a port that is already in use, naming it and the variable to change', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = start({ MOCK_PORT: String(port) });
      expect(await exitCode(run)).toBe(1);
      expect(run.output()).toContain(`127.0.0.1:${port} is already in use`);
      expect(run.output()).toContain('MOCK_PORT');
      expect(run.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it.sequential('refuses a malformed MOCK_RATE_LIMIT', async () => {
    const run = start({ MOCK_PORT: '0', MOCK_RATE_LIMIT: 'lots' });
    expect(await exitCode(run)).toBe(1);
    expect(run.output()).toContain('MOCK_RATE_LIMIT must be');
  });

  it.sequential('refuses a malformed port', async () => {
    const run = start({ MOCK_PORT: 'forty' });
    expect(await exitCode(run)).toBe(1);
    expect(run.output()).toContain('MOCK_PORT must be a port number');
  });
});

describe.concurrent('scripts/start.ts --sandbox-only (the sandbox npm start serves)', () => {
  it('prints the URL, the seeded keys and the data file; the README curl line works; state stays across a restart', async () => {
    const port = await freePort();
    const data = path.join(mkdtempSync(path.join(tmpdir(), 'start-sandbox-')), 'state.json');
    const env = { SANDBOX_PORT: String(port), SANDBOX_DATA: data };
    let run = start(env, '--sandbox-only');
    await waitFor(run, 'Press Ctrl-C to stop.');
    const url = `http://127.0.0.1:${port}`;
    expect(run.output()).toContain(url);
    expect(run.output()).toContain(`curl -H "X-Partner-API-Key: ${SEEDED_KEYS.partner}" ${url}/partner/me`);
    // The README shows the same line for the default port.
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`curl -H "X-Partner-API-Key: ${SEEDED_KEYS.partner}" http://127.0.0.1:4010/partner/me`);
    expect(run.output()).toContain(SEEDED_KEYS.organization.admin);
    expect(run.output()).toContain(data);

    const me = await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
    expect(me.status).toBe(200);
    expect((await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': 'pk_test_start' } })).status).toBe(401);
    const created = await fetch(`${url}/partner/organizations`, {
      method: 'POST',
      headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Kept across restarts' }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { organization: { id: string } }).organization.id;

    run.child.kill('SIGINT');
    expect(await exitCode(run)).toBe(0);
    await expect(assertPortFree('127.0.0.1', port)).resolves.toBeUndefined();

    run = start(env, '--sandbox-only');
    await waitFor(run, 'Press Ctrl-C to stop.');
    const again = await fetch(`${url}/partner/organizations/${id}`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
    expect(again.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await exitCode(run)).toBe(0);
  }, 180_000);

  it.sequential('refuses a busy SANDBOX_PORT before anything starts', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = start({ SANDBOX_PORT: String(port) }, '--sandbox-only');
      expect(await exitCode(run)).toBe(1);
      expect(run.output()).toContain(`127.0.0.1:${port} is already in use`);
      expect(run.output()).toContain('SANDBOX_PORT');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
