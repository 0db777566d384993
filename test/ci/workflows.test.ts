// The GitHub Actions workflows, checked here since they cannot run here: they parse, every action
// is pinned to a commit, every npm script they call exists, and each job holds only the permissions
// it needs. spec.yml gates pull requests; release.yml publishes a version tag; pages.yml publishes the
// docs site.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOCS_ASSET } from '../../scripts/pages/versions.js';
import { releaseTarget } from '../../scripts/release-target.js';
import { repoPackages } from '../../scripts/lib/workspaces.js';
import { root } from '../../scripts/lib/steps.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const dir = path.join(root, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string): { text: string; wf: Workflow; runs: string } => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const wf = parse(text) as Workflow;
  const runs = Object.values(wf.jobs)
    .flatMap((j) => j.steps)
    .map((s) => s.run ?? '')
    .join('\n');
  return { text, wf, runs };
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe.each(files)('.github/workflows/%s', (file) => {
  const { text, wf, runs } = read(file);

  it('parses, with jobs that all have steps', () => {
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
    for (const [name, job] of Object.entries(wf.jobs)) expect(job.steps.length, name).toBeGreaterThan(0);
  });

  it('pins every action to a full commit SHA with a version comment', () => {
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const [, ref, rest] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(rest).toMatch(/#\s*v\d+/);
    }
  });

  it('calls only npm scripts that exist in package.json', () => {
    const scripts = [...runs.matchAll(/npm run (?:-s )?(\w[\w:-]*)/g)].map((m) => m[1]!);
    for (const script of scripts) expect(pkg.scripts[script], script).toBeDefined();
  });

  it('never leaves the checkout token in the workspace', () => {
    const checkouts = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('actions/checkout@'));
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
  });
});

// pages.yml builds the docs only: spec.yml gates the same push to main, release.yml the release.
describe.each(files.filter((f) => f !== 'pages.yml'))('.github/workflows/%s, a gate', (file) => {
  const { runs } = read(file);

  it('runs the whole gate: npm ci, then npm test', () => {
    expect(runs).toMatch(/^npm ci\b/m);
    expect(runs).toMatch(/^\s*npm test$/m);
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.search(/^\s*npm test$/m));
  });
});

describe('the pull-request workflow (spec.yml)', () => {
  const { wf, runs } = read('spec.yml');
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);

  it('runs on pull requests with read-only permissions and cancels superseded runs', () => {
    expect(Object.keys(wf.on)).toContain('pull_request');
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.concurrency['cancel-in-progress']).toBe(true);
    expect(wf.concurrency.group).toMatch(/github\.(ref|event\.pull_request\.number)/);
  });

  it('leaves lint and drift to npm test (each checked once) and reports breaking changes and change notes in the job summary', () => {
    const scripts = [...runs.matchAll(/npm run (?:-s )?(\w[\w:-]*)/g)].map((m) => m[1]!);
    expect(new Set(scripts)).toEqual(new Set(['check:changes']));
    expect(runs).not.toMatch(/npm run generate|git status --porcelain/);
    expect(runs).toContain('GITHUB_STEP_SUMMARY');
  });

  it('uploads the docs site as an artifact and says in the job summary where to download it', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toBe('generated/site');
    const summary = steps.find((s) => (s.run ?? '').includes('GITHUB_STEP_SUMMARY'));
    expect(steps.indexOf(upload!)).toBeLessThan(steps.indexOf(summary!));
    expect(JSON.stringify(summary)).toContain(`steps.${upload!.id}.outputs.artifact-url`);
  });

  it('compares npm test\'s change-note gate with the pull request\'s base', () => {
    const gate = steps.find((s) => /^\s*npm test$/m.test(s.run ?? ''));
    expect(JSON.stringify(gate?.env)).toContain('github.base_ref');
  });
});

