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
// Arguments are passed to vitest (e.g. `npm test -- test/sdk`).
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSiteIfChanged } from './generate.js';
import { checkDrift } from './check-drift.js';
import { packAndInstall } from './lib/package.js';
import { bin, fmtMs, inBackground, main, parallel, root, run, runChecked, step, StepError } from './lib/steps.js';
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

const started = performance.now();

main(async () => {
  // Lint and the regeneration behind the drift check read the same sources and write nothing the
  // other reads: side by side.
  await parallel([lint, checkDrift]);
  // The tests need the docs site and the installed package; nothing needs the typecheck, which
  // runs beside them to fill the cores while the test files wait on their child processes.
  const failedSteps: string[] = [];
  const typecheck = inBackground(() => step('typecheck (tsc)', () => runChecked('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']))).catch((err: unknown) => {
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

  if (summary.problems.length) console.error(`\n✖ failures outside tests:\n${summary.problems.map((p) => `  ${p}`).join('\n')}`);
  if (summary.failed > 0 || summary.problems.length > 0 || summary.passed === 0 || failedSteps.length > 0) {
    console.error(`\n✖ npm test failed`);
    process.exitCode = 1;
  }
  console.log(`▸ npm test took ${fmtMs(performance.now() - started)}`);
  // Last line of the run, on its own: CI reads it.
  console.log(`\n${summaryLine(summary, failedSteps)}`);
}, { quiet: true });

function report(err: unknown): void {
  console.error(`\n✖ ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof StepError && err.output) console.error(err.output);
}
