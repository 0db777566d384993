// The sandbox as integrators get it (scripts/lib/package.ts packed and installed every tarball):
//   - @bullseye/sandbox installed with the SDK the way its README says: its engine runs in-process
//     (no server, no port) from the installed package, and its README's TypeScript compiles against
//     the installed declarations;
//   - `bullseye sandbox` of the installed @bullseye/cli, started by the exact `npx` line the docs show
//     (offline, so npx can only run this release): it prints its URL and the seeded keys, answers
//     `GET /partner/me` with the seeded Partner key, and stops on SIGTERM.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerOf, installsFile, packageOut, SDK_INSTALL, type InstallReport } from '../../scripts/lib/package.js';
import { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS } from '../../packages/sandbox/src/index.js';
import { readmeBlocks, typecheckInConsumer } from './readme-types.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(path.join(root, file), 'utf8')) as T;
const sdk = await read<{ name: string; version: string }>('package.json');
const sandboxPkg = await read<{ name: string; version: string; dependencies: Record<string, string> }>('packages/sandbox/package.json');
const cli = await read<{ name: string; version: string; dependencies: Record<string, string> }>('packages/cli/package.json');
const sandboxConsumer = consumerOf({ rel: 'packages/sandbox' });
const cliConsumer = consumerOf({ rel: 'packages/cli' });
const tarball = path.join(packageOut, `bullseye-sandbox-${sandboxPkg.version}.tgz`);
const reports = (): Promise<InstallReport[]> => readFile(installsFile, 'utf8').then((t) => JSON.parse(t) as InstallReport[]);
const names = (r: InstallReport): string[] => r.installed.map((p) => p.replace(/@[^@]*$/, '')).sort();

/** The pages that show how to start the sandbox from the CLI package. */
const PAGES = ['docs/sandbox.md', 'packages/cli/README.md', 'packages/sandbox/README.md'];
const NPX_SANDBOX = /npx -y (@bullseye\/cli@[^\s`]+) sandbox\b/g;

let scratchCache = '';
beforeAll(async () => {
  for (const dir of [sandboxConsumer, cliConsumer]) {
    if (!existsSync(path.join(dir, 'node_modules', '@bullseye', 'sandbox', 'package.json'))) {
      throw new Error(`@bullseye/sandbox is not installed in ${path.relative(root, dir)}: run \`npm run check:package\` (or \`npm test\`) first`);
    }
  }
  scratchCache = await mkdtemp(path.join(tmpdir(), 'bullseye-npm-cache-'));
});
afterAll(async () => {
  await rm(scratchCache, { recursive: true, force: true });
});

