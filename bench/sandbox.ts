// The sandbox against bare Prism (`prism mock -v error` on the bundled spec, no layer in front), each
// in its own process on loopback, both started before the first row and measured in turns (Prism,
// sandbox, Prism, sandbox) so that a change in the machine's load falls on both: autocannon on
// `GET /partner/me` and on the organizations list over 1,000 stored organizations (the documented
// default page of 20, with its true total of 1,000; Prism answers the same request with its example).
// The whole collection in one page (`pageSize=1000`, about 260 KB) is measured on the sandbox too and
// reported without a verdict: against Prism's two-item example it would compare bytes on the wire,
// not servers. Then 5,000 mixed SDK calls at concurrency 100 against the sandbox with every failure
// counted; then the heap of an in-process sandbox holding 10,000 stored organizations.
// `sandboxBudgets` holds issue 18's targets. Run alone with `tsx bench/sandbox.ts` (exits non-zero
// when a target is missed); `npm run bench` includes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
  /** Mean response size (headers included), so a reader sees what each server sent. */
  bytesPerResponse: number;
}

/** Issue 18's targets for the sandbox (what `npm run bench` and `tsx bench/sandbox.ts` judge). */
export const SANDBOX_TARGETS = {
  /** Requests per second against bare Prism on the same request, same run. */
  vsPrism: 3,
  /** p99 latency at 10 connections on loopback. */
  p99Ms: 20,
  /** Failed calls of the mixed SDK load. */
  loadFailures: 0,
} as const;

export interface SandboxBenchResult {
  connections: number;
  durationS: number;
  /** Load average (1 min) when the section started and when the autocannon rows ended. */
  loadAverage: { start: number; afterCannon: number };
  /** The budgeted rows: each request on Prism then on the sandbox. */
  rows: SandboxCannonRow[];
  /** The sandbox answering all 1,000 organizations in one page: reported, not budgeted. */
  fullPage: SandboxCannonRow;
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
  // A child killed by a signal has a null exitCode and a signalCode.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const STORED_ORGANIZATIONS = 1000;
const LIST_ITEMS = 'GET /partner/organizations (page of 20 over 1,000 stored)';
const CASES = [
  { name: 'GET /partner/me', path: '/partner/me' },
  // No pageSize: the documented default (20), what an integrator's first call gets.
  { name: LIST_ITEMS, path: '/partner/organizations' },
];
const FULL_PAGE = { name: 'GET /partner/organizations?pageSize=1000 (all 1,000 in one page)', path: '/partner/organizations?pageSize=1000' };

/** The sandbox really holds what the rows claim: a true total of 1,000 and the page sizes asked for. */
async function checkSandboxLists(url: string): Promise<void> {
  for (const [path, size] of [[CASES[1]!.path, 20], [FULL_PAGE.path, STORED_ORGANIZATIONS]] as const) {
    const res = await fetch(`${url}${path}`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
    const body = (await res.json()) as { organizations?: unknown[]; total?: number };
    if (res.status !== 200 || body.total !== STORED_ORGANIZATIONS || body.organizations?.length !== size) {
      throw new Error(`sandbox ${path}: expected 200 with ${size} of ${STORED_ORGANIZATIONS} organizations, got ${res.status} with ${body.organizations?.length} of ${body.total}`);
    }
  }
}

async function cannonRow(target: string, url: string, c: { name: string; path: string }, opts: { durationS: number; connections: number }): Promise<SandboxCannonRow> {
  const r = await autocannon({ url: `${url}${c.path}`, headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner }, connections: opts.connections, duration: opts.durationS });
  const row = {
    target,
    name: c.name,
    requestsPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    bytesPerResponse: r.requests.total ? r.throughput.total / r.requests.total : 0,
  };
  progress(`${target} ${c.name}: ${Math.round(row.requestsPerSec)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${Math.round(row.bytesPerResponse)} bytes each, non-2xx ${row.non2xx}, errors ${row.errors}`);
  return row;
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
  const loadStart = loadavg()[0]!;
  const seedFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-sandbox-')), 'seed.json');
  writeFileSync(seedFile, JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, state: seedWithOrganizations(STORED_ORGANIZATIONS - 2) }));
  const prism = await startBarePrism();
  let sandbox: { url: string; child: ChildProcess } | undefined;
  const rows: SandboxCannonRow[] = [];
  let fullPage: SandboxCannonRow;
  let load: SandboxBenchResult['load'];
  try {
    sandbox = await startSandboxProcess(seedFile);
    await checkSandboxLists(sandbox.url);
    for (const c of CASES) {
      rows.push(await cannonRow('Prism (bare, -v error)', prism.url, c, opts));
      rows.push(await cannonRow('sandbox', sandbox.url, c, opts));
    }
    await stop(prism.child);
    fullPage = await cannonRow('sandbox', sandbox.url, FULL_PAGE, opts);
    load = await mixedLoad(sandbox.url, opts.calls, opts.concurrency);
  } finally {
    await stop(prism.child);
    if (sandbox) await stop(sandbox.child);
  }
  const afterCannon = loadavg()[0]!;
  const memory = await memoryWith(opts.objects);
  return { connections: opts.connections, durationS: opts.durationS, loadAverage: { start: loadStart, afterCannon }, rows, fullPage, load, memory };
}

