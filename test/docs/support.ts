// Helpers shared by the docs tests: write code snippets as real modules inside the repo, type-check
// them in one tsc run, run shell snippets, and import TypeScript snippets while capturing their output.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { apis } from '../../generated/apis.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Production base URL (the same for both APIs), as the code samples show it. */
export const PRODUCTION_BASE_URL = apis.partner.baseUrl;
/** The mock URL `npm start` prints; guides may use it, tests replace it like the production URL. */
export const LOCAL_MOCK_URL = 'http://127.0.0.1:4010';

/** Test-only keys: never real, never printed by the tests. */
export const TEST_ENV = {
  BULLSEYE_PARTNER_API_KEY: 'pk_test_docs0000000000000000000000',
  BULLSEYE_API_KEY: `bsk_live_${'0'.repeat(32)}`,
};

/** Points a snippet at the mock instead of production (or the default local mock port). */
export function toMock(source: string, mockUrl: string): string {
  return source.split(PRODUCTION_BASE_URL).join(mockUrl).split(LOCAL_MOCK_URL).join(mockUrl);
}

/** Makes a snippet that imports the published package import the SDK sources of this repo. */
export function toRepoImports(source: string, fileDir: string): string {
  const to = (file: string): string => {
    const rel = path.relative(fileDir, path.join(root, 'src', file)).split(path.sep).join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  return source
    .replace(/from\s+(['"])@bullseye\/api\1/g, `from '${to('index.js')}'`)
    .replace(/from\s+(['"])@bullseye\/api\/testing\1/g, `from '${to('testing/index.js')}'`);
}

export interface Snippet {
  name: string;
  source: string;
}

/** Writes snippets as `<dir>/<name>.ts` with a tsconfig that extends the repo's strict one. */
export async function writeModules(dir: string, snippets: Snippet[]): Promise<Map<string, string>> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const s of snippets) {
    const file = path.join(dir, `${s.name}.ts`);
    await writeFile(file, toRepoImports(s.source, dir));
    files.set(s.name, file);
  }
  const tsconfig = {
    extends: path.relative(dir, path.join(root, 'tsconfig.json')).split(path.sep).join('/'),
    compilerOptions: { noEmit: true },
    include: ['./*.ts'],
  };
  await writeFile(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return files;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/**
 * Where tsc keeps what it found in `dir` between runs (node_modules/.cache: `npm ci` starts afresh).
 * tsc tells files apart by their content, so a run re-checks only the snippets that changed (the
 * mock's URL in them, on each run) and what they import, not the SDK they compile against.
 */
export const buildInfoOf = (dir: string): string =>
  path.join(root, 'node_modules', '.cache', 'tsc', `${path.relative(root, dir).split(path.sep).join('_')}.tsbuildinfo`);

/** Type-checks every module of `dir` in one tsc run; returns tsc's diagnostics (empty when clean). */
export async function typecheck(dir: string): Promise<string> {
  const args = ['-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false', '--incremental', '--tsBuildInfoFile', buildInfoOf(dir)];
  const r = await exec(path.join(root, 'node_modules', '.bin', 'tsc'), args, { timeoutMs: 180_000 });
  return r.code === 0 ? '' : `${r.stdout}${r.stderr}`.trim() || `tsc exited ${r.code}`;
}

/**
 * Imports a TypeScript module (which runs it, top-level await included) with the test keys (and
 * `extraEnv`) in the environment, and returns what it printed with console.log.
 */
export async function runModule(file: string, extraEnv: Record<string, string> = {}): Promise<unknown[][]> {
  const lines: unknown[][] = [];
  const saved = { ...process.env };
  const env = { ...TEST_ENV, ...extraEnv };
  Object.assign(process.env, env);
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args);
  });
  try {
    await import(/* @vite-ignore */ `${pathToFileURL(file).href}?run=${Date.now()}`);
  } finally {
    spy.mockRestore();
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return lines;
}

/** A fenced code block of a markdown page. */
export interface FencedBlock {
  /** First word of the info string (`ts`, `sh`, `json`), or '' when there is none. */
  lang: string;
  source: string;
  /** Line of the opening fence, for failure messages. */
  line: number;
}

/** Every fenced code block of a markdown page, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const fence = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;
  return [...markdown.matchAll(fence)].map((m) => ({
    lang: (m[1] ?? '').trim().split(/\s+/)[0] ?? '',
    source: m[2] ?? '',
    line: markdown.slice(0, m.index).split('\n').length,
  }));
}