describe('the release workflow (release.yml)', () => {
  const { wf, runs } = read('release.yml');
  const jobs = Object.entries(wf.jobs);

  it("runs on package tags only (<package name>@<version>), each package's", async () => {
    expect(Object.keys(wf.on)).toEqual(['push']);
    const push = wf.on.push as { tags: string[]; branches?: unknown };
    expect(push.branches).toBeUndefined();
    expect(push.tags).toEqual(['@bullseye/*@[0-9]+.[0-9]+.[0-9]+', '@bullseye/*@[0-9]+.[0-9]+.[0-9]+-*']);
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    // Every package of the repository can be released by its tag, and only with its own version.
    for (const p of await repoPackages()) {
      expect(p.manifest.name).toMatch(/^@bullseye\//);
      const target = await releaseTarget(`${p.manifest.name}@${p.manifest.version}`);
      expect(target).toMatchObject({ name: p.manifest.name, version: p.manifest.version, dir: p.rel, tarball: p.tarball });
      await expect(releaseTarget(`${p.manifest.name}@99.0.0`)).rejects.toThrow(/names version 99\.0\.0, but .*package\.json has/);
    }
    await expect(releaseTarget('@bullseye/nothing@1.0.0')).rejects.toThrow(/no package of this repository is named @bullseye\/nothing/);
    await expect(releaseTarget('v1.0.0')).rejects.toThrow(/not a release tag/);
  });

  it('grants nothing by default, id-token only to the publish job and contents: write only to the release job', () => {
    expect(wf.permissions).toEqual({});
    for (const [name, job] of jobs) {
      const perms = job.permissions ?? {};
      expect(perms['id-token'] === 'write', name).toBe(name === 'publish');
      expect(perms.contents === 'write', name).toBe(name === 'github-release');
      for (const [scope, level] of Object.entries(perms)) {
        if (!(scope === 'id-token' && name === 'publish') && !(scope === 'contents' && name === 'github-release')) {
          expect(`${scope}: ${level}`, name).toBe(`${scope}: read`);
        }
      }
    }
  });

  it('publishes and releases only after the gate has passed', () => {
    expect(wf.jobs.gate!.steps.some((s) => /^\s*npm test$/m.test(s.run ?? ''))).toBe(true);
    expect(wf.jobs.publish!.needs).toBe('gate');
    expect(wf.jobs['github-release']!.needs).toBe('gate');
  });

  it('publishes the tested tarball of the tagged package with provenance', () => {
    const publish = wf.jobs.publish!.steps.map((s) => s.run ?? '').join('\n');
    expect(publish).toMatch(/npm publish "release\/assets\/\$\{TARBALL\}" --provenance\b/);
    expect(publish).toContain('sha256sum --check');
    expect(runs).toContain('npm run -s release-target -- "${GITHUB_REF_NAME}" >> "${GITHUB_OUTPUT}"');
    expect(runs).toContain('cp "test-output/package/${TARBALL}" release/assets/');
    // The tag is checked before the gate runs, and the gate (npm test) packs and tests every package.
    const gate = wf.jobs.gate!.steps.map((s) => s.run ?? '');
    expect(gate.findIndex((r) => r.includes('release-target'))).toBeLessThan(gate.findIndex((r) => /^\s*npm test$/m.test(r)));
  });

  it("attaches the tarball, and with the SDK's release the bundled spec and the docs site", () => {
    const collect = wf.jobs.gate!.steps.find((s) => s.name === 'Collect the release files')?.run ?? '';
    expect(collect).toContain('generated/openapi.json generated/openapi.yaml release/assets/');
    expect(collect).toMatch(/tar -czf "release\/assets\/bullseye-api-docs-\$\{VERSION\}\.tar\.gz" -C generated site/);
    expect(collect).toContain('"${CHANGELOG}"');
    expect(wf.jobs['github-release']!.steps.map((s) => s.run ?? '').join('\n')).toContain('gh release create "${GITHUB_REF_NAME}" release/assets/*');
  });
});

describe('the docs site workflow (pages.yml)', () => {
  const { wf, runs } = read('pages.yml');
  const build = wf.jobs.build!;
  const deploy = wf.jobs.deploy!;
  const buildRuns = build.steps.map((s) => s.run ?? '').join('\n');

  it('publishes on every push to main and after every successful SDK release, never two deploys at once', () => {
    const on = wf.on as { push: { branches: string[]; tags?: unknown }; workflow_run: { workflows: string[]; types: string[] } };
    expect(on.push.branches).toEqual(['main']);
    // The release's docs asset exists only once the release workflow has finished: run after it.
    expect(on.workflow_run.workflows).toEqual([(parse(readFileSync(path.join(dir, 'release.yml'), 'utf8')) as { name: string }).name]);
    expect(on.workflow_run.types).toEqual(['completed']);
    expect(build.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(build.if).toContain("startsWith(github.event.workflow_run.head_branch, '@bullseye/api@')");
    expect(wf.concurrency.group).toBe('pages');
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
  });

  it('grants nothing by default; only the deploy job may write Pages or request an OIDC token', () => {
    expect(wf.permissions).toEqual({});
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    for (const [name, job] of Object.entries(wf.jobs)) {
      if (name === 'deploy') continue;
      for (const [scope, level] of Object.entries(job.permissions ?? {})) expect(`${scope}: ${level}`, name).toBe(`${scope}: read`);
    }
    expect(deploy.needs).toBe('build');
    expect(deploy.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
  });

  it('builds only main, takes each release from the docs asset the release workflow attaches, and assembles with npm run pages:assemble', () => {
    const checkout = build.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.ref).toBe('${{ github.event.repository.default_branch }}');
    expect(buildRuns.indexOf('npm ci')).toBeLessThan(buildRuns.indexOf('npm run generate'));
    expect(buildRuns.indexOf('npm run generate')).toBeLessThan(buildRuns.indexOf('npm run pages:assemble'));
    expect(buildRuns).toMatch(/npm run pages:assemble -- --out "\$\{RUNNER_TEMP\}\/pages" --main generated\/site --releases "\$\{RUNNER_TEMP\}\/releases" --site-url /);
    // Downloaded, never rebuilt: no checkout of a tag, no build but main's.
    expect(buildRuns).toContain('gh release download "${tag}"');
    expect(buildRuns).not.toMatch(/git (checkout|switch|worktree)/);
    // The name downloaded is the name the release workflow attaches and the assembly reads.
    const pattern = /--pattern "(bullseye-api-docs-\$\{version\}\.tar\.gz)"/.exec(buildRuns)?.[1];
    expect(pattern).toBeDefined();
    expect(DOCS_ASSET.test(pattern!.replace('${version}', '1.2.3'))).toBe(true);
    expect(read('release.yml').runs).toContain('tar -czf "release/assets/bullseye-api-docs-${VERSION}.tar.gz" -C generated site');
  });

  it('uploads the assembled folder with its hidden .well-known folder', () => {
    const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload?.with?.path).toBe('${{ runner.temp }}/pages');
    expect(upload?.with?.['include-hidden-files']).toBe(true);
    expect(runs).not.toMatch(/npm test/);
  });
});
