// npm test: spec lint, drift check, typecheck, package checks (build, publint, attw), then every
// vitest suite (contract, sdk, spec, docs).
// Ends with the plain line "N passed, N failed" so a run that executed no test is visible.
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { bin, main, root, run, runChecked, step, StepError } from './lib/steps.js';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
}

const vitestArgs = process.argv.slice(2);

main(async () => {
  await step('lint (npm run lint)', () => runChecked('lint', 'npm', ['run', '-s', 'lint']));
  // Everything `npm run generate` writes that is committed.
  const generatedFiles = ['generated/', 'src/core/operations.gen.ts'];
  await step('drift check (npm run generate; generated/ unchanged)', async () => {
    await runChecked('generate', 'npm', ['run', '-s', 'generate']);
    const r = await run('git', ['status', '--porcelain', '--', ...generatedFiles]);
    if (r.stdout.trim()) {
      const diff = await run('git', ['diff', '--stat', '--', ...generatedFiles]);
      throw new StepError('drift', 'generated/ is out of date: run `npm run generate` and commit the result', `${r.stdout}${diff.stdout}`);
    }
  });
  await step('typecheck (tsc)', () => runChecked('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
  await step('package (npm run check:package: build, publint, attw --pack)', () => runChecked('check:package', 'npm', ['run', '-s', 'check:package']));

  const out = path.join(root, 'test-output');
  await mkdir(out, { recursive: true });
  const jsonFile = path.join(out, 'vitest.json');
  console.log('▸ vitest run');
  const child = await import('node:child_process');
  const code = await new Promise<number>((resolve) => {
    const p = child.spawn(
      bin('vitest'),
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...vitestArgs],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
    );
    p.on('close', (c) => resolve(c ?? 1));
  });
  let summary: VitestJson | undefined;
  try {
    summary = JSON.parse(await readFile(jsonFile, 'utf8')) as VitestJson;
  } catch {
    throw new StepError('vitest', `vitest exited ${code} without writing its report`);
  }
  const skipped = summary.numPendingTests + summary.numTodoTests;
  const line = `${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
  if (code !== 0 || summary.numFailedTests > 0 || summary.numPassedTests === 0) {
    console.error(`\n✖ tests failed (vitest exit ${code})`);
    process.exitCode = 1;
  }
  // Last line of the run, on its own: CI reads it.
  console.log(`\n${line}`);
}, { quiet: true });
