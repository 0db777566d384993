// npm test: everything a change must pass, each step timed:
//   1. side by side: lint the spec (once; in GitHub Actions as annotations on the pull request), the
//      drift check (`npm run check:drift`: regenerate the committed outputs, generated/ and the SDK's
//      operation table, fail if any differs, and put them back, so it fails until fixed) and the
//      change-note gate (`npm run check:changes` against the base branch, with step 2);
//   2. side by side: the docs site (kept when its inputs are unchanged) and every package of the
//      repository, the SDK and each workspace (npm pack, publint, attw, installed offline from its
//      tarball in a scratch project as its README says; test/package/ then runs those installs);
//   3. every vitest suite, while the typecheck (started with step 2) runs beside them.
// Ends with the line "N passed, N failed[, N skipped]", which also names any failure outside a test
// (a hook, a suite, a file that did not load) and a failed typecheck, so nothing is lost silently.
// Arguments are passed to vitest. With test files or folders (`npm test -- test/sdk`) or projects
// (`npm test -- --project unit`, which is `npm run test:unit`) it runs only those files, after only
// the steps they need (test/projects.ts: the docs site for the docs tests that read it, the packed
// packages for test/package/), and no lint, drift check, change notes or typecheck.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageInputs } from './lib/package-cache.js';
import { bin, fmtMs, inBackground, main, parallel, root, run, runChecked, step, StepError } from './lib/steps.js';
import { NEEDS, projectOf, type Need } from '../test/projects.js';
import { SUMMARY_FILE, summaryLine, type VitestSummary } from '../test/setup/summary-reporter.js';

const vitestArgs = process.argv.slice(2);
const inGitHubActions = process.env.GITHUB_ACTIONS === 'true';

async function lint(): Promise<void> {
  await step(`lint (npm run lint${inGitHubActions ? ' -- --format=github-actions' : ''})`, async () => {
    const r = await run('npm', ['run', '-s', 'lint', '--', `--format=${inGitHubActions ? 'github-actions' : 'stylish'}`]);
    if (r.code === 0) return;
    // Annotations must reach stdout, where the Actions runner reads them.
    if (inGitHubActions) console.log(`\n${r.stdout}`);
    throw new StepError('lint', 'the spec has lint problems (errors or warnings)', inGitHubActions ? r.stderr : `${r.stdout}\n${r.stderr}`.trim());
  });
}

async function changeNotes(): Promise<void> {
  await step('change notes (npm run check:changes)', async () => {
    const r = await run('npm', ['run', '-s', 'check:changes']);
    if (r.code !== 0) throw new StepError('change notes', 'the change-note gate failed', `${r.stdout}\n${r.stderr}`.trim());
  });
}

async function vitest(): Promise<VitestSummary> {
  const t0 = performance.now();
  console.log('▸ vitest run');
  await rm(SUMMARY_FILE, { force: true });
  const code = await new Promise<number>((resolve) => {
    const p = spawn(bin('vitest'), ['run', '--reporter=default', `--reporter=${path.join(root, 'test', 'setup', 'summary-reporter.ts')}`, ...vitestArgs], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    });
    p.on('close', (c) => resolve(c ?? 1));
  });
  let summary: VitestSummary;
  try {
    summary = JSON.parse(await readFile(SUMMARY_FILE, 'utf8')) as VitestSummary;
  } catch {
    throw new StepError('vitest', `vitest exited ${code} without reporting any test (did its global setup fail? see above)`);
  }
  console.log(`▸ vitest run ... ${code === 0 ? 'ok' : 'FAILED'} (${fmtMs(performance.now() - t0)}; slowest files: ${summary.durations
    .slice(0, 5)
    .map((d) => `${d.file} ${fmtMs(d.ms)}`)
    .join(', ')})`);
  if (code !== 0 && summary.failed === 0 && summary.problems.length === 0) summary.problems.push(`vitest exited ${code}`);
  return summary;
}

/** Vitest options that take a value as the next argument (so that value is not read as a file filter). */
const VALUE_OPTIONS = new Set(['--project', '-t', '--testNamePattern', '--reporter', '--outputFile', '--shard', '--maxWorkers', '--seed', '-c', '--config', '--dir', '-r', '--root', '--exclude', '--pool', '--bail', '--retry']);

/** The file filters and project names among vitest's arguments. */
export function selection(args: string[]): { filters: string[]; projects: string[] } {
  const filters: string[] = [];
  const projects: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--project') projects.push(args[++i] ?? '');
    else if (a.startsWith('--project=')) projects.push(a.slice('--project='.length));
    else if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) filters.push(a);
  }
  return { filters, projects };
}

/**
 * The test files a run of vitest with these filters and projects takes: a filter matches a file whose
 * path (from the repository root) contains it, as vitest matches them.
 */
