// `npm run -s <script>` works for every script. `-s` reaches every npm a script starts, through
// `npm_config_loglevel=silent` in its environment: an inner `npm install` or `npm pack` then prints
// nothing a script could read. Scripts start npm only through run()/runChecked()
// (scripts/lib/steps.ts), which give it npmEnv(): that is checked here statically and on a real npm.
// The quick scripts are run here with `-s`; every other script is named with the test that runs it
// (`npm test` runs the slow ones once: running them twice would double its time).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { npmEnv, root, run, type RunResult } from '../../scripts/lib/steps.js';

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
const scripts = manifest.scripts;

/** Quick scripts: arguments that make each do a real, short job, and what its output starts with. */
const QUICK: Record<string, { args: string[]; prints: RegExp; exit?: number }> = {
  'release-target': { args: [`@bullseye/api@${manifest.version}`], prints: /^\w+=/ },
  new: { args: ['--help'], prints: /^usage:/ },
  change: { args: ['--help'], prints: /^usage/i },
  diff: { args: ['--help'], prints: /^usage: npm run diff/, exit: 2 },
  verify: { args: ['--help'], prints: /^usage: npm run verify/ },
  bullseye: { args: ['--help'], prints: /bullseye/ },
  'pages:assemble': { args: [], prints: /missing --out/, exit: 1 },
};

/** The others, with where they run (the step of `npm test` or the test file). */
const ELSEWHERE: Record<string, string> = {
  generate: 'npm test (scripts/test.ts); start runs it as `npm run -s generate`',
  start: 'test/scripts/start.test.ts (a server)',
  mock: 'test/scripts/start.test.ts (a server)',
  lint: 'npm test runs `npm run -s lint`',
  typecheck: 'npm test',
  build: 'npm test (check:package builds through npm pack)',
  prepack: 'npm pack (check:package)',
  postpack: 'npm pack (check:package)',
  'check:package': 'npm test; its inner npm pack and npm install get npmEnv() (tested here)',
  test: 'CI (.ci/run)',
  bench: 'npm run bench (minutes; budgets in bench/RESULTS.md)',
  'bench:docs': 'npm run bench:docs (Chromium on a throttled network; prints first paint)',
  'test:unit': 'scripts/test.ts --project unit: starts vitest only, no npm (test/scripts/projects.test.ts tests its argument handling)',
  'check:drift': 'test/scripts/maintainer-flow.test.ts',
  'check:changes': 'npm test runs `npm run -s check:changes`; test/scripts/maintainer-flow.test.ts',
  'release:version': 'test/scripts/maintainer-flow.test.ts',
};

/**
 * The quick scripts' runs, all started at once before the first test (each is an npm, a tsx and a
 * script's imports: seconds of start-up that need not wait for one another); each test awaits its own.
 */
const quick: Record<string, Promise<RunResult>> = {};
beforeAll(() => {
  for (const [name, { args }] of Object.entries(QUICK)) {
    quick[name] = run('npm', ['run', '-s', name, '--', ...args], { env: { ...npmEnv(), npm_config_loglevel: 'silent', NO_COLOR: '1' } });
    // Awaited by its test; this only keeps a failed spawn from counting as unhandled meanwhile.
    quick[name].catch(() => {});
  }
});

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('an npm started by a script does not inherit `-s`', () => {
  it('npmEnv() drops what an outer npm passes down and sets its own log level', () => {
    const env = npmEnv({ PATH: '/bin', npm_config_loglevel: 'silent', npm_config_silent: 'true', npm_config_json: 'true', npm_config_workspace: 'packages/cli', npm_config_dry_run: 'true', npm_config_cache: '/tmp/c' });
    expect(env).toMatchObject({ PATH: '/bin', npm_config_loglevel: 'warn', npm_config_cache: '/tmp/c' });
    for (const k of ['npm_config_silent', 'npm_config_json', 'npm_config_workspace', 'npm_config_dry_run']) expect(env, k).not.toHaveProperty(k);
  });

  it('run("npm", …) under `npm run -s` gets log level warn, not silent', async () => {
    process.env.npm_config_loglevel = 'silent';
    process.env.npm_config_json = 'true';
    // Without npmEnv() the inner npm would see silent (the variable does reach it).
    const bare = spawnSync('npm', ['config', 'get', 'loglevel'], { encoding: 'utf8', env: process.env });
    expect(bare.stdout.trim()).toBe('silent');
    const r = await run('npm', ['config', 'get', 'loglevel']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('warn');
    const json = await run('npm', ['config', 'get', 'json']);
    expect(json.stdout.trim()).toBe('false');
  });

  it('scripts start npm only through run()/runChecked()', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(path.join(root, dir))) {
        const rel = `${dir}/${name}`;
        if (name === 'node_modules' || name === 'dist') continue;
        if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
        else if (/\.(ts|mts|js|mjs)$/.test(name)) files.push(rel);
      }
    };
    for (const dir of ['scripts', 'bench', ...readdirSync(path.join(root, 'packages')).map((p) => `packages/${p}/src`)]) walk(dir);
    const direct = files.filter((f) => /\b(spawn|spawnSync|exec|execSync|execFile|execFileSync|fork)\(\s*['"`]np[mx]['"`]/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(direct).toEqual([]);
    // The check looks at the files that do start npm.
    expect(files.filter((f) => /\brun(Checked)?\([^)]*['"]npm['"]/.test(readFileSync(path.join(root, f), 'utf8'))).length).toBeGreaterThan(3);
  });
});

describe('npm run -s <script>', () => {
  it('every script of package.json is run here or named with the test that runs it', () => {
    const unaccounted = Object.keys(scripts).filter((s) => !(s in QUICK) && !(s in ELSEWHERE));
    expect(unaccounted).toEqual([]);
    expect([...Object.keys(QUICK), ...Object.keys(ELSEWHERE)].filter((s) => !(s in scripts))).toEqual([]);
  });

  it.each(Object.entries(QUICK))('%s prints its own output only', async (name, { prints, exit = 0 }) => {
    const r = await quick[name]!;
    const out = `${r.stdout}${r.stderr}`.trim();
    expect(r.code, out).toBe(exit);
    expect(out).toMatch(prints);
    // No npm banner (`> @bullseye/api name`) and no npm error footer.
    expect(out).not.toMatch(/^> |^npm (error|ERR!)/m);
  });
});
