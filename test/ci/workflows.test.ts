// The GitHub Actions workflows, checked here since they cannot run here: they parse, every action
// is pinned to a commit, every npm script they call exists, and each job holds only the permissions
// it needs. spec.yml gates pull requests; release.yml publishes a version tag.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tarballName } from '../../scripts/lib/package.js';
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

  it('runs the whole gate: npm ci, then npm test', () => {
    expect(runs).toMatch(/^npm ci\b/m);
    expect(runs).toMatch(/^\s*npm test$/m);
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.search(/^\s*npm test$/m));
  });

  it('never leaves the checkout token in the workspace', () => {
    const checkouts = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('actions/checkout@'));
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
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

  it('runs on version tags only', () => {
    expect(Object.keys(wf.on)).toEqual(['push']);
    const push = wf.on.push as { tags: string[]; branches?: unknown };
    expect(push.branches).toBeUndefined();
    expect(push.tags).toContain('v[0-9]+.[0-9]+.[0-9]+');
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
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

  it('publishes the tested tarball with provenance', () => {
    const publish = wf.jobs.publish!.steps.map((s) => s.run ?? '').join('\n');
    expect(publish).toMatch(/npm publish "release\/assets\/bullseye-api-\$\{VERSION\}\.tgz" --provenance\b/);
    expect(runs).toContain('cp "test-output/package/bullseye-api-${VERSION}.tgz" release/assets/');
  });

  it('attaches the tarball, the bundled spec and the docs site to the release', async () => {
    const collect = wf.jobs.gate!.steps.find((s) => s.name === 'Collect the release files')?.run ?? '';
    expect(collect).toContain('generated/openapi.json generated/openapi.yaml release/assets/');
    expect(collect).toMatch(/tar -czf "release\/assets\/bullseye-api-docs-\$\{VERSION\}\.tar\.gz" -C generated site/);
    expect(wf.jobs['github-release']!.steps.map((s) => s.run ?? '').join('\n')).toContain('gh release create "${GITHUB_REF_NAME}" release/assets/*');
    // The name npm pack gives the tarball is the one the workflow copies.
    expect(await tarballName()).toMatch(/^bullseye-api-\d+\.\d+\.\d+.*\.tgz$/);
  });
});
