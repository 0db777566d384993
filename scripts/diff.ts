// npm run diff -- <base-ref> [--report <file.md>] [--format <stylish|markdown|github-actions|json>]
//
// Breaking-change gate. Bundles the spec (openapi/openapi.yaml) as it is at <base-ref> (read with
// `git archive`, the working tree is never touched) and as it is in the working tree, then runs
// `redocly diff <base> <revision> --fail-on major --check-version`, which rates every change by the
// semver bump it needs:
//   - a major (breaking) change fails, unless info.version got a major bump (then `--fail-on none`:
//     the bump is the author's explicit acknowledgement and `--check-version` still verifies it);
//   - `--check-version` fails when info.version was not bumped as far as the changes require
//     (minor for additions, patch for fixes);
//   - no change passes.
// `--report <file>` also writes a markdown report (for $GITHUB_STEP_SUMMARY). Exit code 0 = passed,
// 1 = the gate failed, 2 = usage error (unknown ref, no spec at the ref, bad arguments).
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { bin, run, stripBanner } from './lib/steps.js';

const SPEC_DIR = 'openapi';
const ENTRY = 'openapi/openapi.yaml';
const FORMATS = ['stylish', 'markdown', 'github-actions', 'json'] as const;
type Format = (typeof FORMATS)[number];

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface DiffResult {
  /** true when the gate lets the change through. */
  passed: boolean;
  /** redocly diff exit code. */
  code: number;
  baseVersion: string;
  revisionVersion: string;
  /** true when the revision's major version is above the base's (breaking changes allowed). */
  majorBump: boolean;
  /** the `--fail-on` value used. */
  failOn: 'major' | 'none';
  /** redocly's report in the requested format, without the Node deprecation banner. */
  output: string;
}

/** A redocly config without plugins or decorators: the diff compares the contract, not the docs extras. */
async function plainConfig(dir: string): Promise<string> {
  const file = path.join(dir, 'redocly.diff.yaml');
  await writeFile(file, 'telemetry: off\nextends:\n  - diff-recommended\n');
  return file;
}

function majorOf(version: string): number | undefined {
  const m = /^v?(\d+)\./.exec(version.trim());
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

async function infoVersion(file: string): Promise<string> {
  const doc = parse(await readFile(file, 'utf8')) as { info?: { version?: unknown } } | null;
  const v = doc?.info?.version;
  return typeof v === 'string' ? v : String(v ?? '');
}

/**
 * Compares two bundled (or single-file) specs with the gate's policy. `reportFile`, when given,
 * receives a markdown report with the verdict appended.
 */
export async function diffSpecs(
  base: string,
  revision: string,
  opts: { format?: Format; reportFile?: string; config?: string; cwd?: string } = {},
): Promise<DiffResult> {
  const work = await mkdtemp(path.join(tmpdir(), 'spec-diff-'));
  try {
    const config = opts.config ?? (await plainConfig(work));
    const [baseVersion, revisionVersion] = await Promise.all([infoVersion(base), infoVersion(revision)]);
    const bMajor = majorOf(baseVersion);
    const rMajor = majorOf(revisionVersion);
    const majorBump = bMajor !== undefined && rMajor !== undefined && rMajor > bMajor;
    const failOn = majorBump ? 'none' : 'major';
    const common = [base, revision, '--config', config, '--fail-on', failOn, '--check-version'];
    const format = opts.format ?? 'stylish';
    const runs = [run(bin('redocly'), ['diff', ...common, '--format', format], { cwd: opts.cwd })];
    const mdFile = path.join(work, 'report.md');
    if (opts.reportFile) runs.push(run(bin('redocly'), ['diff', ...common, '--format', 'markdown', '-o', mdFile], { cwd: opts.cwd }));
    const [main, md] = await Promise.all(runs);
    const raw = stripBanner(format === 'json' || format === 'markdown' ? main!.stdout : `${main!.stdout}\n${main!.stderr}`);
    // In the stylish report, `at openapi@….yaml:line:col` points into the temporary bundles deleted
    // after the run; the operation and component names above each line are what a reader needs.
    const output = format === 'stylish' ? raw
            .split('\n')
            .filter((l) => !/^\s+at openapi@\S+\.yaml:\d+:\d+\s*$/.test(l) && !/\.yaml: diff processed in \d+ms$/.test(l))
            .join('\n') : raw;
    const result: DiffResult = { passed: main!.code === 0, code: main!.code, baseVersion, revisionVersion, majorBump, failOn, output };
    if (opts.reportFile && md) {
      let body = '';
      try {
        body = await readFile(mdFile, 'utf8');
      } catch {
        body = `redocly diff did not write a report:\n\n\`\`\`\n${stripBanner(md.stderr)}\n\`\`\`\n`;
      }
      await mkdir(path.dirname(path.resolve(opts.reportFile)), { recursive: true });
      await writeFile(opts.reportFile, `${body.trimEnd()}\n\n${verdictMarkdown(result, stripBanner(`${md.stdout}\n${md.stderr}`))}\n`);
    }
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The lines redocly prints about the outcome (❌/✅), e.g. the version check. */
function outcomeLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s*(❌|✅)/.test(l)).map((l) => l.trim());
}

function verdictMarkdown(r: DiffResult, cliText: string): string {
  const lines = [`**info.version:** \`${r.baseVersion}\` → \`${r.revisionVersion}\``];
  for (const l of outcomeLines(cliText)) lines.push(`- ${l}`);
  lines.push(
    r.passed
      ? '**Breaking-change gate: passed.**'
      : '**Breaking-change gate: failed.** Make the change backward compatible, or bump `info.version` in `openapi/openapi.yaml` as the report requires (a breaking change needs a major bump; see CONTRIBUTING.md).',
  );
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

async function bundle(entry: string, out: string, config: string, cwd: string): Promise<void> {
  const r = await run(bin('redocly'), ['bundle', entry, '-o', out, '--config', config], { cwd });
  if (r.code !== 0) throw new Error(`could not bundle ${entry}:\n${stripBanner(`${r.stdout}\n${r.stderr}`)}`);
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
  const work = await mkdtemp(path.join(tmpdir(), 'spec-diff-ref-'));
  try {
    const sha = await exportSpecAt(repo, args.baseRef, work);
    const config = await plainConfig(work);
    // The bundles' names show up in the report headline and locations.
    const baseBundle = path.join(work, `openapi@${sha.slice(0, 12)}.yaml`);
    const revBundle = path.join(work, 'openapi@working-tree.yaml');
    await Promise.all([
      bundle(path.join(work, ENTRY), baseBundle, config, repo),
      bundle(path.join(repo, ENTRY), revBundle, config, repo),
    ]);
    const quiet = args.format === 'json' || args.format === 'markdown';
    if (!quiet) console.log(`Comparing ${ENTRY} at ${args.baseRef} (${sha.slice(0, 12)}) with the working tree`);
    const r = await diffSpecs(baseBundle, revBundle, { format: args.format, reportFile: args.reportFile, config, cwd: work });
    console.log(r.output);
    if (!quiet) {
      console.log(`\ninfo.version ${r.baseVersion} → ${r.revisionVersion}${r.majorBump ? ' (major bump: breaking changes accepted)' : ''}`);
      if (args.reportFile) console.log(`markdown report: ${args.reportFile}`);
      console.log(
        r.passed
          ? '✔ breaking-change gate passed'
          : '✖ breaking-change gate failed: make the change backward compatible or bump info.version as required (see CONTRIBUTING.md)',
      );
    }
    return r.passed ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`✖ ${err.message}`);
      return 2;
    }
    console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await rm(work, { recursive: true, force: true });
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
