// The SDK as an integrator gets it: the tarball `npm pack` made (its prepack built dist/ from
// nothing) and the scratch project that installed it with the README's command, both prepared by
// `npm test` or `npm run check:package` (scripts/lib/package.ts). Node's `import` and `require`,
// and a browser bundle in Chromium, call the mock through the installed package.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumerDir, installsFile, packageOut, SDK_INSTALL, tarballName, type InstallReport } from '../../scripts/lib/package.js';
import { CONSUMER_BUNDLE_OPTIONS } from '../../scripts/lib/spec.js';
import { serveStatic, type StaticServer } from '../../scripts/site/static-server.js';
import { API_VERSION } from '../../src/version.js';
import { connectChromium } from '../support/browser.js';
import { readmeBlocks, typecheckInConsumer } from './readme-types.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const mockUrl = inject('mockUrl');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
const contract = JSON.parse(await readFile(path.join(root, 'generated', 'openapi.json'), 'utf8')) as { info: { version: string } };
const tarball = path.join(packageOut, await tarballName());
const PARTNER_KEY = 'pk_test_package0000000000000000000';

let entries: string[] = [];

beforeAll(async () => {
  if (!existsSync(path.join(consumerDir, 'node_modules', '@bullseye', 'api', 'package.json'))) {
    throw new Error('the packed SDK is not installed in test-output/package/consumer: run `npm run check:package` (or `npm test`) first');
  }
  entries = (await exec('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean).map((e) => e.replace(/^package\//, ''));
});

/** Runs a file of the scratch project with Node and returns its stdout (stderr must be empty: no warning). */
async function runInConsumer(file: string, source: string): Promise<string> {
  await writeFile(path.join(consumerDir, file), source);
  const { stdout, stderr } = await exec(process.execPath, [file], { cwd: consumerDir, env: { ...process.env, MOCK_URL: mockUrl, KEY: PARTNER_KEY } });
  expect(stderr).toBe('');
  return stdout.trim();
}

describe(`the packed SDK (${path.basename(tarball)})`, () => {
  it('contains the built SDK, the integrator README, the changelogs, the guides and the bundled spec, and no sources', async () => {
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'openapi/CHANGELOG.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/version.js', 'docs/sdk.md', 'generated/openapi.json']) {
      expect(entries, file).toContain(file);
    }
    expect(entries.filter((e) => /^(src|test|scripts|bench|packages|openapi\/(?!CHANGELOG\.md$)|\.)/.test(e) || e === 'docs/README.md')).toEqual([]);
  });

  it('carries only what its code or its README uses', async () => {
    // The code reads generated/openapi.json (./testing and ./spec); the YAML copy had no reader.
    expect(entries).not.toContain('generated/openapi.yaml');
    // No command line or MCP server in the SDK: they are @bullseye/cli's.
    expect(entries.filter((e) => /^dist\/src\/(cli|mcp)\//.test(e))).toEqual([]);
    // Every Markdown file it carries besides the README is linked from the README, and every
    // relative link of the README resolves inside the package.
    const readme = await readFile(path.join(root, 'package', 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    for (const link of links) expect(entries, `README links ${link}`).toContain(path.posix.normalize(link));
    const markdown = entries.filter((e) => e.endsWith('.md') && e !== 'README.md');
    expect(markdown.filter((m) => !links.map((l) => path.posix.normalize(l)).includes(m))).toEqual([]);
  });

  it('installs exactly itself, openapi-fetch and openapi-fetch\'s one dependency', async () => {
    const reports = JSON.parse(await readFile(installsFile, 'utf8')) as InstallReport[];
    const sdk = reports.find((r) => r.name === pkg.name)!;
    expect(sdk.installed.map((p) => p.replace(/@[^@]*$/, '')).sort()).toEqual([...SDK_INSTALL].sort());
    expect(Object.keys(pkg.dependencies)).toEqual(['openapi-fetch']);
    const packed = (await exec('tar', ['-xzOf', tarball, 'package/README.md'])).stdout;
    expect(packed).toBe(await readFile(path.join(root, 'package', 'README.md'), 'utf8'));
  });

  it('leaves the contributor README in place after packing', async () => {
    expect(existsSync(path.join(root, '.contributor-README.md'))).toBe(false);
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toMatch(/^npm ci && npm start\b/m);
  });

  it('was installed with the documented command, as a dependency on the tarball', async () => {
    const consumer = JSON.parse(await readFile(path.join(consumerDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(consumer.dependencies).toEqual({ [pkg.name]: `file:${path.basename(tarball)}` });
    const installed = JSON.parse(await readFile(path.join(consumerDir, 'node_modules', '@bullseye', 'api', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pkg.version);
  });

  it('works with import (ESM) and calls the mock', async () => {
    const out = await runInConsumer(
      'import.mjs',
      `import { createPartnerClient, unwrap, SDK_VERSION, API_VERSION } from '@bullseye/api';
const partner = createPartnerClient({ apiKey: process.env.KEY, baseUrl: process.env.MOCK_URL });
const me = await unwrap(partner.GET('/partner/me'));
console.log(JSON.stringify({ SDK_VERSION, API_VERSION, company: typeof me.partner.companyName }));
`,
    );
    expect(JSON.parse(out)).toEqual({ SDK_VERSION: pkg.version, API_VERSION: contract.info.version, company: 'string' });
  });

  it('works with require (CommonJS, Node >= 20.19) and calls the mock', async () => {
    const out = await runInConsumer(
      'require.cjs',
      `const { createOrganizationClient, SDK_VERSION, API_VERSION } = require('@bullseye/api');
const org = createOrganizationClient({ apiKey: 'bsk_live_' + '0'.repeat(32), baseUrl: process.env.MOCK_URL });
org.GET('/agency/sub-organizations').then(({ data, response }) => {
  console.log(JSON.stringify({ SDK_VERSION, API_VERSION, status: response.status, list: Array.isArray(data.data) }));
});
`,
    );
    expect(JSON.parse(out)).toEqual({ SDK_VERSION: pkg.version, API_VERSION: contract.info.version, status: 200, list: true });
  });

  it("the README's TypeScript compiles against the installed package's types (strict)", async () => {
    const blocks = await readmeBlocks(path.join(root, 'package', 'README.md'));
    // One screen: a first call; the rest of the SDK is docs/sdk.md's.
    expect(blocks.length).toBeGreaterThan(0);
    // One module, in page order: later blocks use the clients made in the first.
    const r = await typecheckInConsumer(consumerDir, blocks.join('\n'));
    expect(r).toBe('');
  });

  it('exports the API contract version it was generated from (API_VERSION is generated from info.version)', () => {
    expect(API_VERSION).toBe(contract.info.version);
  });

  it('the README names this release and the contract it was built from', async () => {
    const readme = await readFile(path.join(root, 'package', 'README.md'), 'utf8');
    expect(readme).toContain(`This release, \`${pkg.name}\` ${pkg.version}, is built from API contract ${contract.info.version}.`);
  });

  // The released state: versions and changelogs change only together, in the commit
  // `npm run release:version` writes; a feature branch touches neither (npm run check:changes).
  it('is released: its version and its contract version each head a changelog section', async () => {
    const changelog = await readFile(path.join(root, 'CHANGELOG.md'), 'utf8');
    const contractLog = await readFile(path.join(root, 'openapi', 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`\n## ${pkg.version} (API contract ${contract.info.version})\n`);
    expect(contractLog).toContain(`\n## ${contract.info.version}\n`);
    // Pending changes live in .changeset/, not in an "Unreleased" section.
    expect(`${changelog}\n${contractLog}`).not.toMatch(/^## Unreleased/m);
  });

  it('names the current version in every install command of the docs', async () => {
    const pages = ['package/README.md', 'docs/sdk.md', 'docs/getting-started-partner.md', 'docs/getting-started-organization.md', 'README.md'];
    const commands = (await Promise.all(pages.map(async (p) => [...(await readFile(path.join(root, p), 'utf8')).matchAll(/npm (?:install|i) [^\s`]+/g)].map((m) => m[0])))).flat();
    expect(commands.length).toBeGreaterThan(2);
    for (const command of commands) expect([`npm install ./${path.basename(tarball)}`, `npm install ${pkg.name}`]).toContain(command);
  });
});

describe('the installed SDK in a browser (Chromium)', () => {
  let server: StaticServer | undefined;
  const close: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const dir = path.join(packageOut, 'browser');
    await mkdir(dir, { recursive: true });
    // Bundled from the scratch project, as a web app would bundle its dependency.
    await build({
      ...CONSUMER_BUNDLE_OPTIONS,
      stdin: {
        resolveDir: consumerDir,
        sourcefile: 'app.js',
        contents: `import { createPartnerClient, signWebhookPayload, verifyWebhookSignature, unwrap } from '@bullseye/api';
window.run = async (baseUrl, apiKey) => {
  const me = await unwrap(createPartnerClient({ apiKey, baseUrl }).GET('/partner/me'));
  const signed = await signWebhookPayload('{"event":"visitor.identified"}', 'whsec_test');
  return {
    company: typeof me.partner.companyName,
    verified: await verifyWebhookSignature(signed.body, signed.signature, 'whsec_test'),
    forged: await verifyWebhookSignature(signed.body, signed.signature, 'whsec_other'),
  };
};`,
      },
      outfile: path.join(dir, 'app.js'),
    });
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>sdk</title><script type="module" src="app.js"></script>\n');
    server = await serveStatic(dir, 0);
    close.push(() => server!.close());
  });

  afterAll(async () => {
    for (const c of close.reverse()) await c();
  });

  it('calls the mock and verifies a webhook signature (Web Crypto)', async () => {
    const browser = await connectChromium(inject('chromiumWsEndpoint'));
    close.push(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server!.url}/index.html`);
    await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
    const result = await page.evaluate(
      ([baseUrl, key]) => (window as unknown as { run(b: string, k: string): Promise<unknown> }).run(baseUrl!, key!),
      [mockUrl, PARTNER_KEY],
    );
    expect(result).toEqual({ company: 'string', verified: true, forged: false });
    expect(errors).toEqual([]);
  });
});
