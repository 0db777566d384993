// The last line of `npm test` names what failed outside a test. A beforeAll that throws skips its
// tests and fails none of them, an afterAll assertion fails no test, a file that cannot load has no
// test at all: counts alone would read "0 failed"; a test that prints a fake key fails nothing
// either. Here vitest runs such fixture files with the summary reporter, and the line it leads to
// is checked.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { summaryLine, type VitestSummary } from '../setup/summary-reporter.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const dir = path.join(root, 'test-output', 'summary-reporter');
const summaryFile = path.join(dir, 'summary.json');

const FIXTURES: Record<string, string> = {
  'hook.test.ts': `import { afterAll, beforeAll, expect, it } from 'vitest';
let ran = 0;
beforeAll(() => { throw new Error('the browser did not start'); });
afterAll(() => { expect(ran).toBeGreaterThan(0); });
it('one', () => { ran++; });
it('two', () => { ran++; });
`,
  'load.test.ts': `import { it } from 'vitest';
throw new Error('cannot load this file');
it('never collected', () => {});
`,
  'fine.test.ts': `import { describe, expect, it } from 'vitest';
describe('fine', () => {
  it('passes', () => expect(1 + 1).toBe(2));
  it('fails', () => expect(1 + 1).toBe(3));
});
`,
  'leak.test.ts': `import { it } from 'vitest';
it('prints a key', () => { console.log('connected with pk_live_leakfixture0001'); });
`,
  'vitest.config.ts': `import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['*.test.ts'] } });
`,
};

let summary: VitestSummary;
let exitCode = 0;

beforeAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, source] of Object.entries(FIXTURES)) await writeFile(path.join(dir, name), source);
  const reporter = path.join(root, 'test', 'setup', 'summary-reporter.ts');
  exitCode = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', '--root', dir, `--reporter=${reporter}`], {
    cwd: dir,
    env: { ...process.env, VITEST_SUMMARY_FILE: summaryFile },
  }).then(
    () => 0,
    (err: { code?: number }) => err.code ?? -1,
  );
  summary = JSON.parse(await readFile(summaryFile, 'utf8')) as VitestSummary;
});

describe('the summary reporter and the last line of npm test', () => {
  it('counts the tests: a failed hook skips its tests, it does not fail them', () => {
    expect(exitCode).toBe(1);
    expect({ passed: summary.passed, failed: summary.failed, skipped: summary.skipped }).toEqual({ passed: 2, failed: 1, skipped: 2 });
  });

  it('names each failure outside a test with its file and error', () => {
    expect([...summary.problems].sort()).toEqual([
      'console output: holds the fake secret pk_live_…',
      'hook.test.ts: AssertionError: expected 0 to be greater than 0',
      'hook.test.ts: Error: the browser did not start',
      'load.test.ts: Error: cannot load this file',
    ]);
  });

  it('puts the files with such failures, and failed steps, on the last line', () => {
    expect(summaryLine(summary)).toBe('2 passed, 1 failed, 2 skipped, 4 failed outside tests (console output, hook.test.ts, load.test.ts)');
    expect(summaryLine({ passed: 5, failed: 0, skipped: 0, problems: [], durations: [] }, ['typecheck'])).toBe('5 passed, 0 failed; failed: typecheck');
    expect(summaryLine({ passed: 5, failed: 0, skipped: 0, problems: [], durations: [] })).toBe('5 passed, 0 failed');
  });
});
