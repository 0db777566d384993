import { availableParallelism } from 'node:os';
import path from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { PROJECTS, TEST_FILES } from './test/projects.js';

const src = (file: string): string => path.join(import.meta.dirname, 'src', file);

export default defineConfig({
  // The workspaces (packages/*) import the SDK by its package name: in tests that is the sources, as
  // tsconfig.json's `paths` says; test/package/ checks the packed tarballs instead.
  resolve: {
    alias: [
      { find: /^@bullseye\/api$/, replacement: src('index.ts') },
      { find: /^@bullseye\/api\/spec$/, replacement: src('openapi-document.ts') },
      { find: /^@bullseye\/api\/testing$/, replacement: src('testing/index.ts') },
      { find: /^@bullseye\/sandbox$/, replacement: path.join(import.meta.dirname, 'packages', 'sandbox', 'src', 'index.ts') },
    ],
  },
  test: {
    // By what a file needs (test/projects.ts): `vitest run --project unit` (npm run test:unit) starts
    // no server; the server and browser projects share one mock, started for the run, and the browser
    // project one Chromium.
    projects: [
      // Unit files run in threads that keep their modules from one file to the next (no isolation):
      // the SDK, the spec and its validators are loaded once per thread, not once per file, which
      // takes the project from about 60 s of CPU to about 25 s. They change no global state they do
      // not restore (test/scripts/projects.test.ts: no child process, no server of the run).
      {
        extends: true,
        test: { name: 'unit', include: [TEST_FILES], exclude: [...configDefaults.exclude, ...Object.values(PROJECTS).flat()], pool: 'threads', isolate: false },
      },
      { extends: true, test: { name: 'integration', include: [...PROJECTS.integration] } },
      { extends: true, test: { name: 'server', include: [...PROJECTS.server], globalSetup: ['test/setup/mock.ts'] } },
      { extends: true, test: { name: 'browser', include: [...PROJECTS.browser], globalSetup: ['test/setup/mock.ts', 'test/setup/browser.ts'] } },
    ],
    // Most suites spend their time waiting on other processes (the mock, tsc, Redocly, Chromium,
    // npm): one worker more than there are cores keeps every core busy. Vitest's default (cores - 1)
    // runs the files one at a time on a 2-core machine.
    maxWorkers: availableParallelism() + 1,
    // Sized for a loaded 2-core machine (several test files and other work at once): a deadline is
    // there to end a hung test, not to measure speed (budgets live in `npm run bench`).
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
