// npm run diff -- <base-ref> [--report <file.md>] [--format <stylish|markdown|github-actions|json>]
//
// Breaking-change gate. Bundles the spec (openapi/openapi.yaml) as it is where this branch left
// <base-ref> (read with `git archive`, the working tree is never touched) and as it is in the
// working tree, then asks `redocly diff` for the semver bump every change needs. The contract's
// version is not edited in a pull request: the change note (.changeset/*.md, `contract: <level>`)
// declares the level, and the gate passes when that level is at least the measured one:
//   - no change an integrator can notice passes without a note;
//   - an addition needs `contract: minor`, a fix `contract: patch`;
//   - a breaking change fails unless a note declares `contract: major`: the message names each
//     break and the compatible route (add beside, deprecate, remove in a later major).
// `--report <file>` also writes a markdown report (for $GITHUB_STEP_SUMMARY). Exit code 0 = passed,
// 1 = the gate failed, 2 = usage error (unknown ref, no spec at the ref, bad arguments).
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cached, fileDigest, fingerprint, specFiles, toolsFingerprint } from './lib/cache.js';
import { bin, root, run, stripBanner, type RunResult } from './lib/steps.js';
import { CONTRACT, declaredLevels, discoverUnits, LEVELS, mergeBase, notesAt, rank, readNotes, type Level } from './lib/changes.js';

const SPEC_DIR = 'openapi';
const ENTRY = 'openapi/openapi.yaml';
const FORMATS = ['stylish', 'markdown', 'github-actions', 'json'] as const;
type Format = (typeof FORMATS)[number];

export class UsageError extends Error {
  override name = 'UsageError';
}

/** One change as `redocly diff --format json` reports it. */
export interface DiffChange {
  path: string;
  kind: string;
  impact: Level;
  verdicts?: { ruleId: string; impact: Level; message: string; location?: { pointer?: string } }[];
  base?: { pointer?: string; value?: unknown };
  revision?: { pointer?: string; value?: unknown };
}

export interface DiffResult {
  /** true when the gate lets the change through. */
  passed: boolean;
  /** The bump the changes need, as redocly rates them. */
  measured: Level;
  /** The contract level the change notes declare (`none` when no note names the contract). */
  declared: Level;
  /** The notes that declare it. */
  declaredBy: string[];
  counts: { major: number; minor: number; patch: number };
  changes: DiffChange[];
  /** What the gate says about the outcome, one line each: what happened, where, what to do. */
  verdict: string[];
  /** redocly's report in the requested format, without the Node deprecation banner. */
  output: string;
}

/** A redocly config without plugins or decorators: the diff compares the contract, not the docs extras. */
async function plainConfig(dir: string): Promise<string> {
  const file = path.join(dir, 'redocly.diff.yaml');
  await writeFile(file, 'telemetry: off\nextends:\n  - diff-recommended\n');
  return file;
}

/** What to do instead of a given break: the compatible route, by redocly rule. */
function compatibleRoute(ruleId: string, change: DiffChange): string {
  const old = typeof change.base?.value === 'string' ? `\`${change.base.value}\`` : 'the old one';
  switch (ruleId) {
    case 'property-removed':
      return `keep ${old} and add the new property beside it; mark ${old} \`deprecated: true\` with a description naming its replacement, and remove it in a later major release`;
    case 'operation-removed':
    case 'path-removed':
      return 'keep the operation and mark it `deprecated: true`, with a description naming what replaces it; remove it in a later major release';
    case 'required-properties-added':
    case 'required-parameter-added':
    case 'parameter-became-required':
      return 'make the new request field or parameter optional (a documented default may stand for it)';
    case 'enum-values-removed':
      return 'keep the values clients may send or receive; describe the new ones as preferred';
    case 'schema-type-changed':
      return 'keep the field with its type and add a new field with the new type beside it; deprecate the old one';
    default:
      return 'add the new shape beside the old one and deprecate the old one instead of changing it';
  }
}

