// `bullseye mcp` driven by the MCP SDK's own Client, against the Prism mock: the tools listed are the
// operations the scopes allow (computed here from the spec), a read tool returns the example's data,
// a write tool needs its scope, a failed call is an MCP tool error carrying the error envelope and
// never the key. The command runs in-process (the CLI's `run`, its arguments and environment as a
// user gives them), its server connected to the Client by the SDK's in-memory transport: a process
// per case only repeated the start-up of tsx and the CLI. The process itself is tested where it is
// what matters: the refusal to start without a key (here, exit code and stderr of the real command)
// and the stdio session that ends when stdin closes (test/mcp/hardening.test.ts).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { run, type RunOptions } from '../../packages/cli/src/cli/program.js';
import { createMcpServer } from '../../packages/cli/src/mcp/server.js';
import { loadSpec, operations } from '../support/spec.js';
import { ORGANIZATION_TEST_KEY, PARTNER_TEST_KEY } from '../contract/clients.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const doc = loadSpec();
const ops = operations(doc);
const KEYS = { partner: PARTNER_TEST_KEY, organization: ORGANIZATION_TEST_KEY } as const;
const ENV = { partner: 'BULLSEYE_PARTNER_API_KEY', organization: 'BULLSEYE_API_KEY' } as const;
type Api = keyof typeof KEYS;

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** `bullseye mcp <args>` in-process, with `env` as its environment: the exit code and what it printed on stderr. */
async function bullseye(args: string[], env: Record<string, string>, serveMcp?: RunOptions['serveMcp']): Promise<{ code: number; stderr: string }> {
  const err: string[] = [];
  const code = await run(['mcp', ...args], { out: () => {}, err: (line) => err.push(line), stdin: async () => new Uint8Array(), env }, serveMcp ? { serveMcp } : {});
  return { code, stderr: err.join('\n') };
}

async function connect(api: Api, extra: string[] = [], baseUrl = inject('mockUrl')): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const started = await bullseye(['--api', api, ...extra], { [ENV[api]]: KEYS[api], BULLSEYE_BASE_URL: baseUrl }, (options) => createMcpServer(options).connect(serverSide));
  expect(started.code, started.stderr).toBe(0);
  const client = new Client({ name: 'bullseye-test', version: '0.0.0' });
  await client.connect(clientSide);
  open.push(client);
  return client;
}

/** The operationIds the spec says a server offers whose key holds (with what they include) `granted`. */
const expected = (api: Api, granted: string[]): string[] =>
  ops
    .filter((o) => o.api === api && o.scopes.some((s) => granted.includes(s)))
    .map((o) => o.operationId)
    .sort();

const firstExample = (operationId: string, status: string): unknown => {
  const op = ops.find((o) => o.operationId === operationId)!.op as { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> };
  return Object.values(op.responses[status]!.content['application/json']!.examples)[0]!.value;
};

const text = (result: Awaited<ReturnType<Client['callTool']>>): string => (result.content as { type: string; text: string }[])[0]!.text;

describe('bullseye mcp: tools', () => {
  // The last column is what the key holds with the scope rule applied (the docs and D14, written out).
  const sets: [Api, string[], string[]][] = [
    ['partner', [], ['read']],
    ['partner', ['--scopes', 'write'], ['read', 'write']],
    ['partner', ['--scopes', 'admin'], ['read', 'write', 'admin']],
    ['organization', [], ['read', 'agency:read']],
    ['organization', ['--scopes', 'admin'], ['read', 'write', 'admin']],
    ['organization', ['--scopes', 'agency:write'], ['agency:read', 'agency:write']],
    ['organization', ['--scopes', 'admin,agency:write'], ['read', 'write', 'admin', 'agency:read', 'agency:write']],
  ];

  it.each(sets)('%s %j lists exactly the operations those scopes grant', async (api, args, scopes) => {
    const client = await connect(api, args);
    const { tools } = await client.listTools();
    const want = expected(api, scopes);
    expect(want.length).toBeGreaterThan(0);
    expect(tools.map((t) => t.name).sort()).toEqual(want);
    for (const tool of tools) {
      const op = ops.find((o) => o.operationId === tool.name)!;
      expect(tool.description).toContain(String(op.op.summary));
      expect(tool.description).toContain(`${op.method.toUpperCase()} ${op.path}`);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations?.readOnlyHint).toBe(op.method === 'get');
    }
  });

  it('builds input schemas from path and query parameters and the body', async () => {
    const client = await connect('partner', ['--scopes', 'read,write']);
    const { tools } = await client.listTools();
    const get = tools.find((t) => t.name === 'getPartnerOrganization')!;
    expect(get.inputSchema.required).toEqual(['organizationId']);
    expect(Object.keys(get.inputSchema.properties ?? {})).toEqual(['organizationId']);
    const list = tools.find((t) => t.name === 'listPartnerOrganizations')!;
    expect(Object.keys(list.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['page', 'pageSize', 'status']));
    expect(list.inputSchema.required).toBeUndefined();
    const create = tools.find((t) => t.name === 'createPartnerOrganization')!;
    expect(create.inputSchema.required).toEqual(['body']);
    expect(JSON.stringify(create.inputSchema)).not.toContain('#/components/');
  });
});

