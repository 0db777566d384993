// Per-call wall time of the same call (GET /partner/me) against one loopback node:http server in a
// child process: raw fetch, plain openapi-fetch, the floor (openapi-fetch with a per-attempt deadline,
// `AbortSignal.timeout`; and again with one pass-through middleware registered), our SDK (defaults:
// retries and a 30 s per-attempt timeout; and again with the same middleware) and the client `redocly generate-client` made from our
// bundled spec (configured the same: 2 retries, 30 s).
// Every client runs as plain JavaScript: our SDK as built into dist/ by `npm run build`, the
// Redocly client compiled by esbuild, openapi-fetch as published.
// Each round makes `callsPerRound` calls with every client, interleaved call by call (one call of
// each client in turn), so that the machine's drift hits every client alike. The order of each turn
// is shuffled (a seeded generator: the same sequence every run): a fixed or merely rotated order
// keeps the same neighbours, so one client would always pay for the garbage its predecessor left.
// The rounds are split over several Node processes run one after the other, each with its own
// warm-up and its own fixture server: how the JIT happens to compile a client differs from process
// to process (two identical clients in one process measured up to 5% apart), and a verdict should
// not rest on one process's luck. The result per client is the median per-call time over all
// rounds, and the ratio to raw fetch is the median of the per-round ratios.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import type * as Sdk from '../src/index.js';
import { median, progress, quantile, root } from './lib.js';

export const FLOOR = 'floor: openapi-fetch + deadline';
/** The floor with the same pass-through middleware registered: what openapi-fetch itself pays to run one. */
export const FLOOR_MIDDLEWARE = 'floor + the same middleware';
/** A second client made exactly like 'our SDK': the difference between the two is the harness's own noise. */
export const SDK_AGAIN = 'our SDK, a second client (control)';
export const CLIENTS = ['raw fetch', 'openapi-fetch', FLOOR, FLOOR_MIDDLEWARE, 'our SDK', SDK_AGAIN, 'our SDK + middleware', 'redocly client'] as const;
/** The floor each client's `ratioToFloor` is taken against: a client with a middleware, the floor with the same one. */
const FLOOR_OF: Partial<Record<string, ClientName>> = { 'our SDK + middleware': FLOOR_MIDDLEWARE };
export type ClientName = (typeof CLIENTS)[number];

export interface PerCallResult {
  /** Node processes the rounds were split over (one after the other). */
  processes: number;
  rounds: number;
  callsPerRound: number;
  warmupCalls: number;
  clients: Record<string, { medianUs: number; p10Us: number; p90Us: number; ratioToRaw: number; ratioToFloor: number; ratioOfMedians: number }>;
  /** Set when a client could not be measured (e.g. the Redocly client did not generate). */
  missing: Record<string, string>;
}

const KEY = 'pk_live_bench0000000000000000000000000';

/** The shape of the Redocly-generated module that the benchmark uses. */
interface RedoclyModule {
  createClient(
    operations: unknown,
    config: { serverUrl: string; auth: { apiKey: Record<string, string> }; retry: { retries: number }; timeout: number; errorMode: 'result' },
  ): { getPartner(): Promise<{ data?: unknown; error?: unknown }> };
  OPERATIONS: unknown;
}

