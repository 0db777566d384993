// `bullseye mcp` under the conditions that broke clients: a 14 MB result, a call cancelled while the
// SDK waits to retry, stdin closed by the client, and the compact tool mode for clients that cap the
// number of tools. The server is driven by the MCP SDK's own Client; the API behind it is a node:http
// server on 127.0.0.1 port 0 (or the shared mock). The command runs in-process (the CLI's `run`, its
// server on the SDK's in-memory transport), except where the process is what is tested: stdin closed
// under the CLI as a process (tsx) ends it with exit code 0.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../../packages/cli/src/cli/program.js';
import { capText } from '../../packages/cli/src/mcp/compact.js';
import { createMcpServer } from '../../packages/cli/src/mcp/server.js';
import { PARTNER_TEST_KEY } from '../contract/clients.js';
import { loadSpec, operations } from '../support/spec.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(root, 'packages', 'cli', 'src', 'cli', 'bin.ts');
const ops = operations(loadSpec());

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let upstream: Server;
let upstreamUrl: string;
let handler: Handler = (_req, res) => res.writeHead(500).end();
const seen: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  seen.length = 0;
});

/** `bullseye mcp --api partner <extra>` in-process, its server connected to the returned Client. */
async function connect(extra: string[], baseUrl: string): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const err: string[] = [];
  const code = await run(
    ['mcp', '--api', 'partner', ...extra],
    { out: () => {}, err: (line) => err.push(line), stdin: async () => new Uint8Array(), env: { BULLSEYE_PARTNER_API_KEY: PARTNER_TEST_KEY, BULLSEYE_BASE_URL: baseUrl } },
    { serveMcp: (options) => createMcpServer(options).connect(serverSide) },
  );
  expect(code, err.join('\n')).toBe(0);
  const client = new Client({ name: 'bullseye-test', version: '0.0.0' });
  await client.connect(clientSide);
  open.push(client);
  return client;
}

const text = (result: Awaited<ReturnType<Client['callTool']>>): string => (result.content as { type: string; text: string }[])[0]!.text;

describe('bullseye mcp: results', () => {
  it('cuts a 14 MB result to the cap with a "truncated: N of M bytes" note, and the session goes on', async () => {
    const item = { id: 'org_0000', name: 'x'.repeat(1000), status: 'active' };
    const body = JSON.stringify({ organizations: Array.from({ length: 14_000 }, (_, i) => ({ ...item, id: `org_${i}` })), total: 14_000, page: 1, pageSize: 14_000 });
    expect(body.length).toBeGreaterThan(14_000_000);
    handler = (req, res) => {
      if (req.url?.startsWith('/api/v1/partner/organizations')) res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"partner":{"id":"p_1"}}');
    };
    const client = await connect(['--max-result-bytes', '50000'], upstreamUrl);
    const result = await client.callTool({ name: 'listPartnerOrganizations', arguments: {} });
    expect(result.isError).toBeFalsy();
    const out = text(result);
    const note = /\n\[truncated: (\d+) of (\d+) bytes; [^\]]*\]$/.exec(out);
    expect(note, out.slice(-200)).not.toBeNull();
    expect(Number(note![1])).toBeLessThanOrEqual(50_000);
    expect(Number(note![1])).toBeGreaterThan(49_000);
    expect(Number(note![2])).toBe(Buffer.byteLength(JSON.stringify(JSON.parse(body))));
    expect(Buffer.byteLength(out)).toBeLessThan(50_200);
    // Compact JSON: the same characters the API sent, without indentation.
    expect(out.startsWith(body.slice(0, 1000))).toBe(true);
    const next = await client.callTool({ name: 'getPartner', arguments: {} });
    expect(JSON.parse(text(next))).toEqual({ partner: { id: 'p_1' } });
  });

  it('capText never splits a character and leaves short text alone', () => {
    expect(capText('{"a":1}', 1000)).toBe('{"a":1}');
    const cut = capText('é'.repeat(1000), 1001);
    expect(cut.startsWith('é'.repeat(500) + '\n')).toBe(true);
    expect(cut).toContain('[truncated: 1000 of 2000 bytes');
  });
});

