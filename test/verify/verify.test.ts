// `npm run verify` as a maintainer runs it: against the mock it finds no drift; against a server
// that drifts in planted ways it names each one (operation, JSON pointer, what differed) and exits
// non-zero; bad arguments, no key and an unreachable server give a readable message. No key and
// no response value ever reaches the output or the report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { freePort } from '../../scripts/mock/prism.js';
import { main } from '../../scripts/verify/verify.js';
import { loadSpec, get } from '../support/spec.js';

// One case starts `npm run verify` as a process (tsx, the spec, ajv), the others call its `main` in
// this process (the same code the entry runs, without a tsx start each): allow for a busy machine.
vi.setConfig({ testTimeout: 90_000 });

const root = path.resolve(import.meta.dirname, '..', '..');
const mockUrl = inject('mockUrl');
const PARTNER_KEY = 'pk_live_verify0secret0key000000000000';
const ORGANIZATION_KEY = 'bsk_live_fedcba9876543210fedcba9876543210';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'verify-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  output: string;
  report: string;
}

let runs = 0;
/**
 * Runs the command in this process (`main` of scripts/verify/verify.ts, the function the script's
 * entry calls with its arguments and environment), or with `{ process: true }` as a child process
 * exactly as `npm run verify` starts it; either way the result is the exit code, everything printed
 * and the report written.
 */
async function verify(args: string[], env: Record<string, string | undefined>, how: { process?: boolean } = {}): Promise<Run> {
  const report = path.join(tmp, `report-${++runs}.md`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete childEnv.BULLSEYE_PARTNER_API_KEY;
  delete childEnv.BULLSEYE_API_KEY;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const readReport = (): string => {
    try {
      return readFileSync(report, 'utf8');
    } catch {
      return '';
    }
  };
  if (!how.process) {
    let output = '';
    const code = await main([...args, '--report', report], childEnv, { log: (l) => (output += `${l}\n`), error: (l) => (output += `${l}\n`) });
    return { code, output, report: readReport() };
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/verify/verify.ts', ...args, '--report', report], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output, report: readReport() }));
  });
}

const bothKeys = { BULLSEYE_PARTNER_API_KEY: PARTNER_KEY, BULLSEYE_API_KEY: ORGANIZATION_KEY };