export interface SandboxBudget {
  name: string;
  limit: string;
  actual: string;
  ok: boolean;
}

/** Issue 18's targets judged on one run; a row that met any error or non-2xx answer fails. */
export function sandboxBudgets(r: SandboxBenchResult): SandboxBudget[] {
  const out: SandboxBudget[] = [
    {
      name: `sandbox load: ${r.load.calls} mixed SDK calls at concurrency ${r.load.concurrency}`,
      limit: `${SANDBOX_TARGETS.loadFailures} failures`,
      actual: `${r.load.failures} failures`,
      ok: r.load.failures <= SANDBOX_TARGETS.loadFailures,
    },
  ];
  for (const row of r.rows.filter((x) => x.target === 'sandbox')) {
    const prism = r.rows.find((x) => x.target !== 'sandbox' && x.name === row.name);
    const ratio = prism ? row.requestsPerSec / prism.requestsPerSec : 0;
    const failed = row.non2xx + row.errors;
    out.push({
      name: `sandbox ${row.name}: at least ${SANDBOX_TARGETS.vsPrism}x bare Prism's requests per second`,
      limit: `≥ ${SANDBOX_TARGETS.vsPrism}x, every answer 2xx`,
      actual: `${prism ? `${ratio.toFixed(2)}x` : 'Prism not measured'}${failed ? `, ${failed} failed answers` : ''}`,
      ok: ratio >= SANDBOX_TARGETS.vsPrism && failed === 0,
    });
    out.push({
      name: `sandbox ${row.name}: p99 at ${r.connections} connections`,
      limit: `< ${SANDBOX_TARGETS.p99Ms} ms`,
      actual: `${row.p99Ms} ms`,
      ok: row.p99Ms < SANDBOX_TARGETS.p99Ms,
    });
  }
  return out;
}

export function sandboxReport(r: SandboxBenchResult): string {
  const prismRps = new Map(r.rows.filter((x) => x.target.startsWith('Prism')).map((x) => [x.name, x.requestsPerSec]));
  const line = (x: SandboxCannonRow, vsPrism: string): (string | number)[] => [x.target, x.name, Math.round(x.requestsPerSec), vsPrism, x.p50Ms, x.p99Ms, Math.round(x.bytesPerResponse), x.non2xx, x.errors];
  const rows = r.rows.map((x) => line(x, x.target === 'sandbox' && prismRps.get(x.name) ? `${(x.requestsPerSec / prismRps.get(x.name)!).toFixed(2)}x` : ''));
  rows.push(line(r.fullPage, 'not compared'));
  return [
    `autocannon, ${r.connections} connections, ${r.durationS} s per row, each server in its own process, Prism and the sandbox measured in turns; load average (1 min) ${r.loadAverage.start.toFixed(2)} at the start, ${r.loadAverage.afterCannon.toFixed(2)} after the rows. The sandbox holds 1,000 organizations and answers the list with the documented default page (20, total 1,000); Prism answers the same request with its 2-item example. The last row, the whole collection in one page, is reported without a verdict: Prism has no such answer to compare it with.`,
    '',
    table(['target', 'request', 'req/s', 'vs Prism', 'p50 ms', 'p99 ms', 'bytes/answer', 'non-2xx', 'errors'], rows),
    '',
    `Mixed SDK calls against the sandbox (me, organizations page, create organization, organization list, save list): ${r.load.calls} at concurrency ${r.load.concurrency}, ${r.load.failures} failures, ${Math.round(r.load.callsPerSec)} calls/s.${r.load.failureSamples.length ? ` Samples: ${r.load.failureSamples.join('; ')}` : ''}`,
    '',
    `Memory: an in-process sandbox's heap grows by ${((r.memory.heapAfterBytes - r.memory.heapBeforeBytes) / 1024 / 1024).toFixed(1)} MB with ${r.memory.objects.toLocaleString('en')} organizations created through the API (${Math.round(r.memory.bytesPerObject)} bytes each, with their pixel configs).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchSandbox({ durationS: Number(process.env.BENCH_DURATION ?? 5), connections: 10, calls: 5000, concurrency: 100, objects: 10_000 });
  const verdicts = sandboxBudgets(result);
  console.log(`\n${sandboxReport(result)}\n\n${table(['target', 'limit', 'actual', 'verdict'], verdicts.map((b) => [b.name, b.limit, b.actual, b.ok ? 'pass' : 'FAIL']))}`);
  if (verdicts.some((b) => !b.ok)) process.exitCode = 1;
}
