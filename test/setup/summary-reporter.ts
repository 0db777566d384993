// vitest reporter behind the last line of `npm test`: counts the tests and names every failure that
// is not a test's own (a hook, a suite or a file that failed to load, an unhandled error), which a
// count of failed tests alone would hide: a beforeAll that throws skips its tests and fails nothing.
// It writes test-output/vitest-summary.json, which scripts/test.ts reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UserConsoleLog } from 'vitest';
import type { Reporter, SerializedError, TestModule, TestSuite } from 'vitest/node';
import { fakeSecrets, hint, secretsIn } from './secret-scan.js';

export interface VitestSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** Failures outside tests, each `<file>[ > <suite>]: <first line of the error>`. */
  problems: string[];
  /** Wall time of each test file (ms), slowest first. */
  durations: { file: string; ms: number }[];
}

/** Where the summary goes (VITEST_SUMMARY_FILE overrides it, for the reporter's own test). */
export const SUMMARY_FILE = process.env.VITEST_SUMMARY_FILE ?? path.join(import.meta.dirname, '..', '..', 'test-output', 'vitest-summary.json');

/**
 * The last line of `npm test`: the counts, then every file with a failure outside its tests and
 * every failed step, e.g. `1232 passed, 0 failed, 6 skipped, 2 failed outside tests (test/docs/site.test.ts)`.
 */
export function summaryLine(summary: VitestSummary, failedSteps: string[] = []): string {
  const counts = `${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`;
  const files = [...new Set(summary.problems.map((p) => p.split(/: | > /)[0]))].sort();
  const outside = summary.problems.length ? `, ${summary.problems.length} failed outside tests (${files.join(', ')})` : '';
  return `${counts}${outside}${failedSteps.length ? `; failed: ${failedSteps.join(', ')}` : ''}`;
}

const firstLine = (e: SerializedError): string => `${e.name ?? 'Error'}: ${String(e.message ?? '').split('\n')[0]}`;

export default class SummaryReporter implements Reporter {
  // No test output may hold a key or a secret the tests use (test/setup/secret-scan.ts).
  private readonly secrets = fakeSecrets();
  private readonly leaks: string[] = [];

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const s of secretsIn(log.content, this.secrets)) this.leaks.push(`console output: holds the fake secret ${hint(s)}`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const summary: VitestSummary = { passed: 0, failed: 0, skipped: 0, problems: [...new Set(this.leaks)], durations: [] };
    for (const mod of modules) {
      const file = mod.relativeModuleId;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        // A failure message is output too (it can quote an error that holds a key).
        for (const e of test.result().errors ?? []) {
          for (const s of secretsIn(`${e.message ?? ''}\n${e.stack ?? ''}`, this.secrets)) summary.problems.push(`${file} > ${test.fullName}: the failure message holds the fake secret ${hint(s)}`);
        }
        if (state === 'passed') summary.passed++;
        else if (state === 'failed') summary.failed++;
        else summary.skipped++;
      }
      // Errors of a suite or file: its hooks (beforeAll, afterAll) and what failed while loading it.
      const where = (suite: TestSuite | TestModule): string => (suite.type === 'module' ? file : `${file} > ${suite.fullName}`);
      for (const suite of [mod, ...mod.children.allSuites()]) {
        for (const e of suite.errors()) summary.problems.push(`${where(suite)}: ${firstLine(e)}`);
      }
      // A file can fail with no error attached to a suite (e.g. it was cut short): name it anyway.
      if (mod.state() === 'failed' && !summary.problems.some((p) => p.startsWith(file)) && ![...mod.children.allTests('failed')].length) {
        summary.problems.push(`${file}: failed outside its tests`);
      }
      summary.durations.push({ file, ms: Math.round(mod.diagnostic().duration) });
    }
    for (const e of unhandled) summary.problems.push(`unhandled: ${firstLine(e)}`);
    summary.durations.sort((a, b) => b.ms - a.ms);
    mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
    writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  }
}