function breakingLines(changes: DiffChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    for (const v of c.verdicts ?? []) {
      if (v.impact !== 'major') continue;
      const where = c.base?.pointer ?? v.location?.pointer ?? c.path;
      lines.push(`${v.message} (${where}). Compatible route: ${compatibleRoute(v.ruleId, c)}.`);
    }
  }
  return lines;
}

const WHY: Record<Exclude<Level, 'none'>, string> = {
  major: 'a breaking change',
  minor: 'additions (a new operation, field, parameter or example)',
  patch: 'changes no client can break on (descriptions, wider request enums)',
};

/** The verdict lines for a measured and a declared level. */
export function verdictLines(measured: Level, declared: Level, declaredBy: string[], changes: DiffChange[]): { passed: boolean; lines: string[] } {
  const by = declaredBy.length ? declaredBy.join(', ') : undefined;
  if (measured === 'none') {
    return { passed: true, lines: [`✔ no change an integrator can notice${by ? ` (${by} declares \`${CONTRACT}: ${declared}\`)` : ''}`] };
  }
  if (rank(declared) >= rank(measured)) {
    return { passed: true, lines: [`✔ the changes need a ${measured} contract release (${WHY[measured]}); ${by} declares \`${CONTRACT}: ${declared}\``] };
  }
  const noteFix = by
    ? `raise it to \`${CONTRACT}: ${measured}\` in ${by}`
    : `add a change note that declares it: \`npm run change -- ${CONTRACT}:${measured} -m "<what changed, for integrators>"\` writes .changeset/<name>.md`;
  if (measured === 'major') {
    return {
      passed: false,
      lines: [
        `✖ breaking change for integrators${by ? ` (${by} declares only \`${CONTRACT}: ${declared}\`)` : ''}:`,
        ...breakingLines(changes).map((l) => `  - ${l}`),
        `  Prefer the compatible route. If the break is intended, declare \`${CONTRACT}: major\` in the change note (${by ?? 'npm run change'}); integrators then get a new major version.`,
      ],
    };
  }
  return {
    passed: false,
    lines: [
      `✖ the changes need a ${measured} contract release (${WHY[measured]}), but ${by ? `${by} declares \`${CONTRACT}: ${declared}\`` : `no change note declares \`${CONTRACT}\``}: ${noteFix}.`,
    ],
  };
}

/**
 * Compares two bundled (or single-file) specs: measures the bump the changes need and judges it
 * against the declared contract level. `reportFile`, when given, receives a markdown report with
 * the verdict appended.
 */
export async function diffSpecs(
  base: string,
  revision: string,
  opts: { declared?: Level; declaredBy?: string[]; format?: Format; reportFile?: string; config?: string; cwd?: string } = {},
): Promise<DiffResult> {
  const work = await mkdtemp(path.join(tmpdir(), 'spec-diff-'));
  try {
    const config = opts.config ?? (await plainConfig(work));
    const common = [base, revision, '--config', config, '--fail-on', 'none'];
    const format = opts.format ?? 'stylish';
    const redocly = (fmt: Format, extra: string[] = []) => run(bin('redocly'), ['diff', ...common, '--format', fmt, ...extra], { cwd: opts.cwd });
    const jsonFile = path.join(work, 'report.json');
    const mdFile = path.join(work, 'report.md');
    // The JSON report is kept by the fingerprint of both specs, the names it reports them by (paths
    // from the working folder) and the rules: the same two trees are compared once.
    const inputs = async (): Promise<string | undefined> => {
      const tools = await toolsFingerprint();
      const names = [base, revision].map((f) => path.relative(path.resolve(opts.cwd ?? root), path.resolve(f))).join('\0');
      const specs = await Promise.all([base, revision].map((f) => fileDigest(f)));
      return tools && fingerprint(['diff: redocly diff --format json --fail-on none', tools, names, await readFile(config, 'utf8'), ...specs]);
    };
    let json: RunResult | undefined;
    const [, main, md] = await Promise.all([
      cached('diff-report', inputs, { 'report.json': jsonFile }, async () => {
        json = await redocly('json', ['-o', jsonFile]);
        return json.code === 0;
      }),
      // The readable report is rendered from the JSON one (one Redocly run less per diff).
      format === 'json' || format === 'stylish' ? undefined : redocly(format),
      opts.reportFile ? redocly('markdown', ['-o', mdFile]) : undefined,
    ]);
    let report: { bump?: string; summary?: DiffResult['counts']; changes?: DiffChange[] };
    try {
      report = JSON.parse(await readFile(jsonFile, 'utf8')) as typeof report;
    } catch {
      throw new Error(`redocly diff did not report:\n${stripBanner(`${json?.stdout}\n${json?.stderr}`)}`);
    }
    const measured: Level = (LEVELS as readonly string[]).includes(String(report.bump)) ? (report.bump as Level) : 'none';
    const declared = opts.declared ?? 'none';
    const declaredBy = opts.declaredBy ?? [];
    const changes = report.changes ?? [];
    const { passed, lines } = verdictLines(measured, declared, declaredBy, changes);
    const counts = report.summary ?? { major: 0, minor: 0, patch: 0 };
    const output = main
      ? stripBanner(format === 'markdown' ? main.stdout : `${main.stdout}\n${main.stderr}`)
      : format === 'json'
        ? JSON.stringify(report, null, 2)
        : readable(report.changes ?? [], counts);
    const result: DiffResult = { passed, measured, declared, declaredBy, counts, changes, verdict: lines, output };
    if (opts.reportFile && md) {
      let body = '';
      try {
        body = await readFile(mdFile, 'utf8');
      } catch {
        body = `redocly diff did not write a report:\n\n\`\`\`\n${stripBanner(md.stderr)}\n\`\`\`\n`;
      }
      await mkdir(path.dirname(path.resolve(opts.reportFile)), { recursive: true });
      await writeFile(opts.reportFile, `${body.trimEnd()}\n\n${verdictMarkdown(result)}\n`);
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `#/paths/~1things~1{id}/get/responses/200/...` → `GET /things/{id} responses/200/...`. */
function readablePointer(pointer: string): string {
  const m = /^#\/paths\/([^/]+)(?:\/(get|put|post|delete|patch|options|head|trace))?(\/.*)?$/.exec(pointer);
  if (!m) return pointer;
  const p = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return `${m[2] ? `${m[2].toUpperCase()} ` : ''}${p}${m[3] ? ` ${m[3].slice(1)}` : ''}`;
}

/** The report as a reader wants it: one line per change with the level it needs, then Redocly's verdicts. */
function readable(changes: DiffChange[], counts: DiffResult['counts']): string {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`${c.impact.padEnd(5)} ${c.kind.padEnd(8)} ${readablePointer(c.path)}`);
    for (const v of c.verdicts ?? []) lines.push(`      ${v.ruleId}: ${v.message}`);
  }
  lines.push('', `${counts.major} major, ${counts.minor} minor, ${counts.patch} patch`);
  return lines.join('\n');
}

