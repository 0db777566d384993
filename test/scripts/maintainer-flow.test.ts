// The spec maintainer's pull requests, played in scratch clones of this working tree (issue 23):
//   clone A: PR 1 adds an optional response field (scaffolded, sourced to a docs page), PR 2 adds an
//            operation with the scaffold (plus a schema and a designed field), then the release
//            step writes versions and changelogs from the two notes in one commit;
//   clone B: PR 1's field with a note declaring `patch`, PR 3 renames a response property (refused,
//            naming the property and the compatible route), and the planted mistakes: orphan
//            schema, path file missing from the index, duplicate operationId;
//   clone C: a hand-edited generated file.
// The three run side by side; B and C are local clones of A's first commit. In A, each pull
// request's gate runs on its committed branch (a worktree) while the next one goes on.
// node_modules is the repository's own, symlinked. The gate is the same scripts `npm test` runs
// (lint, check:drift, check:changes); the full `npm test` is not repeated inside.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, run, type RunResult } from '../../scripts/lib/steps.js';
import { specFileProblems } from '../../scripts/lib/spec-files.js';

// A script runs as `node --import tsx <script>`: what `npm run` starts (`tsx <script>`), without the
// tsx command's own Node process in front of it (a second Node start-up per script, ~0.4 s of CPU).
const tsx = (script: string, ...args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', script, ...args]];
const dirs: string[] = [];
// Every commit of the scratch repositories (the test's and the release step's) at one fixed time: the
// same tree is the same commit in every run, as a maintainer's branch stays the same commit between
// two runs of its gate, so what the scripts keep by commit (the diff gate's report names the base
// commit) is found again by the next run.
const SAME_TIME = { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };

async function git(dir: string, ...args: string[]): Promise<string> {
  const r = await run('git', ['-c', 'user.name=Maintainer', '-c', 'user.email=maintainer@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: SAME_TIME });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A change note waiting for the next release (not the folder's README). */
const isPendingNote = (f: string): boolean => /^\.changeset\/(?!README\.md$)[^/]+\.md$/.test(f);

/**
 * A git repository holding this working tree's files (tracked and new, not ignored) on `main`, as
 * just released: notes already waiting in this tree belong to its next release, not to the pull
 * requests played here, so they are left out and the release step sees exactly those.
 */
async function scratchClone(name: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), `maintainer-${name}-`));
  dirs.push(dir);
  const files = (await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(path.join(root, f))) continue; // deleted in the working tree
    if (isPendingNote(f)) continue;
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(dir, f));
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** Another scratch repository with `source`'s commits (objects hardlinked: nothing is copied or hashed again). */
async function localClone(source: string, name: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), `maintainer-${name}-`));
  dirs.push(dir);
  await git(tmpdir(), 'clone', '-q', '--local', source, dir);
  // The base commit holds scratchClone's node_modules link (`node_modules/` in .gitignore matches directories only).
  if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs one of the scratch repository's scripts, as `npm run` would, against `base` (default `main`). */
const scriptAgainst = (base: string, dir: string, name: string, ...args: string[]): Promise<RunResult> =>
  run(...tsx(path.join(dir, 'scripts', `${name}.ts`), ...args), { cwd: dir, env: { CHANGES_BASE: base, GITHUB_ACTIONS: '', GITHUB_BASE_REF: '', ...SAME_TIME } });
const script = (dir: string, name: string, ...args: string[]): Promise<RunResult> => scriptAgainst('main', dir, name, ...args);

/**
 * A pull request's branch, committed, checked out in a worktree of its own: its gate runs there
 * against the commit it started from, while the next pull request goes on in the main checkout.
 */
async function checkoutOf(dir: string, branch: string): Promise<string> {
  const tree = `${dir}-${branch}`;
  dirs.push(tree);
  await git(dir, 'worktree', 'add', '-q', '--detach', tree, branch);
  return tree;
}

