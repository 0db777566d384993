// npm start: generate everything, then serve the sandbox (default :4010, SANDBOX_PORT; both APIs with
// state, packages/sandbox) and the docs site (default :8080) on 127.0.0.1 until Ctrl-C. The sandbox
// keeps its state in memory, or in SANDBOX_DATA (a file) across restarts.
// `npm run mock` (--mock-only) serves the stateless Prism mock instead (MOCK_PORT, default 4010;
// Prism behind scripts/mock/mock-layer.ts) from the committed generated/openapi.json.
// `--sandbox-only` serves just the sandbox, without generating (what the tests start).
// MOCK_RATE_LIMIT=on enforces the documented 1,000 requests a minute per key (a number: that many).
import type { SandboxServer } from '../packages/sandbox/src/server.js';
import { rateLimitFromEnv, type RateLimitOptions } from './mock/mock-layer.js';
import { assertPortFree, startMock, type MockServer } from './mock/prism.js';
import { runChecked, step, StepError } from './lib/steps.js';
import { apis } from '../generated/apis.js';
import { operations } from '../generated/operations.js';
import { apiOfPath } from '../src/core/routes.js';

const mockOnly = process.argv.includes('--mock-only');
const sandboxOnly = process.argv.includes('--sandbox-only');
const host = process.env.HOST ?? '127.0.0.1';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new StepError('config', `${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return n;
}

/** What is running, in start order; every exit path (Ctrl-C, a failure) closes all of it. */
const closers: Array<() => Promise<void>> = [];

async function ensureFree(name: string, p: number): Promise<void> {
  if (p === 0) return;
  try {
    await assertPortFree(host, p);
  } catch (err) {
    throw new StepError('config', `${err instanceof Error ? err.message : String(err)}: stop what uses it, or set ${name} to another port`);
  }
}

function rateLimit(): RateLimitOptions {
  try {
    return rateLimitFromEnv(process.env.MOCK_RATE_LIMIT);
  } catch (err) {
    throw new StepError('config', err instanceof Error ? err.message : String(err));
  }
}

async function startAll(): Promise<void> {
  if (!mockOnly) return startSandbox();
  const mockPort = port('MOCK_PORT', 4010);
  const limits = rateLimit();
  await ensureFree('MOCK_PORT', mockPort);
  const stop = stopper();

  let mock: MockServer;
  try {
    mock = await step(`mock server (Prism) on ${host}:${mockPort}`, () => startMock({ host, port: mockPort, rateLimit: limits }));
  } catch (err) {
    throw new StepError('mock', `the mock could not start on ${host}:${mockPort} (is the port busy? set MOCK_PORT)`, String(err));
  }
  closers.push(() => mock.close());
  // Prism is restarted if it exits; only a Prism that keeps dying stops the mock, with the reason.
  void mock.failed.then((err) => {
    if (!stop.stopping()) {
      console.error(`✖ the mock server stopped: ${err.message}`);
      void stop.stop(1);
    }
  });

  console.log('');
  console.log(`  Mock API (both APIs, stateless examples):  ${mock.url}`);
  console.log(`    try: curl -H "${apis.partner.keyHeader}: pk_test" ${mock.url}${Object.keys(operations).find((p) => apiOfPath(p) === 'partner' && !p.includes('{'))}`);
  console.log(
    limits.enforce
      ? `    rate limit: ${limits.limit} requests a minute per key, then 429 (MOCK_RATE_LIMIT)`
      : '    rate limit: counted in the X-RateLimit-* headers, not enforced (MOCK_RATE_LIMIT=on to enforce)',
  );
  console.log('\nPress Ctrl-C to stop.');
}

/** Ctrl-C and SIGTERM close everything that started, then exit. */
function stopper(): { stop(code: number): Promise<void>; stopping(): boolean } {
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping ...');
    await Promise.allSettled(closers.map((c) => c()));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  return { stop, stopping: () => stopping };
}

async function startSandbox(): Promise<void> {
  const sandboxPort = port('SANDBOX_PORT', 4010);
  const docsPort = port('DOCS_PORT', 8080);
  const limits = rateLimit();
  const dataFile = process.env.SANDBOX_DATA || undefined;
  // Before the 10-second generate: a busy port fails at once.
  await ensureFree('SANDBOX_PORT', sandboxPort);
  if (!sandboxOnly) await ensureFree('DOCS_PORT', docsPort);
  // Loaded here, not at the top: `npm run mock` and a refused setting need neither the sandbox nor
  // the docs server, whose modules take a good part of a second of CPU to load.
  const [{ sandboxBanner }, { startSandboxServer }, docs] = await Promise.all([
    import('../packages/sandbox/src/cli.js'),
    import('../packages/sandbox/src/server.js'),
    sandboxOnly ? undefined : import('./site/docs.js'),
  ]);
  if (!sandboxOnly) {
    await step('generate (npm run generate)', () => runChecked('generate', 'npm', ['run', '-s', 'generate']));
  }
  stopper();

  let sandbox: SandboxServer;
  try {
    sandbox = await step(`sandbox on ${host}:${sandboxPort}`, () =>
      startSandboxServer({ host, port: sandboxPort, ...(dataFile ? { dataFile } : {}), ...(limits.enforce ? { rateLimit: limits } : {}) }),
    );
  } catch (err) {
    throw new StepError('sandbox', `the sandbox could not start on ${host}:${sandboxPort}`, err instanceof Error ? err.message : String(err));
  }
  closers.push(() => sandbox.close());

  let docsUrl: string | undefined;
  if (docs) {
    const site = await step(`docs site on ${host}:${docsPort}`, async () => {
      try {
        // The try-it console sends its requests to the sandbox, whatever port it got.
        return await docs.serveSite({ port: docsPort, host, mockUrl: sandbox.url });
      } catch (err) {
        throw new StepError('docs', `the docs server could not start on ${host}:${docsPort} (is the port busy? set DOCS_PORT)`, String(err));
      }
    });
    closers.push(() => site.close());
    docsUrl = site.url;
  }

  console.log('');
  for (const line of sandboxBanner(sandbox.url, dataFile)) console.log(line);
  console.log(
    limits.enforce
      ? `    rate limit: ${limits.limit} requests a minute (per partner account / per Organization key), then 429 (MOCK_RATE_LIMIT)`
      : '    rate limit: counted in the X-RateLimit-* headers, not enforced (MOCK_RATE_LIMIT=on to enforce)',
  );
  if (docsUrl) {
    console.log(`  Docs:                  ${docsUrl}/`);
    console.log(`  Try-it console:        ${docsUrl}/console/`);
  }
  console.log('  Stateless Prism mock of the examples: npm run mock');
  console.log('\nPress Ctrl-C to stop.');
}

startAll().catch(async (err: unknown) => {
  if (err instanceof StepError) {
    console.error(`\n✖ ${err.message}`);
    if (err.output) console.error(err.output);
  } else {
    console.error(`\n✖ ${err instanceof Error ? err.message : String(err)}`);
  }
  // Whatever started before the failure (e.g. the mock when the docs port is taken) stops too.
  await Promise.allSettled(closers.map((c) => c()));
  process.exit(1);
});