describe('bullseye mcp: cancellation and shutdown', () => {
  it('a call cancelled while the SDK waits to retry stops: no further request is sent', async () => {
    let firstRequest!: () => void;
    const requested = new Promise<void>((resolve) => (firstRequest = resolve));
    handler = (_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' }).end('{"code":"ServiceUnavailable","message":"busy"}');
      firstRequest();
    };
    const client = await connect([], upstreamUrl);
    const controller = new AbortController();
    const call = client.callTool({ name: 'getPartner', arguments: {} }, undefined, { signal: controller.signal });
    const settled = call.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    await requested;
    expect(seen).toEqual(['GET /api/v1/partner/me']);
    controller.abort('test cancels');
    expect(await settled).toMatch(/cancel|abort/i);
    // Past the 1 s Retry-After and a second retry's worth (the SDK retries twice): had the retry loop
    // gone on, it would have called again by now.
    await new Promise((r) => setTimeout(r, 3000));
    expect(seen).toEqual(['GET /api/v1/partner/me']);
    // The server is still there for the next request.
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
  });

  it('exits 0 when its stdin is closed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'mcp', '--api', 'partner'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', BULLSEYE_PARTNER_API_KEY: PARTNER_TEST_KEY, BULLSEYE_BASE_URL: upstreamUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // One request answered first, so the server is up and serving before its input goes away.
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } })}\n`);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.end();
    expect(await exited, stderr).toBe(0);
  });
});

describe('bullseye mcp --tools compact', () => {
  it('offers three tools that find, describe and call the same operations as the per-operation mode', async () => {
    const compact = await connect(['--tools', 'compact', '--scopes', 'read,write'], inject('mockUrl'));
    const { tools } = await compact.listTools();
    expect(tools.map((t) => t.name)).toEqual(['find_operations', 'describe_operation', 'call_operation']);

    const perOperation = await connect(['--scopes', 'read,write'], inject('mockUrl'));
    const served = (await perOperation.listTools()).tools.map((t) => t.name).sort();
    const all = JSON.parse(text(await compact.callTool({ name: 'find_operations', arguments: {} }))) as { operationId: string; method: string; path: string }[];
    expect(all.map((o) => o.operationId).sort()).toEqual(served);

    const found = JSON.parse(text(await compact.callTool({ name: 'find_operations', arguments: { query: 'GET organizations' } }))) as { operationId: string; method: string; path: string }[];
    expect(found.length).toBeGreaterThan(0);
    for (const o of found) {
      expect(o.method).toBe('GET');
      expect(o.path).toContain('organizations');
    }

    const described = JSON.parse(text(await compact.callTool({ name: 'describe_operation', arguments: { operationId: 'getPartnerOrganization' } }))) as {
      inputSchema: { required: string[] };
      path: string;
    };
    expect(described.path).toBe('/partner/organizations/{organizationId}');
    expect(described.inputSchema.required).toEqual(['organizationId']);

    const op = ops.find((o) => o.operationId === 'listPartnerOrganizations')!.op as { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> };
    const called = await compact.callTool({ name: 'call_operation', arguments: { operationId: 'listPartnerOrganizations', arguments: { page: 1 } } });
    expect(called.isError, text(called)).toBeFalsy();
    expect(JSON.parse(text(called))).toEqual(Object.values(op.responses['200']!.content['application/json']!.examples)[0]!.value);

    const invalid = await compact.callTool({ name: 'call_operation', arguments: { operationId: 'listPartnerOrganizations', arguments: { pageSize: 0 } } });
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/^Invalid arguments for listPartnerOrganizations: .*pageSize/);
  });

  it('refuses an operation its scopes do not serve, naming the scope', async () => {
    const compact = await connect(['--tools', 'compact'], inject('mockUrl'));
    await expect(compact.callTool({ name: 'call_operation', arguments: { operationId: 'createPartnerOrganization', arguments: { body: { name: 'Acme' } } } })).rejects.toThrow(
      /createPartnerOrganization needs the `write` scope/,
    );
    await expect(compact.callTool({ name: 'describe_operation', arguments: { operationId: 'noSuchOperation' } })).rejects.toThrow(/Unknown operation: noSuchOperation/);
    const found = JSON.parse(text(await compact.callTool({ name: 'find_operations', arguments: { query: 'createPartnerOrganization' } }))) as unknown[];
    expect(found).toEqual([]);
  });
});