describe(`the packed ${sandboxPkg.name} (bullseye-sandbox-${sandboxPkg.version}.tgz)`, () => {
  it('carries the built bundle, its declarations, the controls document and the docs, and no sources', async () => {
    const entries = (await exec('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean).map((e) => e.replace(/^package\//, ''));
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'DECISIONS.md', 'sandbox-openapi.yaml', 'dist/index.js', 'dist/index.d.ts']));
    // Sources stay home: only JavaScript and declarations under dist/.
    expect(entries.filter((e) => e.endsWith('.ts') && !e.endsWith('.d.ts'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('src/') || e.startsWith('scripts/'))).toEqual([]);
  });

  it('depends on the exact SDK release (whose tarball ships the bundled contract it reads), ajv and ajv-formats', async () => {
    expect(sandboxPkg.dependencies[sdk.name]).toBe('file:../..');
    const installed = JSON.parse(await readFile(path.join(sandboxConsumer, 'node_modules', '@bullseye', 'sandbox', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; private?: boolean };
    expect(installed.private).toBeUndefined();
    expect(installed.dependencies).toEqual({ [sdk.name]: sdk.version, ajv: sandboxPkg.dependencies.ajv, 'ajv-formats': sandboxPkg.dependencies['ajv-formats'] });
    expect(existsSync(path.join(sandboxConsumer, 'node_modules', '@bullseye', 'api', 'generated', 'openapi.json'))).toBe(true);
  });

  it('installs itself, the SDK install and the validators only; the SDK install stays exactly its 3 packages', async () => {
    const all = await reports();
    const sdkReport = all.find((r) => r.name === sdk.name)!;
    expect(names(sdkReport)).toEqual([...SDK_INSTALL].sort());
    const report = all.find((r) => r.name === sandboxPkg.name)!;
    expect(report.command).toBe(`npm install ./bullseye-api-${sdk.version}.tgz ./bullseye-sandbox-${sandboxPkg.version}.tgz`);
    const ajvDeps = Object.keys(((await read<{ dependencies?: Record<string, string> }>('node_modules/ajv/package.json')).dependencies ?? {}));
    expect(names(report)).toEqual([...SDK_INSTALL, sandboxPkg.name, 'ajv', 'ajv-formats', ...ajvDeps].sort());
  });

  it('runs its engine in-process from the installed package: an organization created is in the next list, with no server', async () => {
    const file = path.join(sandboxConsumer, 'engine.mjs');
    await writeFile(
      file,
      `import { createPartnerClient, unwrap } from '@bullseye/api';
import { createSandbox, CONTROLS_SPEC_FILE, SANDBOX_BASE_URL, SEEDED_KEYS } from '@bullseye/sandbox';
import { existsSync } from 'node:fs';
const sandbox = createSandbox();
const partner = createPartnerClient({ apiKey: SEEDED_KEYS.partner, baseUrl: SANDBOX_BASE_URL, fetch: sandbox.fetch });
const before = await unwrap(partner.GET('/partner/organizations'));
const created = await unwrap(partner.POST('/partner/organizations', { body: { name: 'Installed Co' } }));
const after = await unwrap(partner.GET('/partner/organizations'));
const search = await unwrap(partner.GET('/partner/organizations', { params: { query: { search: 'Installed Co' } } }));
const handles = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap');
await sandbox.close();
console.log(JSON.stringify({ before: before.total, after: after.total, found: search.organizations.some((o) => o.id === created.organization.id && o.name === 'Installed Co'), handles, controls: existsSync(CONTROLS_SPEC_FILE) && CONTROLS_SPEC_FILE.includes('node_modules') }));
`,
    );
    const { stdout, stderr } = await exec(process.execPath, [file], { cwd: sandboxConsumer });
    expect(stderr).toBe('');
    const out = JSON.parse(stdout.trim()) as { before: number; after: number; found: boolean; handles: string[]; controls: boolean };
    expect(out).toEqual({ before: out.before, after: out.before + 1, found: true, handles: [], controls: true });
    expect(out.before).toBeGreaterThan(0);
  });

  it("the README's TypeScript compiles against the installed declarations (strict)", async () => {
    const blocks = await readmeBlocks(path.join(root, 'packages', 'sandbox', 'README.md'));
    expect(blocks.length).toBeGreaterThan(0);
    // The declarations must resolve to real types, not `any`: a key is a string, so this line must fail.
    const probe = "import { SEEDED_KEYS as PROBE } from '@bullseye/sandbox';\n// @ts-expect-error a seeded key is a string\nconst probe: number = PROBE.partner;\nvoid probe;\n";
    const r = await typecheckInConsumer(sandboxConsumer, `${blocks.join('\n')}\n${probe}`);
    expect(r).toBe('');
  }, 180_000);
});

/** Runs `command` (a shell-free argv) and resolves with the lines it printed once `until` matches one. */
function startUntil(argv: string[], cwd: string, env: NodeJS.ProcessEnv, until: RegExp): Promise<{ child: ChildProcess; out: string[]; err: string[] }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a failed test can still stop npx and whatever it started.
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: string[] = [];
    const err: string[] = [];
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${until} within 60 s; stdout: ${out.join('\n')}; stderr: ${err.join('\n')}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      out.push(...lines);
      if (lines.some((l) => until.test(l))) {
        clearTimeout(timer);
        resolve({ child, out, err });
      }
    });
    child.stderr!.on('data', (c: Buffer) => err.push(...c.toString().split('\n').filter(Boolean)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before printing a line matching ${until}; stdout: ${out.join('\n')}; stderr: ${err.join('\n')}`));
    });
  });
}

/** Whether nothing answers at `url` any more, trying until `ms` have passed. */
async function closedWithin(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const answered = await fetch(`${url}/partner/me`, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => (await r.arrayBuffer(), true),
      () => false,
    );
    if (!answered) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('`bullseye sandbox` from the installed CLI, started the way the docs show', () => {
  it.each(PAGES)('%s shows `npx -y @bullseye/cli@<this version> sandbox`', async (page) => {
    const shown = [...(await readFile(path.join(root, page), 'utf8')).matchAll(NPX_SANDBOX)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    for (const spec of shown) expect(spec).toBe(`${cli.name}@${cli.version}`);
  });

  it('the CLI tarball depends on the exact sandbox and SDK releases', async () => {
    expect(cli.dependencies[sandboxPkg.name]).toBe('file:../sandbox');
    const installed = JSON.parse(await readFile(path.join(cliConsumer, 'node_modules', '@bullseye', 'cli', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(installed.dependencies[sandboxPkg.name]).toBe(sandboxPkg.version);
    expect(installed.dependencies[sdk.name]).toBe(sdk.version);
    const report = (await reports()).find((r) => r.name === cli.name)!;
    expect(names(report)).toEqual(expect.arrayContaining([sdk.name, sandboxPkg.name, cli.name]));
  });

  it('starts on --port 0, prints its URL and the seeded keys, answers GET /partner/me with the seeded Partner key, and stops on SIGTERM', async () => {
    const [, spec] = NPX_SANDBOX.exec(await readFile(path.join(root, 'docs', 'sandbox.md'), 'utf8')) ?? [];
    NPX_SANDBOX.lastIndex = 0;
    expect(spec).toBe(`${cli.name}@${cli.version}`);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // No registry and an empty cache: npx can only run the package installed in this project.
      npm_config_offline: 'true',
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_cache: scratchCache,
      npm_config_update_notifier: 'false',
    };
    const { child, out, err } = await startUntil(['npx', '-y', spec!, 'sandbox', '--port', '0'], cliConsumer, env, /^\s*controls: /);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const text = out.join('\n');
      const url = /Sandbox \(both APIs, stateful\):\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      expect(url, text).toBeDefined();
      // Every seeded key and the Organization webhook secret, as the sandbox itself defines them.
      for (const key of [SEEDED_KEYS.partner, ...Object.values(SEEDED_KEYS.organization), SEEDED_WEBHOOK_SECRETS.organization]) expect(text).toContain(key);
      expect(err.filter((l) => !/^npm warn/i.test(l))).toEqual([]);

      const me = await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { partner: { id: string } }).partner.id).toMatch(/^[0-9a-f-]{36}$/);
      const denied = await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': `pk_live_${'9'.repeat(32)}` } });
      expect(denied.status).toBe(401);
      await denied.arrayBuffer();

      // SIGTERM to npx's own process id, as a supervisor stops what it started. npx does not pass the
      // signal on; the sandbox notices that npx is gone and stops too, closing its port.
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
      expect(code).not.toBe('timeout');
      expect(await closedWithin(url!, 15_000)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('the installed bin stops on SIGTERM with exit code 0 and closes its port', async () => {
    const bin = path.join(cliConsumer, 'node_modules', '.bin', 'bullseye');
    const { child, out } = await startUntil([bin, 'sandbox', '--port', '0'], cliConsumer, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, /^\s*controls: /);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out.join('\n'))![1]!;
      const me = await fetch(`${url}/partner/me`, { headers: { 'X-Partner-API-Key': SEEDED_KEYS.partner } });
      expect(me.status).toBe(200);
      await me.arrayBuffer();
      child.kill('SIGTERM');
      expect(await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))])).toBe(0);
      expect(await closedWithin(url, 1_000)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