describe('bullseye mcp: calls', () => {
  it('a read tool returns the example data of each API', async () => {
    const partner = await connect('partner');
    const me = await partner.callTool({ name: 'listPartnerOrganizations', arguments: { page: 1 } });
    expect(me.isError).toBeFalsy();
    expect(JSON.parse(text(me))).toEqual(firstExample('listPartnerOrganizations', '200'));

    const org = await connect('organization');
    const readOp = ops.find((o) => o.api === 'organization' && o.method === 'get' && o.scopes.includes('read') && !o.hasRequiredParameter && o.successStatus === 200)!;
    const result = await org.callTool({ name: readOp.operationId, arguments: {} });
    expect(result.isError, text(result)).toBeFalsy();
    expect(JSON.parse(text(result))).toEqual(firstExample(readOp.operationId, '200'));
  });

  it('a write tool is refused without its scope and works with it', async () => {
    const readOnly = await connect('partner');
    await expect(readOnly.callTool({ name: 'createPartnerOrganization', arguments: { body: { name: 'Acme' } } })).rejects.toThrow(
      /createPartnerOrganization needs the `write` scope/,
    );
    const writer = await connect('partner', ['--scopes', 'write']);
    // write includes read: the reads are served too.
    const me = await writer.callTool({ name: 'getPartner', arguments: {} });
    expect(me.isError, text(me)).toBeFalsy();
    const created = await writer.callTool({ name: 'createPartnerOrganization', arguments: { body: { name: 'Acme Corp' } } });
    expect(created.isError, text(created)).toBeFalsy();
    expect(JSON.parse(text(created))).toEqual(firstExample('createPartnerOrganization', '201'));
  });

  it('arguments that break the schema are a tool error naming the problem', async () => {
    const client = await connect('partner');
    const result = await client.callTool({ name: 'listPartnerOrganizations', arguments: { pageSize: 0, bogus: 1 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Invalid arguments for listPartnerOrganizations: .*pageSize/);
  });

  it('a failed call is a tool error with the error envelope and without the key', async () => {
    // A base URL under which the mock knows no path: every call fails with a 404.
    const client = await connect('partner', [], `${inject('mockUrl')}/no-such-prefix`);
    const result = await client.callTool({ name: 'getPartner', arguments: {} });
    expect(result.isError).toBe(true);
    const envelope = JSON.parse(text(result)) as Record<string, unknown>;
    expect(envelope).toMatchObject({ status: 404, code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
    expect(text(result)).not.toContain(PARTNER_TEST_KEY);
  });

  it('refuses to start without a key, in one line', async () => {
    // The real command as a process: its exit code and stderr are what a user or an MCP client sees.
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/cli/src/cli/bin.ts', 'mcp', '--api', 'organization'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '' },
    }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe('bullseye: set BULLSEYE_API_KEY to the Organization API key to serve');
  });

  it('refuses an unknown scope at start, listing the valid ones of that API', async () => {
    for (const [api, scopes, message] of [
      ['partner', 'reed', 'bullseye: --scopes: unknown scope "reed"; the Partner API scopes are read, write, admin'],
      ['partner', 'read,agency:read', 'bullseye: --scopes: unknown scope "agency:read"; the Partner API scopes are read, write, admin'],
      ['organization', 'admin,superuser', 'bullseye: --scopes: unknown scope "superuser"; the Organization API scopes are read, write, admin, agency:read, agency:write'],
    ] as const) {
      let served = false;
      const failure = await bullseye(['--api', api, '--scopes', scopes], { [ENV[api]]: KEYS[api] }, async () => {
        served = true;
      });
      expect(failure.code, scopes).toBe(1);
      expect(failure.stderr.trim()).toBe(message);
      expect(served, scopes).toBe(false);
    }
  });
});
