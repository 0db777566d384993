// Which test file needs what: the vitest projects (vitest.config.ts) and the gate steps a run of
// some files waits for (scripts/test.ts). Paths are relative to the repository root, as vitest
// reports them. A file not named in a project below is a unit test. test/scripts/projects.test.ts
// checks these lists against what the files do (a file that injects the mock's URL is in a project
// that starts the mock, a file that reads the built site waits for it, and so on).

/** Vitest projects, by what their files need; each file is in exactly one. */
export type ProjectName = 'unit' | 'integration' | 'server' | 'browser';

export const PROJECTS: Record<Exclude<ProjectName, 'unit'>, readonly string[]> = {
  /**
   * The run's one Chromium (test/setup/browser.ts) and the mock: pages of the docs site, the Pages
   * artifact and the packed SDK in a browser.
   */
  browser: ['test/docs/site.test.ts', 'test/docs/site-pages.test.ts', 'test/docs/site-layout.test.ts', 'test/docs/pages.test.ts', 'test/package/package.test.ts'],
  /** The run's one mock (test/setup/mock.ts), its URL from `inject('mockUrl')`. */
  server: [
    'test/contract/contract.test.ts',
    'test/contract/mock-behaviour.test.ts',
    'test/docs/guides.test.ts',
    'test/docs/reference-docs.test.ts',
    'test/docs/samples.test.ts',
    'test/mcp/hardening.test.ts',
    'test/mcp/server.test.ts',
    'test/package/cli.test.ts',
    'test/package/runtimes.test.ts',
    'test/property/request-bodies.test.ts',
    'test/sdk/integrator.test.ts',
    'test/verify/verify.test.ts',
  ],
  /**
   * No shared server, but slower than a unit test: each runs the repository's commands or tools as
   * processes (Redocly, tsc, npm, git, vitest, the CLI, Prism or the sandbox of its own), or reads
   * what the gate builds (the docs site, the packed packages).
   */
  integration: [
    'test/ci/install.test.ts',
    'test/cli/webhooks.test.ts',
    'test/docs/crawl.test.ts',
    'test/docs/key-rotation.test.ts',
    'test/docs/llms.test.ts',
    'test/docs/typecheck.test.ts',
    'test/package/claims.test.ts',
    'test/package/sandbox.test.ts',
    'test/sandbox/contract.test.ts',
    'test/sandbox/data-file.test.ts',
    'test/sandbox/e2e.test.ts',
    'test/sandbox/robustness.test.ts',
    'test/scripts/maintainer-flow.test.ts',
    'test/scripts/mock-guard.test.ts',
    'test/scripts/npm-silent.test.ts',
    'test/scripts/package-cache.test.ts',
    'test/scripts/pages.test.ts',
    'test/scripts/start.test.ts',
    'test/scripts/summary-reporter.test.ts',
    'test/spec/diff.test.ts',
    'test/spec/lint-rules.test.ts',
  ],
};

/** Every test file: what vitest's `include` matches in each project. */
export const TEST_FILES = 'test/**/*.test.ts';

/** The project a file belongs to. */
export function projectOf(file: string): ProjectName {
  for (const [name, files] of Object.entries(PROJECTS)) if (files.includes(file)) return name as ProjectName;
  return 'unit';
}

/** Gate steps a file waits for, beyond `npm ci`: the docs site build, the packed and installed packages. */
export type Need = 'site' | 'pack';

export const NEEDS: Record<Need, (file: string) => boolean> = {
  /** generated/site (scripts/generate.ts buildSiteIfChanged). */
  site: (file) => ['test/docs/site.test.ts', 'test/docs/site-pages.test.ts', 'test/docs/site-layout.test.ts', 'test/docs/pages.test.ts', 'test/docs/crawl.test.ts', 'test/docs/llms.test.ts'].includes(file),
  /** test-output/package (scripts/lib/package.ts packAndInstall). */
  pack: (file) => file.startsWith('test/package/'),
};
