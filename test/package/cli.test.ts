// The `bullseye` command as its users get it: the @bullseye/cli tarball installed offline, with the
// SDK's tarball, in a scratch project the way its README says (scripts/lib/package.ts). Its --help,
// --version and `webhooks trigger` run from the installed bin; the MCP server starts from the exact
// `npx` line the docs show (version from package.json), resolved offline to that install, and
// answers tools/list over stdio.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumerOf, installsFile, type InstallReport } from '../../scripts/lib/package.js';
import { verifyWebhookSignature } from '../../src/index.js';
import { loadSpec, operations } from '../support/spec.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(root, file), 'utf8')) as T;
const cli = await read<{ name: string; version: string; dependencies: Record<string, string> }>('packages/cli/package.json');
const sdk = await read<{ name: string; version: string }>('package.json');
const contract = await read<{ info: { version: string } }>('generated/openapi.json');
const consumer = consumerOf({ rel: 'packages/cli' });
const bullseye = path.join(consumer, 'node_modules', '.bin', 'bullseye');
const ORG_KEY = `bsk_live_${'0'.repeat(32)}`;

/** The MCP client configurations a page shows (its ```json blocks with `mcpServers`). */
async function shownConfigs(file: string): Promise<{ command: string; args: string[]; env?: Record<string, string> }[]> {
  const text = await readFile(path.join(root, file), 'utf8');
  return [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)]
    .map((m) => JSON.parse(m[1]!) as { mcpServers?: Record<string, { command: string; args: string[]; env?: Record<string, string> }> })
    .flatMap((c) => Object.values(c.mcpServers ?? {}));
}

let scratchCache: string;
beforeAll(async () => {
  if (!existsSync(bullseye)) throw new Error(`${bullseye} is missing: run \`npm run check:package\` (or \`npm test\`) first`);
  scratchCache = await mkdtemp(path.join(tmpdir(), 'bullseye-npm-cache-'));
});
afterAll(async () => {
  await rm(scratchCache, { recursive: true, force: true });
});

describe(`the installed ${cli.name} tarball`, () => {
  it('depends on the exact SDK release, and the install has that release', async () => {
    const installed = JSON.parse(await readFile(path.join(consumer, 'node_modules', '@bullseye', 'cli', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(cli.dependencies[sdk.name]).toBe('file:../..');
    expect(installed.dependencies[sdk.name]).toBe(sdk.version);
    const api = JSON.parse(await readFile(path.join(consumer, 'node_modules', '@bullseye', 'api', 'package.json'), 'utf8')) as { version: string };
    expect(api.version).toBe(sdk.version);
    const report = (JSON.parse(await readFile(installsFile, 'utf8')) as InstallReport[]).find((r) => r.name === cli.name)!;
    const sandbox = await read<{ version: string }>('packages/sandbox/package.json');
    expect(report.command).toBe(`npm install ./bullseye-api-${sdk.version}.tgz ./bullseye-sandbox-${sandbox.version}.tgz ./bullseye-cli-${cli.version}.tgz`);
  });

  it('bullseye --help and --version', async () => {
    const help = await exec(bullseye, ['--help'], { cwd: consumer });
    expect(help.stdout).toMatch(/^Usage: bullseye /);
    expect(help.stdout).toMatch(/\n {2}webhooks\b/);
    expect(help.stdout).toMatch(/\n {2}mcp\b/);
    expect(help.stdout).toMatch(/\n {2}sandbox\b/);
    const version = await exec(bullseye, ['--version'], { cwd: consumer });
    expect(version.stdout.trim()).toBe(`@bullseye/cli ${cli.version} (@bullseye/api ${sdk.version}, API contract ${contract.info.version})`);
  });

  it('bullseye webhooks trigger delivers a signed event to a local receiver', async () => {
    const received: { body: string; signature: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-bullseye-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
      const r = await exec(bullseye, ['webhooks', 'trigger', 'visitor.identified', '--to', url, '--secret', 'whsec_package_cli'], { cwd: consumer });
      expect(r.stdout).toMatch(/^visitor\.identified → http:\/\/127\.0\.0\.1:\d+\/webhooks: 204/);
      expect(received).toHaveLength(1);
      expect(await verifyWebhookSignature(received[0]!.body, received[0]!.signature, 'whsec_package_cli')).toBe(true);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'visitor.identified' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the MCP configuration the docs show', () => {
  const pages = ['docs/tools.md', 'packages/cli/README.md'];

  it.each(pages)('%s starts the server with `npx -y @bullseye/cli@<this version> mcp …`', async (page) => {
    const configs = await shownConfigs(page);
    expect(configs.length).toBeGreaterThan(0);
    for (const c of configs) {
      expect(c.command).toBe('npx');
      expect(c.args.slice(0, 3)).toEqual(['-y', `${cli.name}@${cli.version}`, 'mcp']);
    }
  });

  it('that exact command runs this release offline and answers tools/list over stdio', async () => {
    const [config] = await shownConfigs('docs/tools.md');
    const transport = new StdioClientTransport({
      command: config!.command,
      args: config!.args,
      cwd: consumer,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        BULLSEYE_API_KEY: ORG_KEY,
        BULLSEYE_BASE_URL: inject('mockUrl'),
        // No registry and an empty cache: npx can only run the package installed in this project.
        npm_config_offline: 'true',
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_cache: scratchCache,
        npm_config_update_notifier: 'false',
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'bullseye-package-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'bullseye-organization', version: sdk.version });
      const { tools } = await client.listTools();
      const orgOps = new Set(operations(loadSpec()).filter((o) => o.api === 'organization').map((o) => o.operationId));
      expect(tools.length).toBeGreaterThan(0);
      for (const t of tools) expect(orgOps.has(t.name), t.name).toBe(true);
    } finally {
      await client.close();
    }
  });
});
