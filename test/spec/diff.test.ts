// The breaking-change gate (scripts/diff.ts, `npm run diff -- <base-ref>`):
//  1. its policy on fixture pairs (test/spec/fixtures/diff/base.yaml vs rev-*.yaml): the level the
//     change note declares for `contract` must be at least the one redocly measures; info.version is
//     not part of a pull request any more (the fixtures' own version lines are ignored);
//  2. the command end to end in throw-away git repositories: no change exits 0, a removed operation
//     exits 1 with a markdown report unless a change note declares `contract: major`, an unknown
//     ref exits 2 with a readable message;
//  3. what it keeps in node_modules/.cache (bundles, reports) never answers for another tree: a
//     one-byte edit after a run is measured, and so is the byte put back.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSpecs, measureContract, parseArgs, versionBump, type DiffResult } from '../../scripts/diff.js';
import type { Level } from '../../scripts/lib/changes.js';
import { bin, root, run, type RunResult } from '../../scripts/lib/steps.js';

const fixtures = path.join(root, 'test', 'spec', 'fixtures', 'diff');
const base = path.join(fixtures, 'base.yaml');

interface Case {
  name: string;
  file: string;
  declared: Level;
  passes: boolean;
  measured: Level;
  /** redocly diff rule (or text) the report must name. */
  mentions: string;
  /** What the verdict must say. */
  says: RegExp;
}

const cases: Case[] = [
  { name: 'removed operation, no note', file: 'rev-remove-operation.yaml', declared: 'none', passes: false, measured: 'major', mentions: 'operation-removed', says: /keep the operation and mark it `deprecated: true`/ },
  { name: 'new required request field, minor note', file: 'rev-required-request-field.yaml', declared: 'minor', passes: false, measured: 'major', mentions: 'required-properties-added', says: /make the new request field or parameter optional/ },
  { name: 'narrowed enum', file: 'rev-narrowed-enum.yaml', declared: 'none', passes: false, measured: 'major', mentions: 'enum-values-removed', says: /declare `contract: major`/ },
  { name: 'changed type', file: 'rev-changed-type.yaml', declared: 'none', passes: false, measured: 'major', mentions: 'schema-type-changed', says: /add a new field with the new type beside it/ },
  { name: 'optional field, minor note', file: 'rev-added-optional-field.yaml', declared: 'minor', passes: true, measured: 'minor', mentions: 'properties/note', says: /✔ the changes need a minor contract release/ },
  { name: 'optional field, patch note', file: 'rev-added-optional-field.yaml', declared: 'patch', passes: false, measured: 'minor', mentions: 'properties/note', says: /need a minor contract release .* declares `contract: patch`: raise it to `contract: minor`/ },
  { name: 'new operation, minor note', file: 'rev-added-operation.yaml', declared: 'minor', passes: true, measured: 'minor', mentions: 'GET /things', says: /✔/ },
  { name: 'removed operation, major note', file: 'rev-remove-operation-major.yaml', declared: 'major', passes: true, measured: 'major', mentions: 'operation-removed', says: /✔ the changes need a major contract release/ },
  { name: 'new operation, no note', file: 'rev-added-operation-no-bump.yaml', declared: 'none', passes: false, measured: 'minor', mentions: 'GET /things', says: /no change note declares `contract`: add a change note that declares it: `npm run change -- contract:minor/ },
];

const results = new Map<string, DiffResult>();

describe('breaking-change policy on fixture pairs', () => {
  beforeAll(async () => {
    const out = await Promise.all(cases.map((c) => diffSpecs(base, path.join(fixtures, c.file), { declared: c.declared, declaredBy: c.declared === 'none' ? [] : ['.changeset/x.md'] })));
    cases.forEach((c, i) => results.set(c.name, out[i]!));
  }, 600_000);

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = results.get(c.name)!;
    expect(r.output).toContain(c.mentions);
    expect({ passed: r.passed, measured: r.measured }).toEqual({ passed: c.passes, measured: c.measured });
    expect(r.verdict.join('\n')).toMatch(c.says);
  });

  it('an addition is never told to be made backward compatible', () => {
    for (const c of cases.filter((x) => x.measured !== 'major')) expect(results.get(c.name)!.verdict.join('\n')).not.toMatch(/backward compatible|compatible route/i);
  });

  it('an unchanged spec passes without a note', async () => {
    const r = await diffSpecs(base, base);
    expect(r.passed).toBe(true);
    expect(r.measured).toBe('none');
    expect(r.output).toContain('0 major, 0 minor, 0 patch');
  });

  it('a release is judged by its info.version bump', () => {
    expect([versionBump('3.0.0', '4.0.0'), versionBump('3.0.0', '3.1.0'), versionBump('3.0.0', '3.0.1'), versionBump('3.0.0', '3.0.0'), versionBump('3.1.0', '3.0.9')]).toEqual(['major', 'minor', 'patch', 'none', 'none']);
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
  let acknowledged: RunResult;
  let unknownRef: RunResult;
  let reportFile: string;

  beforeAll(async () => {
    const removedRepo = repoWith('rev-remove-operation.yaml');
    reportFile = path.join(removedRepo, 'report', 'diff.md');
    const unchangedRepo = repoWith();
    const acknowledgedRepo = repoWith('rev-remove-operation.yaml');
    mkdirSync(path.join(acknowledgedRepo, '.changeset'));
    writeFileSync(path.join(acknowledgedRepo, '.changeset', 'remove-things.md'), '---\ncontract: major\n---\n\nDELETE /things/{thingId} is gone.\n');
    [unchanged, removed, acknowledged, unknownRef] = await Promise.all([
      runDiff(unchangedRepo, 'HEAD'),
      runDiff(removedRepo, 'HEAD', '--report', reportFile),
      runDiff(acknowledgedRepo, 'HEAD'),
      runDiff(unchangedRepo, 'no-such-branch'),
    ]);
  }, 600_000);

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
    expect(removed.stdout).toContain('Compatible route: keep the operation');
  });

  it('a change note declaring `contract: major` lets the break through', () => {
    expect(acknowledged.code, acknowledged.stdout + acknowledged.stderr).toBe(0);
    expect(acknowledged.stdout).toContain('.changeset/remove-things.md declares `contract: major`');
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

describe('bundles and reports kept by the cache (scripts/lib/cache.ts) are never stale', () => {
  it('one byte changed in the working tree after a run is measured, and so is the byte put back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spec-diff-cache-'));
    try {
      mkdirSync(path.join(dir, 'openapi'));
      const spec = path.join(dir, 'openapi', 'openapi.yaml');
      // A comment of its own: this spec is new to the cache, so the first run makes what the next ones may keep.
      const text = `# ${path.basename(dir)}\n${readFileSync(base, 'utf8')}`;
      writeFileSync(spec, text);
      execFileSync('git', ['init', '-q'], { cwd: dir });
      execFileSync('git', ['add', 'openapi'], { cwd: dir });
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'base'], { cwd: dir });
      const first = await measureContract(dir, 'HEAD');
      expect([first.measured, first.passed]).toEqual(['none', true]);
      // `red` becomes `rex`: one byte, a request enum value removed.
      writeFileSync(spec, text.replace('- red\n', '- rex\n'));
      const edited = await measureContract(dir, 'HEAD');
      expect([edited.measured, edited.passed]).toEqual(['major', false]);
      expect(edited.verdict.join('\n')).toMatch(/red/);
      writeFileSync(spec, text);
      const back = await measureContract(dir, 'HEAD');
      expect([back.measured, back.passed]).toEqual(['none', true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
