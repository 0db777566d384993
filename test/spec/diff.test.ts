// The breaking-change gate (scripts/diff.ts, `npm run diff -- <base-ref>`):
//  1. its policy on fixture pairs (test/spec/fixtures/diff/base.yaml vs rev-*.yaml): breaking
//     changes fail unless info.version gets a major bump; additions pass with the minor bump that
//     `--check-version` asks for;
//  2. the command end to end in throw-away git repositories: no change exits 0, a removed operation
//     exits 1 with a markdown report, an unknown ref exits 2 with a readable message.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSpecs, parseArgs, type DiffResult } from '../../scripts/diff.js';
import { bin, root, run, type RunResult } from '../../scripts/lib/steps.js';

const fixtures = path.join(root, 'test', 'spec', 'fixtures', 'diff');
const base = path.join(fixtures, 'base.yaml');

interface Case {
  file: string;
  passes: boolean;
  /** redocly diff rule (or text) the report must name. */
  mentions: string;
}

const cases: Case[] = [
  { file: 'rev-remove-operation.yaml', passes: false, mentions: 'operation-removed' },
  { file: 'rev-required-request-field.yaml', passes: false, mentions: 'required-properties-added' },
  { file: 'rev-narrowed-enum.yaml', passes: false, mentions: 'enum-values-removed' },
  { file: 'rev-changed-type.yaml', passes: false, mentions: 'schema-type-changed' },
  { file: 'rev-added-optional-field.yaml', passes: true, mentions: 'properties/note' },
  { file: 'rev-added-operation.yaml', passes: true, mentions: 'GET /things' },
  { file: 'rev-remove-operation-major.yaml', passes: true, mentions: 'operation-removed' },
  { file: 'rev-added-operation-no-bump.yaml', passes: false, mentions: 'require a minor bump' },
];

const results = new Map<string, DiffResult>();

describe('breaking-change policy on fixture pairs', () => {
  beforeAll(async () => {
    const out = await Promise.all(cases.map((c) => diffSpecs(base, path.join(fixtures, c.file))));
    cases.forEach((c, i) => results.set(c.file, out[i]!));
  }, 60_000);

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const r = results.get(c.file)!;
    expect(r.output).toContain(c.mentions);
    expect({ passed: r.passed, exitNonZero: r.code !== 0 }).toEqual({ passed: c.passes, exitNonZero: !c.passes });
  });

  it('a breaking change passes only with a major info.version bump', () => {
    const unbumped = results.get('rev-remove-operation.yaml')!;
    const bumped = results.get('rev-remove-operation-major.yaml')!;
    expect(unbumped).toMatchObject({ passed: false, majorBump: false, failOn: 'major' });
    expect(unbumped.output).toMatch(/require a major bump \(2\.0\.0\)/);
    expect(bumped).toMatchObject({ passed: true, majorBump: true, failOn: 'none', baseVersion: '1.0.0', revisionVersion: '2.0.0' });
  });

  it('an unchanged spec passes', async () => {
    const r = await diffSpecs(base, base);
    expect(r.passed).toBe(true);
    expect(r.output).toContain('0 major, 0 minor, 0 patch');
  });
});

describe('argument parsing', () => {
  it('reads the ref, --report and --format', () => {
    expect(parseArgs(['origin/main', '--report', 'out.md', '--format=github-actions'])).toEqual({
      baseRef: 'origin/main',
      reportFile: 'out.md',
      format: 'github-actions',
    });
  });
  it('rejects a missing ref, an unknown option and an unknown format', () => {
    expect(() => parseArgs([])).toThrow(/missing <base-ref>/);
    expect(() => parseArgs(['HEAD', '--nope'])).toThrow(/unknown option --nope/);
    expect(() => parseArgs(['HEAD', '--format', 'xml'])).toThrow(/--format must be one of/);
  });
});

describe('npm run diff end to end (throw-away git repositories)', () => {
  const dirs: string[] = [];

  /** A git repo whose HEAD holds base.yaml as openapi/openapi.yaml; `revision` replaces it in the working tree. */
  function repoWith(revision?: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'spec-diff-test-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'openapi'));
    copyFileSync(base, path.join(dir, 'openapi', 'openapi.yaml'));
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
    };
    git('init', '-q');
    git('add', 'openapi');
    git('commit', '-q', '-m', 'base');
    if (revision) copyFileSync(path.join(fixtures, revision), path.join(dir, 'openapi', 'openapi.yaml'));
    return dir;
  }

  const runDiff = (cwd: string, ...args: string[]): Promise<RunResult> => run(bin('tsx'), [path.join(root, 'scripts', 'diff.ts'), ...args], { cwd });

  let unchanged: RunResult;
  let removed: RunResult;
  let unknownRef: RunResult;
  let reportFile: string;

  beforeAll(async () => {
    const removedRepo = repoWith('rev-remove-operation.yaml');
    reportFile = path.join(removedRepo, 'report', 'diff.md');
    const unchangedRepo = repoWith();
    [unchanged, removed, unknownRef] = await Promise.all([
      runDiff(unchangedRepo, 'HEAD'),
      runDiff(removedRepo, 'HEAD', '--report', reportFile),
      runDiff(unchangedRepo, 'no-such-branch'),
    ]);
  }, 60_000);

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('no change exits 0', () => {
    expect(unchanged.code, unchanged.stdout + unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toContain('✔ breaking-change gate passed');
  });

  it('a removed operation exits non-zero and explains why', () => {
    expect(removed.code).toBe(1);
    expect(removed.stdout).toContain('Operation `DELETE /things/{thingId}` was removed');
    expect(removed.stdout).toContain('✖ breaking-change gate failed');
  });

  it('writes a markdown report with the verdict for the job summary', () => {
    const md = readFileSync(reportFile, 'utf8');
    expect(md).toMatch(/^## API diff: openapi@[0-9a-f]{12}\.yaml → openapi@working-tree\.yaml/);
    expect(md).toContain('| 🔴 major | removed |');
    expect(md).toContain('**Breaking-change gate: failed.**');
  });

  it('an unknown ref is a readable usage error (exit 2)', () => {
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain('unknown git ref "no-such-branch"');
    expect(unknownRef.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('the working tree is left untouched', () => {
    // The gate reads the base with `git archive`; the revision file in the repo is still the revision.
    const dir = path.dirname(path.dirname(reportFile));
    expect(readFileSync(path.join(dir, 'openapi', 'openapi.yaml'), 'utf8')).toBe(readFileSync(path.join(fixtures, 'rev-remove-operation.yaml'), 'utf8'));
  });
});