/** `npm run generate` without the docs site (which the gate does not need here). */
async function generate(dir: string): Promise<void> {
  const driver = path.join(mkdtempSync(path.join(tmpdir(), 'maintainer-gen-')), 'gen.mts');
  dirs.push(path.dirname(driver));
  writeFileSync(driver, `import { generate } from ${JSON.stringify(path.join(dir, 'scripts', 'generate.ts'))};\nawait generate({ lint: false });\n`);
  const r = await run(...tsx(driver), { cwd: dir });
  if (r.code !== 0) throw new Error(`generate failed:\n${r.stdout}\n${r.stderr}`);
}

const must = (r: RunResult, what: string): RunResult => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
};

const status = async (dir: string): Promise<string[]> =>
  (await git(dir, 'status', '--porcelain', '--untracked-files=all')).split('\n').filter(Boolean).map((l) => l.slice(3));

/** PR 1's field, and its changelog line. */
const FIELD = ['PartnerOrganization.usageCount', 'integer', '--docs', 'partner-api/organizations.md'];
const FIELD_NOTE = 'Organizations report `usageCount`.';

interface FlowA {
  fieldFiles: string[];
  fieldGate: RunResult;
  operationScaffold: RunResult;
  operationFiles: string[];
  operationLint: RunResult;
  operationGate: RunResult;
  release: RunResult;
  releaseCommit: string;
  releasedFiles: string[];
  dir: string;
}

interface FlowB {
  patchNoteGate: RunResult;
  rename: RunResult;
  planted: ReturnType<typeof specFileProblems>;
}

interface FlowC {
  drift: RunResult;
  driftedAfter: string;
  driftedBefore: string;
}

async function flowA(dir: string): Promise<FlowA> {
  const out = { dir } as FlowA;

  // PR 1: an optional response field (the same field with a `patch` note is tried in clone B).
  await git(dir, 'checkout', '-q', '-b', 'field');
  must(await script(dir, 'new', 'field', ...FIELD), 'new field');
  await Promise.all([generate(dir), script(dir, 'change', 'contract:minor', '@bullseye/api:minor', '-m', FIELD_NOTE).then((r) => must(r, 'change'))]);
  out.fieldFiles = await status(dir);
  const base = (await git(dir, 'rev-parse', 'main')).trim();
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'Organizations report usageCount');
  const fieldTree = await checkoutOf(dir, 'field');
  const fieldGate = scriptAgainst(base, fieldTree, 'check-changes');
  await git(dir, 'checkout', '-q', 'main');
  await git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge field', 'field');

  // PR 2: an operation, with the scaffold (and a schema and a designed field in it).
  await git(dir, 'checkout', '-q', '-b', 'operation');
  out.operationScaffold = must(await script(dir, 'new', 'operation', 'GET', '/partner/organizations/{organizationId}/usage'), 'new operation');
  must(await script(dir, 'new', 'schema', 'PartnerUsagePeriod', '--in', 'PartnerOrganizationUsageResponse.period'), 'new schema');
  must(await script(dir, 'new', 'field', 'PartnerUsagePeriod.credits', 'integer', '--designed'), 'new field --designed');
  await Promise.all([
    generate(dir),
    script(dir, 'change', 'contract:minor', '@bullseye/api:minor', '-m', 'GET /partner/organizations/{organizationId}/usage: one organization\'s usage.').then((r) => must(r, 'change')),
  ]);
  out.operationFiles = await status(dir);
  const afterField = (await git(dir, 'rev-parse', 'main')).trim();
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'Usage of one organization');
  const operationTree = await checkoutOf(dir, 'operation');
  const operationChecks = Promise.all([script(operationTree, 'lint'), scriptAgainst(afterField, operationTree, 'check-changes')]);
  await git(dir, 'checkout', '-q', 'main');
  await git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge operation', 'operation');

  // The release.
  out.release = await script(dir, 'release-version');
  out.fieldGate = await fieldGate;
  [out.operationLint, out.operationGate] = await operationChecks;
  out.releaseCommit = await git(dir, 'log', '-1', '--format=%s');
  out.releasedFiles = (await git(dir, 'show', '--name-only', '--format=', 'HEAD')).split('\n').filter(Boolean);
  return out;
}

