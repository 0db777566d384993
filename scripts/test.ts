// npm test: spec lint, drift check, typecheck, package checks (build, publint, attw), then every
// vitest suite (contract, sdk, spec, docs).
// Ends with the plain line "N passed, N failed" so a run that executed no test is visible.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { bin, main, root, runChecked, step, StepError } from './lib/steps.js';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
}

const vitestArgs = process.argv.slice(2);

/**
 * The files `npm run generate` writes and the repository commits, with their content: generated/
 * (but not the built site; the SDK's operations table is in it). Compared before and after regenerating,
 * so the check judges the working tree (committed or not); on a clean clone that is what is committed.
 */
async function snapshotGenerated(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== 'generated/site') await walk(rel);
      } else files.set(rel, await readFile(path.join(root, rel), 'utf8'));
    }
  };
  await walk('generated');
  return files;
}

main(async () => {
  await step('lint (npm run lint)', () => runChecked('lint', 'npm', ['run', '-s', 'lint']));
  // Everything `npm run generate` writes that is committed (generated/site/ is not).
  await step('drift check (npm run generate; generated/ unchanged)', async () => {
    const before = await snapshotGenerated();
    await runChecked('generate', 'npm', ['run', '-s', 'generate']);
    const after = await snapshotGenerated();
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
    if (changed.length) {
      throw new StepError(
        'drift',
        'generated files did not match the spec: `npm run generate` has now rewritten them; review and commit the result',
        changed.map((f) => `  ${before.has(f) ? (after.has(f) ? 'changed' : 'removed') : 'added'}  ${f}`).join('\n'),
      );
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
