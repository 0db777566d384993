// The sandbox against bare Prism (`prism mock -v error` on the bundled spec, no layer in front), each
// in its own process on loopback: autocannon on `GET /partner/me` and on a list of 1,000
// organizations; then 5,000 mixed SDK calls at concurrency 100 against the sandbox with every
// failure counted; then the heap of an in-process sandbox holding 10,000 stored organizations.
// Run alone with `tsx bench/sandbox.ts`; `npm run bench` includes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { createSandbox, DATA_FORMAT, DATA_VERSION, SEEDED_KEYS, seedFromSpec, type State } from '../packages/sandbox/src/index.js';
import { loadContract } from '../packages/sandbox/src/spec.js';
import { freePort } from '../scripts/mock/prism.js';
import { createOrganizationClient, createPartnerClient } from '../src/index.js';
import { progress, root, table } from './lib.js';

export interface SandboxCannonRow {
  target: string;
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface SandboxBenchResult {
  connections: number;
  durationS: number;
  rows: SandboxCannonRow[];
  load: { calls: number; concurrency: number; failures: number; failureSamples: string[]; durationMs: number; callsPerSec: number };
  memory: { objects: number; heapBeforeBytes: number; heapAfterBytes: number; bytesPerObject: number };
}

/** A seed with `n` more client organizations (and room for them under `maxOrganizations`). */
function seedWithOrganizations(n: number): State {
  const seed = seedFromSpec(loadContract());
  const partnerId = Object.keys(seed.partners)[0]!;
  seed.partners[partnerId]!.maxOrganizations = 1_000_000;
  for (let i = 0; i < n; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    seed.organizations[id] = {
      seq: ++seed.seq,
      id,
      name: `Bench organization ${i}`,
      domain: null,
      ownerUserId: null,
      maxOverages: null,
      members: [],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      partnerId,
      agencyId: null,
      partner: { externalId: `bench-${i}`, status: 'active', tier: 'paid', credits: 0, creditsUsed: 0, metadata: {}, billingPeriod: 'monthly', billingDayOfMonth: 1, productType: 'B2B' },
    };
  }
  return seed;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, ms = 120_000): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${out}`)), ms);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}):\n${out}`)));
  });
}

async function waitForHttp(url: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await (await fetch(url, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } })).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function startSandboxProcess(seedFile: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/sandbox/src/bin.ts', '--port', String(port), '--seed', seedFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /Sandbox \(both APIs, stateful\):/);
  return { url: `http://127.0.0.1:${port}`, child };
}