async function flowB(dir: string): Promise<FlowB> {
  const out = {} as FlowB;

  // PR 1's field with a note that calls it a patch (the gate needs no generated files for this).
  await git(dir, 'checkout', '-q', '-b', 'field-patch');
  must(await script(dir, 'new', 'field', ...FIELD), 'new field');
  must(await script(dir, 'change', 'contract:patch', '@bullseye/api:patch', '-m', FIELD_NOTE), 'change');
  out.patchNoteGate = await script(dir, 'check-changes');
  await git(dir, 'checkout', '-q', '--', '.');
  await git(dir, 'clean', '-q', '-f', '--', '.changeset', 'openapi');
  await git(dir, 'checkout', '-q', 'main');

  // PR 3: a breaking rename, with a note that calls it a minor change.
  await git(dir, 'checkout', '-q', '-b', 'rename');
  const partner = path.join(dir, 'openapi/components/schemas/partner/Partner.yaml');
  writeFileSync(partner, readFileSync(partner, 'utf8').replace(/^( {2}- )companyName$/m, '$1company').replace(/^( {2})companyName:/m, '$1company:'));
  mkdirSync(path.join(dir, '.changeset'), { recursive: true });
  writeFileSync(path.join(dir, '.changeset', 'rename-company.md'), '---\ncontract: minor\n---\n\n`companyName` is now `company`.\n');
  out.rename = await script(dir, 'check-changes');
  await git(dir, 'checkout', '-q', '--', '.');
  rmSync(path.join(dir, '.changeset', 'rename-company.md'));

  // Planted mistakes in openapi/.
  writeFileSync(path.join(dir, 'openapi/components/schemas/partner/PartnerForgotten.yaml'), 'title: PartnerForgotten\ntype: object\n');
  cpSync(path.join(dir, 'openapi/paths/partner/partner_usage.yaml'), path.join(dir, 'openapi/paths/partner/partner_usage_daily.yaml'));
  const branding = path.join(dir, 'openapi/paths/partner/partner_branding.yaml');
  writeFileSync(branding, readFileSync(branding, 'utf8').replace(/operationId: updatePartnerBranding/, 'operationId: getPartner'));
  out.planted = specFileProblems(dir);
  await git(dir, 'checkout', '-q', '--', '.');
  await git(dir, 'clean', '-q', '-f', '--', 'openapi');
  return out;
}

/** A hand edit of a generated file (in a clone of its own: the drift check rewrites generated/ while it runs). */
async function flowC(dir: string): Promise<FlowC> {
  const bundled = path.join(dir, 'generated/openapi.json');
  const driftedBefore = readFileSync(bundled, 'utf8').replace('"title": ', '"title":  ');
  writeFileSync(bundled, driftedBefore);
  const drift = await script(dir, 'check-drift');
  return { drift, driftedBefore, driftedAfter: readFileSync(bundled, 'utf8') };
}

let a: FlowA;
let b: FlowB;
let c: FlowC;