/** Rows of the report's drift table as {operation, part, pointer, message}. */
function driftRows(report: string): Array<{ operation: string; part: string; pointer: string; message: string }> {
  const section = report.split('## Drift')[1]?.split('## Operations')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| operation') && !l.startsWith('| ---'))
    .map((l) => {
      const c = l.split(' | ').map((s) => s.replace(/^\| |\s\|$/g, '').trim());
      return { operation: c[0]!, part: c[3]!, pointer: c[4]!.replace(/`/g, ''), message: c[5]! };
    });
}

describe('npm run verify against the mock', () => {
  it('checks every read-only operation of both APIs, finds no drift and exits 0 (as a process, as npm run verify starts it)', async () => {
    const run = await verify(['--base-url', mockUrl], bothKeys, { process: true });
    expect(run.code, run.output).toBe(0);
    expect(run.report).toContain('No drift: every answer matched the spec.');
    expect(run.report).toContain('- APIs checked: Partner API, Organization API');
    const gets = Object.values(loadSpec().paths as Record<string, Record<string, unknown>>).reduce((n, item) => n + ('get' in item ? 1 : 0), 0);
    expect(run.report.match(/\| GET [^|]+ \| 200 \| ok \|/g)?.length).toBe(gets);
    expect(run.report).toMatch(/\| POST \/partner\/api-keys \|  \| skipped \| changes data: run with --write/);
    for (const text of [run.output, run.report]) {
      expect(text).not.toContain(PARTNER_KEY);
      expect(text).not.toContain(ORGANIZATION_KEY);
    }
  });

  it('with --write sends every operation, and with one key only that API', async () => {
    const run = await verify(['--base-url', mockUrl, '--write'], { BULLSEYE_PARTNER_API_KEY: PARTNER_KEY });
    expect(run.code, run.output).toBe(0);
    expect(run.report).toContain('- APIs checked: Partner API\n');
    expect(run.report).toContain('| POST /partner/api-keys | 201 | ok |');
    expect(run.report).toContain('| DELETE /partner/api-keys/{keyId} | 204 | ok |');
    expect(run.report).not.toContain('Organization API |');
  });
});

describe('npm run verify against a drifting server', () => {
  let server: http.Server;
  let url = '';
  const planted = {
    /** `partner.id` is required in GET /partner/me; the server leaves it out. */
    missingField: { operation: 'getPartner', pointer: '/partner/id' },
    /** `apiKeys[].name` is a string; the server sends a number. */
    wrongType: { operation: 'listPartnerApiKeys', pointer: '/apiKeys/0/name' },
    /** `apiKeys[].scopes[]` is a closed enum (read, write, admin); the server sends another value. */
    extraEnum: { operation: 'listPartnerApiKeys', pointer: '/apiKeys/0/scopes/0' },
    /** GET /partner/billing must carry X-RateLimit-Limit; the server drops it. */
    missingHeader: { operation: 'getPartnerBilling', pointer: 'X-RateLimit-Limit' },
    /** GET /partner/script-config answers a status the spec does not list. */
    undocumentedStatus: { operation: 'getPartnerScriptConfig', status: 418 },
    /** GET /partner/webhooks answers HTML. */
    wrongContentType: { operation: 'getPartnerWebhooks' },
  };
  const SECRET_VALUE = 'value-that-must-not-leak';

  beforeAll(async () => {
    const doc = loadSpec();
    // Preconditions: the planted drifts really break what the spec promises.
    const apiKey = get(doc, '#/components/schemas/PartnerApiKey') as { required: string[]; properties: Record<string, { enum?: string[]; type?: string }> };
    expect((get(doc, '#/components/schemas/PartnerApiKeyScope') as { enum?: string[] }).enum).toEqual(['read', 'write', 'admin']);
    expect(apiKey.properties.name?.type).toBe('string');
    expect((get(doc, '#/components/schemas/Partner') as { required: string[] }).required).toContain('id');

    // Forwards to the mock and rewrites a few answers.
    server = http.createServer(async (req, res) => {
      const upstream = await fetch(`${mockUrl}${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
      const headers = Object.fromEntries(upstream.headers);
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      let status = upstream.status;
      let text = await upstream.text();
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/partner/me') {
        const body = JSON.parse(text) as { partner: Record<string, unknown> };
        delete body.partner.id;
        body.partner.name = SECRET_VALUE;
        text = JSON.stringify(body);
      } else if (req.method === 'GET' && path === '/partner/api-keys') {
        const body = JSON.parse(text) as { apiKeys: Array<Record<string, unknown>> };
        body.apiKeys[0]!.name = 42;
        body.apiKeys[0]!.scopes = ['paused'];
        text = JSON.stringify(body);
      } else if (req.method === 'GET' && path === '/partner/billing') {
        delete headers['x-ratelimit-limit'];
      } else if (req.method === 'GET' && path === '/partner/script-config') {
        status = 418;
      } else if (req.method === 'GET' && path === '/partner/webhooks') {
        headers['content-type'] = 'text/html';
        text = `<html>${SECRET_VALUE}</html>`;
      }
      res.writeHead(status, headers);
      res.end(text);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => (server ? new Promise<void>((r) => server.close(() => r())) : undefined));

  it('names every planted drift with its operation and pointer, and exits 1', async () => {
    const run = await verify(['--base-url', url], bothKeys);
    expect(run.code, run.output).toBe(1);
    const rows = driftRows(run.report);
    const find = (operation: string, part: string, pointer: string) => rows.find((r) => r.operation === operation && r.part === part && r.pointer === pointer);

    expect(find(planted.missingField.operation, 'body', planted.missingField.pointer)?.message).toBe('required property is missing');
    expect(find(planted.wrongType.operation, 'body', planted.wrongType.pointer)?.message).toBe('is an integer, the spec says string');
    expect(find(planted.extraEnum.operation, 'body', planted.extraEnum.pointer)?.message).toBe('value outside the documented enum ("read", "write", "admin")');
    expect(find(planted.missingHeader.operation, 'header', planted.missingHeader.pointer)?.message).toBe('required header is missing');
    expect(find(planted.undocumentedStatus.operation, 'status', '')?.message).toMatch(/^status 418 is not documented \(documented: 200, /);
    expect(find(planted.wrongContentType.operation, 'content-type', '')?.message).toMatch(/^the content type is not documented \(documented: application\/json\)/);
    // Nothing else drifts: the other operations are the mock's own answers.
    expect(new Set(rows.map((r) => r.operation))).toEqual(new Set(Object.values(planted).map((p) => p.operation)));

    expect(run.output).toContain('✖ getPartner: body /partner/id: required property is missing');
    for (const text of [run.output, run.report]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).not.toContain('paused');
      expect(text).not.toContain(PARTNER_KEY);
      expect(text).not.toContain(ORGANIZATION_KEY);
    }
  });
});

describe('npm run verify against a server that refuses the key', () => {
  it('checks the documented 401s, but exits 1 since no success response was checked', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '999', 'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 60) });
      res.end(JSON.stringify({ code: 'Unauthorized', message: 'Invalid or missing API key', details: {} }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const run = await verify(['--base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`], { BULLSEYE_PARTNER_API_KEY: PARTNER_KEY });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain('no operation answered with a success status');
      expect(run.report).toContain('No drift');
      expect(run.report).toMatch(/\| GET \/partner\/me \| 401 \| error status \| documented error: is the key valid/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('npm run verify against a hostile server', () => {
  it('never prints a response value, reports a broken answer on its operation and goes on, and caps what it reads', async () => {
    let big = '';
    const server = http.createServer((req, res) => {
      req.resume();
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const key = String(req.headers['x-partner-api-key'] ?? '');
      if (path === '/partner/billing') {
        // A header name with a parenthesis: undici refuses the answer (HPE_INVALID_HEADER_TOKEN).
        res.socket?.end(`HTTP/1.1 200 OK\r\nBad(Header)${key}: 1\r\nContent-Length: 2\r\n\r\n{}`);
        return;
      }
      if (path === '/partner/webhooks') {
        big ||= `"${'a'.repeat(17 * 1024 * 1024)}"`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(big);
        return;
      }
      // Every other answer reflects the key into its content type and a header.
      res.writeHead(200, { 'content-type': `application/x-${key}`, 'x-ratelimit-limit': key });
      res.end(JSON.stringify({ echo: key, [`${key}\u001b[31m`]: 1 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const run = await verify(['--base-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--timeout', '30'], { BULLSEYE_PARTNER_API_KEY: PARTNER_KEY });
      expect(run.code, run.output).toBe(1);
      for (const text of [run.output, run.report]) {
        expect(text).not.toContain(PARTNER_KEY);
        expect(text).not.toContain('\u001b');
      }
      expect(run.report).toMatch(/\| GET \/partner\/billing \| {2}\| no answer \| network error: HPE_INVALID_HEADER_TOKEN \|/);
      expect(run.report).toMatch(/\| GET \/partner\/webhooks \| {2}\| no answer \| answer larger than 16777216 bytes/);
      // The run went on after the broken answer: the operations after it were checked too.
      expect(run.report).toMatch(/\| GET \/partner\/me \| 200 \| drift \|/);
      expect(run.report.match(/\| 200 \| drift \|/g)?.length).toBeGreaterThan(10);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('npm run verify: readable refusals', () => {
  it.each(['0.0005', '1e7', '0', 'abc'])('refuses --timeout %s (outside 0.1 to 300 seconds)', async (value) => {
    const run = await verify(['--base-url', mockUrl, '--timeout', value], bothKeys);
    expect(run.code).toBe(2);
    expect(run.output).toContain('--timeout must be a number of seconds from 0.1 to 300');
  });

  it('without --base-url it prints the usage and exits 2', async () => {
    const run = await verify([], bothKeys);
    expect(run.code).toBe(2);
    expect(run.output).toContain('✖ --base-url is required');
    expect(run.output).toContain('usage: npm run verify');
  });

  it('refuses a base URL that is not http(s) or carries credentials', async () => {
    const bad = await verify(['--base-url', 'not a url'], bothKeys);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--base-url must be an absolute http(s) URL');
    const creds = await verify(['--base-url', 'http://user:pw@127.0.0.1:1'], bothKeys);
    expect(creds.code).toBe(2);
    expect(creds.output).toContain('must not carry credentials');
    expect(creds.output).not.toContain('pw@');
  });

  it('refuses an unknown option', async () => {
    const run = await verify(['--base-url', mockUrl, '--frobnicate'], bothKeys);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/Unknown option '--frobnicate'/);
  });

  it('without any key it names the variables and exits 2', async () => {
    const run = await verify(['--base-url', mockUrl], {});
    expect(run.code).toBe(2);
    expect(run.output).toContain('no API key: set BULLSEYE_PARTNER_API_KEY and/or BULLSEYE_API_KEY');
  });

  it('an unreachable server is one readable line, exit 2, no stack trace and no key', async () => {
    const port = await freePort();
    const run = await verify(['--base-url', `http://127.0.0.1:${port}/api/v1`], bothKeys);
    expect(run.code).toBe(2);
    expect(run.output).toContain(`✖ cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
    expect(run.output).not.toMatch(/\n\s+at /);
    expect(run.output).not.toContain(PARTNER_KEY);
  });
});
