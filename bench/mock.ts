// The Prism mock under load: latency and throughput of one GET and one POST with autocannon, then
// 5,000 SDK calls at concurrency 100 with every failure counted and memory read before and after.
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { startMock, type MockServer } from '../scripts/mock/prism.js';
import { createPartnerClient } from '../src/index.js';
import { progress } from './lib.js';

const KEY = 'pk_live_bench0000000000000000000000000';

export interface CannonResult {
  name: string;
  connections: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSec: number;
  total: number;
  non2xx: number;
  errors: number;
}

export interface LoadResult {
  calls: number;
  concurrency: number;
  failures: number;
  failureSamples: string[];
  durationMs: number;
  callsPerSec: number;
  memoryBefore: NodeJS.MemoryUsage;
  memoryAfter: NodeJS.MemoryUsage;
}

/** Prism's request log goes nowhere: kept, it would grow in this process and skew the numbers. */
const discard = new Writable({ write: (_c, _e, cb) => cb() });

export async function withMock<T>(fn: (mock: MockServer) => Promise<T>): Promise<T> {
  const mock = await startMock({ port: 0, log: discard });
  try {
    return await fn(mock);
  } finally {
    await mock.close();
  }
}

export async function cannon(mockUrl: string, opts: { durationS: number; connections: number }): Promise<CannonResult[]> {
  const cases = [
    { name: 'GET /partner/me', method: 'GET', path: '/partner/me', body: undefined },
    {
      name: 'POST /partner/api-keys',
      method: 'POST',
      path: '/partner/api-keys',
      body: JSON.stringify({ name: 'Production Key', scopes: ['read', 'write'], expiresAt: '2036-01-01T00:00:00Z' }),
    },
  ];
  const out: CannonResult[] = [];
  for (const c of cases) {
    const r = await autocannon({
      url: `${mockUrl}${c.path}`,
      method: c.method,
      headers: { 'X-Partner-API-Key': KEY, ...(c.body ? { 'content-type': 'application/json' } : {}) },
      ...(c.body ? { body: c.body } : {}),
      connections: opts.connections,
      duration: opts.durationS,
    });
    const res: CannonResult = {
      name: c.name,
      connections: opts.connections,
      durationS: opts.durationS,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      requestsPerSec: r.requests.average,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    };
    progress(`${c.name}: p50 ${res.p50Ms} ms, p99 ${res.p99Ms} ms, ${Math.round(res.requestsPerSec)} req/s, non-2xx ${res.non2xx}, errors ${res.errors}`);
    out.push(res);
  }
  return out;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

export async function load(mockUrl: string, opts: { calls: number; concurrency: number }): Promise<LoadResult> {
  const sdk = createPartnerClient({ apiKey: KEY, baseUrl: mockUrl });
  const body = { name: 'Production Key', scopes: ['read', 'write'] as ('read' | 'write')[], expiresAt: '2036-01-01T00:00:00Z' };
  // A mix of the three Partner calls the mock serves without path parameters.
  const calls = [
    async () => (await sdk.GET('/partner/me')).response,
    async () => (await sdk.GET('/partner/api-keys')).response,
    async () => (await sdk.POST('/partner/api-keys', { body })).response,
  ];
  collectGarbage();
  const memoryBefore = process.memoryUsage();
  let next = 0;
  let failures = 0;
  const failureSamples: string[] = [];
  const fail = (why: string): void => {
    failures++;
    if (failureSamples.length < 5) failureSamples.push(why);
  };
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < opts.calls) {
      const i = next++;
      try {
        const response = await calls[i % calls.length]!();
        if (!response.ok) fail(`call ${i}: HTTP ${response.status}`);
      } catch (err) {
        fail(`call ${i}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if ((i + 1) % 1000 === 0) progress(`${i + 1}/${opts.calls} calls`);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - t0;
  collectGarbage();
  const memoryAfter = process.memoryUsage();
  return { calls: opts.calls, concurrency: opts.concurrency, failures, failureSamples, durationMs, callsPerSec: (opts.calls * 1000) / durationMs, memoryBefore, memoryAfter };
}