export function verdictMarkdown(r: DiffResult): string {
  const lines = [
    `**Contract level:** the changes need \`${r.measured}\` (${r.counts.major} major, ${r.counts.minor} minor, ${r.counts.patch} patch); the change notes declare \`${r.declared}\`${r.declaredBy.length ? ` (${r.declaredBy.join(', ')})` : ''}.`,
    ...r.verdict.map((l) => (l.startsWith('  ') ? l.trimStart() : l)),
    r.passed ? '**Breaking-change gate: passed.**' : '**Breaking-change gate: failed.** See CONTRIBUTING.md, "Change notes".',
  ];
  return lines.join('\n\n');
}

/** Runs a command and writes its stdout to a file (binary-safe, for `git archive`). */
function pipeToFile(cmd: string, args: string[], cwd: string, file: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    import('node:fs').then(({ createWriteStream }) => {
      const out = createWriteStream(file);
      const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.pipe(out);
      child.on('error', reject);
      child.on('close', (code) => out.end(() => resolve({ code: code ?? 1, stderr })));
    }, reject);
  });
}

/** Extracts `openapi/` as it is at `ref` into `dest` (no checkout, the working tree stays as it is). */
export async function exportSpecAt(repo: string, ref: string, dest: string): Promise<string> {
  const commit = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo });
  if (commit.code !== 0) {
    throw new UsageError(
      `unknown git ref "${ref}". Pass a branch, tag or commit that exists locally ` +
        `(in CI fetch the base branch first, e.g. \`git fetch origin main\`, and pass origin/main).`,
    );
  }
  const sha = commit.stdout.trim();
  const hasSpec = await run('git', ['cat-file', '-e', `${sha}:${ENTRY}`], { cwd: repo });
  if (hasSpec.code !== 0) throw new UsageError(`"${ref}" (${sha.slice(0, 12)}) has no ${ENTRY} to compare with.`);
  const tar = path.join(dest, 'spec.tar');
  const archived = await pipeToFile('git', ['archive', '--format=tar', sha, `${SPEC_DIR}/`], repo, tar);
  if (archived.code !== 0) throw new Error(`git archive ${ref} failed: ${archived.stderr.trim()}`);
  const extracted = await run('tar', ['-xf', tar, '-C', dest]);
  if (extracted.code !== 0) throw new Error(`could not extract the spec at ${ref}: ${extracted.stderr.trim()}`);
  return sha;
}

