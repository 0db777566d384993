// vitest reporter for measuring where a run's time goes: per file, vitest's own split (environment,
// prepare, import of the file and its modules = collect, setup files, tests) and wall time, written
// to test-output/vitest-timings.json (VITEST_TIMINGS_FILE overrides it) and printed slowest first.
// Opt in: `npx vitest run --reporter=default --reporter=./test/setup/timing-reporter.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTiming {
  file: string;
  project: string;
  tests: number;
  /** ms: vitest's diagnostic() fields for the file. */
  environment: number;
  prepare: number;
  collect: number;
  setup: number;
  duration: number;
}

export const TIMINGS_FILE = process.env.VITEST_TIMINGS_FILE ?? path.join(import.meta.dirname, '..', '..', 'test-output', 'vitest-timings.json');

export default class TimingReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows: FileTiming[] = modules.map((mod) => {
      const d = mod.diagnostic();
      return {
        file: mod.relativeModuleId,
        project: mod.project.name,
        tests: [...mod.children.allTests()].length,
        environment: Math.round(d.environmentSetupDuration),
        prepare: Math.round(d.prepareDuration),
        collect: Math.round(d.collectDuration),
        setup: Math.round(d.setupDuration),
        duration: Math.round(d.duration),
      };
    });
    rows.sort((a, b) => b.duration + b.collect - (a.duration + a.collect));
    mkdirSync(path.dirname(TIMINGS_FILE), { recursive: true });
    writeFileSync(TIMINGS_FILE, `${JSON.stringify(rows, null, 2)}\n`);
    const s = (ms: number): string => `${(ms / 1000).toFixed(1)}s`.padStart(7);
    console.log('\n   import   setup   tests  file');
    for (const r of rows) console.log(`${s(r.collect)} ${s(r.setup)} ${s(r.duration)}  ${r.file} (${r.tests})`);
  }
}