// Three independent scratch repositories, played side by side.
beforeAll(async () => {
  const first = await scratchClone('a');
  const [second, third] = await Promise.all([localClone(first, 'b'), localClone(first, 'c')]);
  [a, b, c] = await Promise.all([flowA(first), flowB(second), flowC(third)]);
}, 900_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('PR 1: an optional response field', () => {
  it('touches only spec files, generated files and one change note', () => {
    const notes = a.fieldFiles.filter((f) => f.startsWith('.changeset/'));
    expect(notes).toHaveLength(1);
    expect(a.fieldFiles.filter((f) => !/^(openapi\/components\/|generated\/|\.changeset\/)/.test(f))).toEqual([]);
    expect(a.fieldFiles).toContain('openapi/components/schemas/partner/PartnerOrganization.yaml');
  });

  it('passes the gate without any version or changelog edit', () => {
    expect(a.fieldGate.code, a.fieldGate.stdout + a.fieldGate.stderr).toBe(0);
    expect(a.fieldGate.stdout).toContain('✔ change-note gate passed');
    expect(a.fieldFiles.filter((f) => /CHANGELOG|package\.json|openapi\/openapi\.yaml|src\/version/.test(f))).toEqual([]);
  });

  it('a note declaring `patch` for a minor change fails, saying what to write', () => {
    expect(b.patchNoteGate.code).toBe(1);
    expect(b.patchNoteGate.stderr).toMatch(/the changes need a minor contract release .*declares `contract: patch`: raise it to `contract: minor` in \.changeset\/\S+\.md/);
    expect(b.patchNoteGate.stderr).not.toMatch(/backward compatible/i);
  });
});

describe('PR 2: an operation with the scaffold', () => {
  it('writes the path file, index entry, schema, provenance with a DECISIONS stub and the contract case', () => {
    for (const f of [
      'openapi/paths/partner/partner_organizations_@organizationId_usage.yaml',
      'openapi/components/schemas/partner/PartnerOrganizationUsageResponse.yaml',
      'openapi/components/schemas/partner/PartnerUsagePeriod.yaml',
      'openapi/openapi.yaml',
      'openapi/DECISIONS.md',
      'test/contract/cases/partner.ts',
    ]) expect(a.operationFiles).toContain(f);
    const pathFile = readFileSync(path.join(a.dir, 'openapi/paths/partner/partner_organizations_@organizationId_usage.yaml'), 'utf8');
    expect(pathFile).toMatch(/operationId: getPartnerOrganizationUsage/);
    expect(pathFile).toMatch(/x-provenance-decision: P-D\d+/);
    for (const s of ['PartnerBadRequest', 'PartnerUnauthorized', 'PartnerForbidden', 'PartnerNotFound', 'PartnerTooManyRequests', 'PartnerInternalError']) expect(pathFile).toContain(`${s}.yaml`);
    expect(readFileSync(path.join(a.dir, 'test/contract/cases/partner.ts'), 'utf8')).toContain("getPartnerOrganizationUsage: {\n    call: (c) => c.GET('/partner/organizations/{organizationId}/usage'");
    expect(readFileSync(path.join(a.dir, 'generated/operations.ts'), 'utf8')).toContain('getPartnerOrganizationUsage');
  });

  it('lints (Redocly and the spec-files checks) and passes the change-note gate', () => {
    expect(a.operationLint.code, a.operationLint.stdout + a.operationLint.stderr).toBe(0);
    expect(a.operationGate.code, a.operationGate.stdout + a.operationGate.stderr).toBe(0);
  });
});

describe('PR 3: a breaking rename', () => {
  it('is refused, naming the property and the compatible route', () => {
    expect(b.rename.code).toBe(1);
    expect(b.rename.stderr).toContain('breaking change for integrators');
    expect(b.rename.stderr).toMatch(/Property `companyName` .*renamed to `company`/);
    expect(b.rename.stderr).toContain('Compatible route: keep `companyName` and add the new property beside it; mark `companyName` `deprecated: true`');
    expect(b.rename.stderr).toContain('declare `contract: major`');
  });
});

describe('planted mistakes', () => {
  const find = (rule: string) => b.planted.filter((p) => p.rule === rule);

  it('an orphan schema is an error that says to reference or delete it', () => {
    expect(find('spec-files/orphan').map((p) => p.file)).toEqual(['openapi/components/schemas/partner/PartnerForgotten.yaml']);
    expect(find('spec-files/orphan')[0]!.message).toMatch(/referenced from nowhere.*reference it with `\$ref`.*or delete the file/);
  });

  it('a path file missing from the index is an error giving the index entry to add', () => {
    expect(find('spec-files/path-not-indexed').map((p) => p.message)).toEqual([
      expect.stringContaining('add `/partner/usage/daily: { $ref: paths/partner/partner_usage_daily.yaml }` under `paths:` in openapi/openapi.yaml'),
    ]);
  });

  it('a duplicate operationId names the id and both places', () => {
    const dup = find('spec-files/operation-id-duplicate');
    expect(dup.map((p) => p.file).sort()).toEqual(['openapi/paths/partner/partner_branding.yaml', 'openapi/paths/partner/partner_me.yaml']);
    expect(dup[0]!.message).toMatch(/operationId `getPartner` is used twice: openapi\/paths\/partner\/partner_\w+\.yaml:\d+ \(\w+\) and openapi\/paths\/partner\/partner_\w+\.yaml:\d+ \(\w+\)/);
  });

  it('a hand-edited generated file fails the drift check, named, with the fix, and is not silently repaired', () => {
    expect(c.drift.code).toBe(1);
    expect(c.drift.stderr).toContain('generated/openapi.json');
    expect(c.drift.stderr).toContain('edit `openapi/` and run `npm run generate`');
    expect(c.driftedAfter).toBe(c.driftedBefore);
  });
});

describe('the release step', () => {
  // The contract version the scratch copies start from, and the minor release their notes ask for.
  const current = /^info:\n(?:\s.*\n)*?\s+version: (\d+)\.(\d+)\.(\d+)$/m.exec(readFileSync(path.join(root, 'openapi/openapi.yaml'), 'utf8'))!;
  const from = `${current[1]}.${current[2]}.${current[3]}`;
  const next = `${current[1]}.${Number(current[2]) + 1}.0`;
  const re = (v: string): string => v.replace(/\./g, '\\.');

  it('writes versions and changelogs from the notes in one commit', () => {
    expect(a.release.code, a.release.stdout + a.release.stderr).toBe(0);
    expect(a.releaseCommit).toMatch(/^Release: /);
    const spec = readFileSync(path.join(a.dir, 'openapi/openapi.yaml'), 'utf8');
    expect(spec).toMatch(new RegExp(`^info:\\n(?:\\s.*\\n)*?\\s+version: ${re(next)}$`, 'm'));
    const pkg = JSON.parse(readFileSync(path.join(a.dir, 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe('0.2.0');
    expect(readFileSync(path.join(a.dir, 'src/version.ts'), 'utf8')).toContain("SDK_VERSION = '0.2.0'");
    expect(readFileSync(path.join(a.dir, 'generated/operations.ts'), 'utf8')).toMatch(new RegExp(`API_VERSION = ["']${re(next)}["']`));
    const contractLog = readFileSync(path.join(a.dir, 'openapi/CHANGELOG.md'), 'utf8');
    expect(contractLog).toMatch(new RegExp(`\\n## ${re(next)}\\n\\nAdded:\\n- (Organizations report \`usageCount\`\\.|GET /partner)[^\\n]*\\n- [^\\n]+\\n\\n## ${re(from)}\\n`));
    const sdkLog = readFileSync(path.join(a.dir, 'CHANGELOG.md'), 'utf8');
    expect(sdkLog).toMatch(new RegExp(`\\n## 0\\.2\\.0 \\(API contract ${re(next)}\\)\\n\\nAdded:\\n- [^\\n]+\\n- [^\\n]+\\n\\n## 0\\.1\\.0 \\(API contract ${re(from)}\\)\\n`));
    expect(readdirSync(path.join(a.dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
    for (const f of ['openapi/openapi.yaml', 'openapi/CHANGELOG.md', 'package.json', 'CHANGELOG.md', 'src/version.ts', 'generated/operations.ts']) expect(a.releasedFiles).toContain(f);
  });
});