/**
 * Bundles the base's spec (extracted under `work`) to `baseOut` and the working tree's to `revOut`,
 * side by side. Each bundle is kept by the fingerprint of what it reads (scripts/lib/cache.ts): the
 * base of a branch is bundled once however often its gate runs, and a tree seen before (the branch
 * a next pull request starts from, the same spec in another clone) is not bundled again.
 */
async function bundleBoth(repo: string, work: string, baseOut: string, revOut: string, config: string): Promise<void> {
  const settings = await readFile(config, 'utf8');
  const bundle = async (dir: string, out: string, where: string): Promise<void> => {
    const inputs = async (): Promise<string | undefined> => {
      const [tools, files] = await Promise.all([toolsFingerprint(), specFiles(dir, SPEC_DIR)]);
      return tools && files ? fingerprint([`diff: redocly bundle ${ENTRY}`, tools, settings, [dir, files]]) : undefined;
    };
    await cached('diff-bundle', inputs, { 'bundle.yaml': out }, async () => {
      const r = await run(bin('redocly'), ['bundle', path.join(dir, ENTRY), '-o', out, '--config', config], { cwd: dir });
      if (r.code !== 0) throw new Error(`could not bundle ${ENTRY} ${where}:\n${stripBanner(`${r.stdout}\n${r.stderr}`)}`);
    });
  };
  await Promise.all([bundle(work, baseOut, 'at the base'), bundle(repo, revOut, 'in the working tree')]);
}

interface Args {
  baseRef: string;
  reportFile?: string;
  format: Format;
}

export function parseArgs(argv: string[]): Args {
  let baseRef: string | undefined;
  let reportFile: string | undefined;
  let format: Format = 'stylish';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--report') reportFile = value();
    else if (flag === '--format') {
      const f = value();
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      format = f as Format;
    } else if (flag === '--help' || flag === '-h') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (baseRef === undefined) baseRef = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!baseRef) throw new UsageError('missing <base-ref>');
  return { baseRef, reportFile, format };
}

const USAGE = 'usage: npm run diff -- <base-ref> [--report <file.md>] [--format stylish|markdown|github-actions|json]';

