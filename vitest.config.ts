import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

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
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/mock.ts'],
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