async function startFixtureServer(body: string): Promise<{ url: string; close(): void }> {
  const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsxCli, path.join(root, 'bench', 'fixture-server.ts'), body], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`fixture server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill('SIGTERM') };
}

/** mulberry32: a small seeded generator of numbers in [0, 1), so that every run shuffles alike. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates, in place. */
function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function check(ok: boolean, who: string): void {
  if (!ok) throw new Error(`${who}: call did not return the expected data`);
}

/**
 * Compiles a TypeScript module to plain JavaScript next to the scratch folder (esbuild, no name
 * helpers), so that it runs as a consumer would run it and not through tsx's on-the-fly transform,
 * which wraps every function created at run time in a naming helper.
 */
async function compiled(file: string, outfile: string): Promise<string> {
  await build({ entryPoints: [file], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'silent' });
  return outfile;
}

interface PerCallOptions {
  rounds: number;
  callsPerRound: number;
  warmupCalls: number;
  /** The built SDK (dist/src/index.js from `npm run build`). */
  sdkEntry: string;
  redoclyClient?: string;
}

/** What one process measured: per client, its mean per-call time (µs) in each round. */
interface ProcessRounds {
  perRound: Record<string, number[]>;
  missing: Record<string, string>;
}

/**
 * Runs `rounds` over `processes` Node processes, one after the other (this file with `--worker`),
 * and sums up every round of every process.
 */
export async function measurePerCall(opts: PerCallOptions & { processes: number }): Promise<PerCallResult> {
  const { processes, ...rest } = opts;
  const perProcess = Math.ceil(rest.rounds / processes);
  const perRound = new Map<string, number[]>();
  let missing: Record<string, string> = {};
  for (let p = 0; p < processes; p++) {
    progress(`process ${p + 1}/${processes}: ${perProcess} rounds`);
    const got = await inWorker({ ...rest, rounds: perProcess });
    missing = got.missing;
    for (const [name, times] of Object.entries(got.perRound)) perRound.set(name, [...(perRound.get(name) ?? []), ...times]);
  }
  const raw = perRound.get('raw fetch')!;
  const clients: PerCallResult['clients'] = {};
  for (const [name, times] of perRound) {
    const floor = perRound.get(FLOOR_OF[name] ?? FLOOR)!;
    clients[name] = {
      medianUs: median(times),
      p10Us: quantile(times, 0.1),
      p90Us: quantile(times, 0.9),
      ratioToRaw: median(times.map((t, i) => t / raw[i]!)),
      ratioToFloor: median(times.map((t, i) => t / floor[i]!)),
      ratioOfMedians: median(times) / median(raw),
    };
  }
  return { processes, rounds: perProcess * processes, callsPerRound: rest.callsPerRound, warmupCalls: rest.warmupCalls, clients, missing };
}

/** One worker process: its progress goes to stderr, its rounds as JSON on stdout. */
async function inWorker(opts: PerCallOptions): Promise<ProcessRounds> {
  const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsxCli, fileURLToPath(import.meta.url), '--worker', JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`per-call worker exited with ${code}`);
  return JSON.parse(out) as ProcessRounds;
}

async function measureRounds(opts: PerCallOptions, log: (message: string) => void): Promise<ProcessRounds> {
  const { createPartnerClient } = (await import(pathToFileURL(opts.sdkEntry).href)) as typeof Sdk;
  const doc = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as {
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> } }>;
  };
  const examples = doc.paths['/partner/me']?.get.responses['200']?.content['application/json']?.examples ?? {};
  const body = JSON.stringify(Object.values(examples)[0]?.value ?? { partner: {} });
  const server = await startFixtureServer(body);
  const baseUrl = server.url;
  const missing: Record<string, string> = {};

  const plain = createClient<paths>({ baseUrl, headers: { 'X-Partner-API-Key': KEY } });
  const plainWithMiddleware = createClient<paths>({ baseUrl, headers: { 'X-Partner-API-Key': KEY } });
  const sdk = createPartnerClient({ apiKey: KEY, baseUrl });
  const sdkAgain = createPartnerClient({ apiKey: KEY, baseUrl });
  // With one (pass-through) openapi-fetch middleware registered, in our SDK and in the floor alike.
  const passThrough: Middleware = { onRequest: ({ request }) => request };
  plainWithMiddleware.use(passThrough);
  const withMiddleware = createPartnerClient({ apiKey: KEY, baseUrl, middleware: [passThrough] });
  const calls = new Map<ClientName, () => Promise<void>>([
    [
      'raw fetch',
      async () => {
        const res = await fetch(`${baseUrl}/partner/me`, { headers: { 'X-Partner-API-Key': KEY } });
        check(res.ok && ((await res.json()) as { partner?: unknown }).partner !== undefined, 'raw fetch');
      },
    ],
    [
      'openapi-fetch',
      async () => {
        const { data } = await plain.GET('/partner/me');
        check(data?.partner !== undefined, 'openapi-fetch');
      },
    ],
    [
      // The floor of any client on openapi-fetch that enforces a per-attempt deadline (ours: 30 s).
      FLOOR,
      async () => {
        const { data } = await plain.GET('/partner/me', { signal: AbortSignal.timeout(30_000) });
        check(data?.partner !== undefined, FLOOR);
      },
    ],
    [
      FLOOR_MIDDLEWARE,
      async () => {
        const { data } = await plainWithMiddleware.GET('/partner/me', { signal: AbortSignal.timeout(30_000) });
        check(data?.partner !== undefined, FLOOR_MIDDLEWARE);
      },
    ],
    [
      'our SDK',
      async () => {
        const { data } = await sdk.GET('/partner/me');
        check(data?.partner !== undefined, 'our SDK');
      },
    ],
    [
      SDK_AGAIN,
      async () => {
        const { data } = await sdkAgain.GET('/partner/me');
        check(data?.partner !== undefined, SDK_AGAIN);
      },
    ],
    [
      'our SDK + middleware',
      async () => {
        const { data } = await withMiddleware.GET('/partner/me');
        check(data?.partner !== undefined, 'our SDK + middleware');
      },
    ],
  ]);
  if (opts.redoclyClient) {
    const js = await compiled(opts.redoclyClient, opts.redoclyClient.replace(/\.ts$/, '.bench.mjs'));
    const mod = (await import(pathToFileURL(js).href)) as RedoclyModule;
    const redocly = mod.createClient(mod.OPERATIONS, {
      serverUrl: baseUrl,
      auth: { apiKey: { PartnerApiKey: KEY } },
      // Retries on, like our SDK's defaults.
      retry: { retries: 2 },
      // Our SDK's default per-attempt deadline (Redocly's client has none unless configured).
      timeout: 30_000,
      // The same { data, error, response } shape as openapi-fetch and our SDK.
      errorMode: 'result',
    });
    calls.set('redocly client', async () => {
      const { data } = await redocly.getPartner();
      check((data as { partner?: unknown } | undefined)?.partner !== undefined, 'redocly client');
    });
  } else {
    missing['redocly client'] = 'the Redocly client was not generated';
  }

  const names = [...calls.keys()];
  try {
    log(`warm-up: ${opts.warmupCalls} calls per client`);
    for (const name of names) for (let i = 0; i < opts.warmupCalls; i++) await calls.get(name)!();

    const perRound = new Map<ClientName, number[]>(names.map((n) => [n, []]));
    log(`${opts.rounds} rounds × ${opts.callsPerRound} calls per client, interleaved call by call in a shuffled order`);
    const random = seededRandom(0x5eed);
    const order = [...names];
    for (let r = 0; r < opts.rounds; r++) {
      const total = new Map<ClientName, number>(names.map((n) => [n, 0]));
      for (let i = 0; i < opts.callsPerRound; i++) {
        shuffle(order, random);
        for (const name of order) {
          const call = calls.get(name)!;
          const t0 = performance.now();
          await call();
          total.set(name, total.get(name)! + performance.now() - t0);
        }
      }
      for (const name of names) perRound.get(name)!.push((total.get(name)! * 1000) / opts.callsPerRound);
      if ((r + 1) % Math.ceil(opts.rounds / 4) === 0) log(`round ${r + 1}/${opts.rounds}`);
    }
    return { perRound: Object.fromEntries(perRound), missing };
  } finally {
    server.close();
  }
}

if (process.argv[2] === '--worker' && process.argv[1] === fileURLToPath(import.meta.url)) {
  // Progress goes to stderr: stdout carries the result.
  const result = await measureRounds(JSON.parse(process.argv[3]!) as PerCallOptions, (message) => process.stderr.write(`    · ${message}\n`));
  process.stdout.write(JSON.stringify(result));
}