export async function selectedFiles(all: string[], filters: string[], projects: string[]): Promise<string[]> {
  const norm = filters.map((f) => {
    const rel = path.relative(root, path.resolve(root, f)).split(path.sep).join('/');
    return rel.startsWith('..') ? f : rel;
  });
  return all.filter((file) => (!norm.length || norm.some((f) => file.includes(f))) && (!projects.length || projects.includes(projectOf(file))));
}

async function testFiles(): Promise<string[]> {
  const entries = await readdir(path.join(root, 'test'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const started = performance.now();

/** Some files or projects only: the steps they need, then vitest. */
async function part(filters: string[], projects: string[]): Promise<void> {
  const files = await selectedFiles(await testFiles(), filters, projects);
  if (!files.length) throw new StepError('vitest', `no test file matches ${[...filters, ...projects.map((p) => `--project ${p}`)].join(' ')}`);
  const needs = (Object.keys(NEEDS) as Need[]).filter((need) => files.some(NEEDS[need]));
  console.log(`▸ ${files.length} test file${files.length === 1 ? '' : 's'}; steps they need: ${needs.length ? needs.map((n) => (n === 'site' ? 'docs site' : 'packed packages')).join(', ') : 'none'}`);
  const jobs: (() => Promise<unknown>)[] = [];
  if (needs.includes('site')) jobs.push(async () => (await import('./generate.js')).buildSiteIfChanged());
  if (needs.includes('pack')) jobs.push(async () => (await import('./lib/package.js')).packAndInstall());
  await parallel(jobs);
  const summary = await vitest();
  finish(summary, []);
}

function finish(summary: VitestSummary, failedSteps: string[]): void {
  if (summary.problems.length) console.error(`\n✖ failures outside tests:\n${summary.problems.map((p) => `  ${p}`).join('\n')}`);
  if (summary.failed > 0 || summary.problems.length > 0 || summary.passed === 0 || failedSteps.length > 0) {
    console.error(`\n✖ npm test failed`);
    process.exitCode = 1;
  }
  console.log(`▸ npm test took ${fmtMs(performance.now() - started)}`);
  // Last line of the run, on its own: CI reads it.
  console.log(`\n${summaryLine(summary, failedSteps)}`);
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(root, 'scripts', 'test.ts');
if (isEntry) {
  const { filters, projects } = selection(vitestArgs);
  if (filters.length || projects.length) main(() => part(filters, projects), { quiet: true });
  else main(whole, { quiet: true });
}

async function whole(): Promise<void> {
  const [{ buildSiteIfChanged }, { checkDrift }, { packAndInstall }] = await Promise.all([import('./generate.js'), import('./check-drift.js'), import('./lib/package.js')]);
  // Lint and the regeneration behind the drift check read the same sources and write nothing the
  // other reads: side by side. Both depend only on the files of the repository (outside test/,
  // bench/ and .changeset/) and the installed tools: when those have not changed since both last
  // passed, they pass again and are kept (`npm ci` forgets that, with node_modules/.cache).
  const inputs = await packageInputs();
  const passed = path.join(root, 'node_modules', '.cache', 'gate', 'lint-and-drift.sha256');
  if (inputs !== undefined && (await readFile(passed, 'utf8').catch(() => '')) === inputs) {
    await step('lint and drift check (inputs unchanged since they passed: kept)', async () => {});
  } else {
    await rm(passed, { force: true });
    await parallel([lint, checkDrift]);
    if (inputs !== undefined) {
      await mkdir(path.dirname(passed), { recursive: true });
      await writeFile(passed, inputs);
    }
  }
  // The tests need the docs site and the installed package; nothing needs the typecheck, which
  // runs beside them to fill the cores while the test files wait on their child processes.
  const failedSteps: string[] = [];
  // Incremental: tsc keeps what it found per file (by content) under node_modules/.cache, so a run
  // after a small change re-checks only what the change can affect; `npm ci` starts it afresh.
  const buildInfo = path.join(root, 'node_modules', '.cache', 'tsc', 'typecheck.tsbuildinfo');
  const typecheck = inBackground(() => step('typecheck (tsc)', () => runChecked('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo]))).catch((err: unknown) => {
    failedSteps.push('typecheck');
    report(err);
  });
  // The change-note gate reads git's view of the tree: after the drift check has put generated/ back.
  await parallel([buildSiteIfChanged, packAndInstall, changeNotes]).catch(async (err: unknown) => {
    await typecheck;
    throw err;
  });
  const summary = await vitest();
  await typecheck;
  finish(summary, failedSteps);
}

function report(err: unknown): void {
  console.error(`\n✖ ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof StepError && err.output) console.error(err.output);
}
