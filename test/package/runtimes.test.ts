// The packed SDK, installed from its tarball in the scratch project (scripts/lib/package.ts), on each
// JavaScript runtime the README's table names as tested: Node, Bun and Deno (both installed as pinned
// devDependencies, their binaries shipped inside the npm packages, run offline). Each one calls the
// mock through the SDK and signs and verifies a webhook delivery with Web Crypto.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumerDir } from '../../scripts/lib/package.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };

/** Each runtime: how to run a module file, and the package.json pin the README's table reports. */
export const RUNTIMES = {
  node: { version: process.versions.node, command: (file: string) => [process.execPath, [file]] as const },
  bun: {
    version: pkg.devDependencies['@oven/bun-linux-x64']!,
    command: (file: string) => [path.join(root, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun'), [file]] as const,
  },
  deno: {
    version: pkg.devDependencies.deno!,
    command: (file: string) => [path.join(root, 'node_modules', '@deno', 'linux-x64-glibc', 'deno'), ['run', '--allow-net', '--allow-read', '--allow-env', file]] as const,
  },
} as const;

const SCRIPT = `import { createPartnerClient, signWebhookPayload, verifyWebhookSignature, unwrap, SDK_VERSION } from '@bullseye/api';
const client = createPartnerClient({ apiKey: 'pk_test_runtime0000000000000000000', baseUrl: process.env.MOCK_URL });
const me = await unwrap(client.GET('/partner/me'));
// Not a UUID: the API (and the mock) answer 400, which unwrap turns into a typed error.
const invalid = await unwrap(client.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: 'not-a-uuid' } } })).catch((err) => err);
const signed = await signWebhookPayload({ event: 'visitor.identified', data: { id: 'v_1' } }, 'whsec_runtime');
console.log(JSON.stringify({
  SDK_VERSION,
  company: typeof me.partner.companyName,
  error: [invalid.name, invalid.status],
  verified: await verifyWebhookSignature(signed.body, signed.signature, 'whsec_runtime'),
  forged: await verifyWebhookSignature(signed.body, signed.signature, 'whsec_other'),
}));
`;

let denoDir: string;
beforeAll(async () => {
  if (!existsSync(path.join(consumerDir, 'node_modules', '@bullseye', 'api', 'package.json'))) {
    throw new Error('the packed SDK is not installed in test-output/package/consumer: run `npm run check:package` (or `npm test`) first');
  }
  await writeFile(path.join(consumerDir, 'runtime.mjs'), SCRIPT);
  // Deno's own cache, empty: everything must come from the scratch project's node_modules.
  denoDir = await mkdtemp(path.join(tmpdir(), 'bullseye-deno-'));
});
afterAll(async () => {
  await rm(denoDir, { recursive: true, force: true });
});

describe('the packed SDK on each runtime', () => {
  it.each(Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[])('%s: calls the mock and verifies a webhook signature', async (name) => {
    const [cmd, args] = RUNTIMES[name].command('runtime.mjs');
    expect(existsSync(cmd), `${cmd} (npm ci installs it)`).toBe(true);
    const { stdout } = await exec(cmd, [...args], {
      cwd: consumerDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MOCK_URL: inject('mockUrl'), DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    expect(JSON.parse(stdout.trim())).toEqual({ SDK_VERSION: pkg.version, company: 'string', error: ['ValidationError', 400], verified: true, forged: false });
  });

  it('the runtimes table of docs/sdk.md says exactly what is tested here', async () => {
    const readme = await readFile(path.join(root, 'docs', 'sdk.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Runtimes'), readme.indexOf('\n## ', readme.indexOf('## Runtimes') + 3));
    expect(table).toMatch(/\| Node\.js 20\.19 or newer \| tested/);
    expect(table).toContain(`| Bun ${RUNTIMES.bun.version} | tested`);
    expect(table).toContain(`| Deno ${RUNTIMES.deno.version} | tested`);
    expect(table).toMatch(/\| Cloudflare Workers \(workerd\) and other edge runtimes \| not tested/);
  });
});