async function startBarePrism(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const cli = path.join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  const child = spawn(process.execPath, [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'error', path.join(root, 'generated', 'openapi.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/partner/me`);
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const CASES = [
  { name: 'GET /partner/me', path: '/partner/me' },
  { name: 'GET /partner/organizations (1,000 items)', path: '/partner/organizations?pageSize=1000' },
];

async function cannonRows(target: string, url: string, opts: { durationS: number; connections: number }): Promise<SandboxCannonRow[]> {
  const rows: SandboxCannonRow[] = [];
  for (const c of CASES) {
    const r = await autocannon({ url: `${url}${c.path}`, headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner }, connections: opts.connections, duration: opts.durationS });
    const row = { target, name: c.name, requestsPerSec: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
    progress(`${target} ${c.name}: ${Math.round(row.requestsPerSec)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, non-2xx ${row.non2xx}, errors ${row.errors}`);
    rows.push(row);
  }
  return rows;
}

async function mixedLoad(url: string, calls: number, concurrency: number): Promise<SandboxBenchResult['load']> {
  // Default SDK options (retries included), as the Prism load test and an integrator use them.
  const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: url });
  const org = createOrganizationClient({ apiKey: SEEDED_KEYS.organization.readWrite, baseUrl: url });
  const mix = [
    async () => (await partner.GET('/partner/me')).response,
    async (i: number) => (await partner.GET('/partner/organizations', { params: { query: { page: (i % 50) + 1, pageSize: 20 } } })).response,
    async (i: number) => (await partner.POST('/partner/organizations', { body: { name: `Load ${i}`, externalId: `load-${i}` } })).response,
    async () => (await org.GET('/organization/list')).response,
    async (i: number) => (await org.POST('/lists/save', { body: { organizationId: 'org_abc123', listName: `Load list ${i % 100}`, contacts_found: i, filter: { industries: ['Software'] } } })).response,
  ];
  let next = 0;
  let failures = 0;
  const failureSamples: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        try {
          const res = await mix[i % mix.length]!(i);
          if (!res.ok) {
            failures++;
            if (failureSamples.length < 5) failureSamples.push(`call ${i}: HTTP ${res.status}`);
          }
        } catch (err) {
          failures++;
          if (failureSamples.length < 5) failureSamples.push(`call ${i}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  const durationMs = performance.now() - t0;
  progress(`sandbox: ${calls} mixed SDK calls at concurrency ${concurrency}: ${failures} failures in ${Math.round(durationMs)} ms`);
  return { calls, concurrency, failures, failureSamples, durationMs, callsPerSec: (calls * 1000) / durationMs };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Heap growth of an in-process sandbox from its seed to 10,000 more stored organizations, created through the API. */
async function memoryWith(objects: number): Promise<SandboxBenchResult['memory']> {
  const seed = seedWithOrganizations(0);
  collectGarbage();
  const sb = createSandbox({ seed });
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < objects; i++) {
    const r = await sb.handle({ method: 'POST', url: '/partner/organizations', headers: { 'x-partner-api-key': SEEDED_KEYS.partner }, body: Buffer.from(JSON.stringify({ name: `Stored ${i}`, externalId: `stored-${i}`, metadata: { plan: 'growth' } })) });
    if (r.status !== 201) throw new Error(`create ${i}: ${r.status} ${r.body ?? ''}`);
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  await sb.close();
  progress(`sandbox heap: +${((after - before) / 1024 / 1024).toFixed(1)} MB for ${objects} organizations`);
  return { objects, heapBeforeBytes: before, heapAfterBytes: after, bytesPerObject: (after - before) / objects };
}

export async function benchSandbox(opts: { durationS: number; connections: number; calls: number; concurrency: number; objects: number }): Promise<SandboxBenchResult> {
  const seedFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-sandbox-')), 'seed.json');
  writeFileSync(seedFile, JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, state: seedWithOrganizations(1000 - 2) }));
  const prism = await startBarePrism();
  const rows: SandboxCannonRow[] = [];
  try {
    rows.push(...(await cannonRows('Prism (bare, -v error)', prism.url, opts)));
  } finally {
    await stop(prism.child);
  }
  const sandbox = await startSandboxProcess(seedFile);
  let load: SandboxBenchResult['load'];
  try {
    rows.push(...(await cannonRows('sandbox', sandbox.url, opts)));
    load = await mixedLoad(sandbox.url, opts.calls, opts.concurrency);
  } finally {
    await stop(sandbox.child);
  }
  const memory = await memoryWith(opts.objects);
  return { connections: opts.connections, durationS: opts.durationS, rows, load, memory };
}

export function sandboxReport(r: SandboxBenchResult): string {
  const prismRps = new Map(r.rows.filter((x) => x.target.startsWith('Prism')).map((x) => [x.name, x.requestsPerSec]));
  const rows = r.rows.map((x) => [
    x.target,
    x.name,
    Math.round(x.requestsPerSec),
    x.target === 'sandbox' && prismRps.get(x.name) ? `${(x.requestsPerSec / prismRps.get(x.name)!).toFixed(2)}x` : '',
    x.p50Ms,
    x.p99Ms,
    x.non2xx,
    x.errors,
  ]);
  return [
    `autocannon, ${r.connections} connections, ${r.durationS} s per row, each server in its own process. Prism answers the list with its 2-item example; the sandbox with 1,000 stored organizations.`,
    '',
    table(['target', 'request', 'req/s', 'vs Prism', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'], rows),
    '',
    `Mixed SDK calls against the sandbox (me, organizations page, create organization, organization list, save list): ${r.load.calls} at concurrency ${r.load.concurrency}, ${r.load.failures} failures, ${Math.round(r.load.callsPerSec)} calls/s.${r.load.failureSamples.length ? ` Samples: ${r.load.failureSamples.join('; ')}` : ''}`,
    '',
    `Memory: an in-process sandbox's heap grows by ${((r.memory.heapAfterBytes - r.memory.heapBeforeBytes) / 1024 / 1024).toFixed(1)} MB with ${r.memory.objects.toLocaleString('en')} organizations created through the API (${Math.round(r.memory.bytesPerObject)} bytes each, with their pixel configs).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchSandbox({ durationS: Number(process.env.BENCH_DURATION ?? 5), connections: 10, calls: 5000, concurrency: 100, objects: 10_000 });
  console.log(`\n${sandboxReport(result)}`);
}