/** The bump between two versions (`1.4.2` → `1.5.0` is minor); `none` when equal or lower. */
export function versionBump(from: string, to: string): Level {
  const parse = (v: string): number[] => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim()) ?? []).slice(1).map(Number);
  const [a, b] = [parse(from), parse(to)];
  if (a.length !== 3 || b.length !== 3) return 'none';
  if (b[0]! !== a[0]!) return b[0]! > a[0]! ? 'major' : 'none';
  if (b[1]! !== a[1]!) return b[1]! > a[1]! ? 'minor' : 'none';
  return b[2]! > a[2]! ? 'patch' : 'none';
}

export interface ContractMeasure extends DiffResult {
  baseRef: string;
  /** The commit compared with: where this branch left the base. */
  baseCommit: string;
  baseVersion: string;
  revisionVersion: string;
}

/**
 * The contract gate between where this branch left `baseRef` and the working tree. The declared
 * level comes from the change notes this branch adds; in a release (the notes consumed, info.version
 * written by `npm run release:version`) from the version bump itself.
 */
export async function measureContract(repo: string, baseRef: string, opts: { format?: Format; reportFile?: string } = {}): Promise<ContractMeasure> {
  const work = await mkdtemp(path.join(tmpdir(), 'spec-diff-ref-'));
  try {
    const tip = await exportSpecAt(repo, baseRef, work);
    const sha = await mergeBase(repo, tip).catch(() => tip);
    if (sha !== tip) {
      await rm(path.join(work, SPEC_DIR), { recursive: true, force: true });
      await exportSpecAt(repo, sha, work);
    }
    const config = await plainConfig(work);
    // The bundles' names show up in the report headline and locations.
    const baseBundle = path.join(work, `openapi@${sha.slice(0, 12)}.yaml`);
    const revBundle = path.join(work, 'openapi@working-tree.yaml');
    await bundleBoth(repo, work, baseBundle, revBundle, config);
    const units = await discoverUnits(repo);
    const before = new Set(await notesAt(repo, sha));
    const added = (await readNotes(repo, units)).filter((n) => !before.has(n.file));
    const fromNotes = declaredLevels(added).get(CONTRACT);
    const [baseVersion, revisionVersion] = await Promise.all([versionOf(baseBundle), versionOf(revBundle)]);
    const released = versionBump(baseVersion, revisionVersion);
    const declared = rank(released) > rank(fromNotes?.level ?? 'none') ? released : (fromNotes?.level ?? 'none');
    const declaredBy = declared === released && released !== 'none' ? [`info.version ${baseVersion} → ${revisionVersion}`] : (fromNotes?.files ?? []);
    const r = await diffSpecs(baseBundle, revBundle, { ...opts, declared, declaredBy, config, cwd: work });
    return { ...r, baseRef, baseCommit: sha, baseVersion, revisionVersion };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function versionOf(bundleFile: string): Promise<string> {
  const m = /^info:\n(?:[ ].*\n)*?[ ]+version: ['"]?([^'"\n]+)/m.exec(await readFile(bundleFile, 'utf8'));
  return m?.[1]?.trim() ?? '';
}

async function cli(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`✖ ${err.message}`);
      console.error(USAGE);
      return 2;
    }
    throw err;
  }
  const top = await run('git', ['rev-parse', '--show-toplevel'], { cwd: process.cwd() });
  if (top.code !== 0) {
    console.error('✖ not inside a git repository');
    return 2;
  }
  const repo = top.stdout.trim();
  try {
    const quiet = args.format === 'json' || args.format === 'markdown';
    const r = await measureContract(repo, args.baseRef, { format: args.format, reportFile: args.reportFile });
    if (!quiet) console.log(`Comparing ${ENTRY} where this branch left ${args.baseRef} (${r.baseCommit.slice(0, 12)}) with the working tree`);
    console.log(r.output);
    if (!quiet) {
      if (args.reportFile) console.log(`markdown report: ${args.reportFile}`);
      console.log(`\n${r.verdict.join('\n')}`);
      console.log(r.passed ? '✔ breaking-change gate passed' : '✖ breaking-change gate failed');
    }
    return r.passed ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`✖ ${err.message}`);
      return 2;
    }
    console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
