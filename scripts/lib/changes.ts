// Change notes (`.changeset/*.md`): what a pull request changes for whom, read at release time.
//
// A note is a changesets file. Its frontmatter names each thing that changed with its semver bump,
// its body is the changelog line:
//
//   ---
//   contract: minor          # the API contract (info.version of openapi/openapi.yaml)
//   "@bullseye/api": minor   # the SDK, and any workspace package by its package.json name
//   ---
//   Organizations report `usageCount`.
//
// `contract` is a pseudo package: the changesets libraries see it as a private package living in
// openapi/ whose version is info.version, so the release plan bumps it like any other and the
// release step copies the result into openapi/openapi.yaml. The root package (the SDK) is added to
// the package list by hand because changesets 2 only versions a root package in single-package
// repositories; the workspaces come from the root package.json, so packages added under
// `workspaces` are covered without naming them here.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { getPackages, type Package, type Packages } from '@manypkg/get-packages';
import readChangesets from '@changesets/read';
import { parse as parseConfig } from '@changesets/config';
import type { Config, NewChangeset, VersionType, WrittenConfig } from '@changesets/types';
import { parse as parseYaml } from 'yaml';
import { run } from './steps.js';

export const CONTRACT = 'contract';
export const CONTRACT_DIR = 'openapi';
export const CONTRACT_ENTRY = 'openapi/openapi.yaml';
export const NOTES_DIR = '.changeset';
export const LEVELS = ['none', 'patch', 'minor', 'major'] as const satisfies readonly VersionType[];
export type Level = (typeof LEVELS)[number];
export const rank = (l: Level): number => LEVELS.indexOf(l);
export const maxLevel = (levels: Level[]): Level => levels.reduce<Level>((a, b) => (rank(b) > rank(a) ? b : a), 'none');

export interface Unit {
  /** Name used in a note: `contract`, or a package.json name. */
  name: string;
  kind: 'contract' | 'root' | 'workspace';
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the repository ('' for the root). */
  rel: string;
  version: string;
  private: boolean;
  packageJson: Record<string, unknown> & { name: string; version: string };
}

/** The contract's version: info.version of the spec's entry file. */
export async function contractVersion(repo: string): Promise<string> {
  const doc = parseYaml(await readFile(path.join(repo, CONTRACT_ENTRY), 'utf8')) as { info?: { version?: unknown } } | null;
  return String(doc?.info?.version ?? '');
}

/** The contract, the root package and every workspace package, in that order. */
export async function discoverUnits(repo: string): Promise<Unit[]> {
  const version = await contractVersion(repo);
  const contract: Unit = { name: CONTRACT, kind: 'contract', dir: path.join(repo, CONTRACT_DIR), rel: CONTRACT_DIR, version, private: true, packageJson: { name: CONTRACT, version, private: true } };
  // A repository holding only a spec (the diff tests' throw-away ones) has the contract alone.
  if (!existsSync(path.join(repo, 'package.json'))) return [contract];
  const rootJson = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as Unit['packageJson'] & { workspaces?: unknown };
  const units: Unit[] = [
    contract,
    { name: rootJson.name, kind: 'root', dir: repo, rel: '', version: rootJson.version, private: rootJson.private === true, packageJson: rootJson },
  ];
  if (rootJson.workspaces) {
    const found = await getPackages(repo);
    for (const p of found.packages) {
      if (path.resolve(p.dir) === path.resolve(repo)) continue;
      const pj = p.packageJson as Unit['packageJson'];
      units.push({ name: pj.name, kind: 'workspace', dir: p.dir, rel: path.relative(repo, p.dir).split(path.sep).join('/'), version: pj.version, private: pj.private === true, packageJson: pj });
    }
  }
  return units;
}

/** The units as the changesets libraries want them. */
export function asPackages(repo: string, units: Unit[]): Packages {
  const rootUnit = units.find((u) => u.kind === 'root')!;
  const pkgs: Package[] = units.map((u) => ({ dir: u.dir, packageJson: u.packageJson as Package['packageJson'] }));
  return { tool: 'yarn', root: { dir: repo, packageJson: rootUnit.packageJson as Package['packageJson'] }, packages: pkgs };
}

export async function readConfig(repo: string, units: Unit[]): Promise<Config> {
  const file = path.join(repo, NOTES_DIR, 'config.json');
  const written = JSON.parse(await readFile(file, 'utf8')) as WrittenConfig;
  return parseConfig(written, asPackages(repo, units));
}

export interface Note extends NewChangeset {
  file: string;
}

export class NoteError extends Error {
  override name = 'NoteError';
}

/** Every note in .changeset/, checked: known names, known levels, a changelog line. */
export async function readNotes(repo: string, units: Unit[]): Promise<Note[]> {
  if (!existsSync(path.join(repo, NOTES_DIR))) return [];
  let notes: NewChangeset[];
  try {
    notes = await readChangesets(repo);
  } catch (err) {
    throw new NoteError(`a change note in ${NOTES_DIR}/ cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const known = new Set(units.map((u) => u.name));
  const problems: string[] = [];
  for (const n of notes) {
    const file = `${NOTES_DIR}/${n.id}.md`;
    for (const r of n.releases) {
      if (!known.has(r.name)) problems.push(`${file}: "${r.name}" is neither \`${CONTRACT}\` nor a package of this repository (${[...known].filter((k) => k !== CONTRACT).join(', ')})`);
      if (!(LEVELS as readonly string[]).includes(r.type)) problems.push(`${file}: "${r.name}: ${r.type}" is not a level (major, minor, patch or none)`);
    }
    if (n.releases.length === 0) problems.push(`${file}: names nothing that changed; list \`${CONTRACT}\` and/or packages with their level in the frontmatter`);
    if (!n.summary.trim() || /^(TODO|FILL IN)\b/i.test(n.summary.trim())) problems.push(`${file}: has no changelog line; write one sentence saying what changed for integrators below the frontmatter`);
  }
  if (problems.length) throw new NoteError(problems.join('\n'));
  return notes.map((n) => ({ ...n, file: `${NOTES_DIR}/${n.id}.md` }));
}

/** The highest level each unit gets from a set of notes. */
export function declaredLevels(notes: Note[]): Map<string, { level: Level; files: string[] }> {
  const out = new Map<string, { level: Level; files: string[] }>();
  for (const n of notes) {
    for (const r of n.releases) {
      const cur = out.get(r.name) ?? { level: 'none' as Level, files: [] };
      cur.level = maxLevel([cur.level, r.type as Level]);
      cur.files.push(n.file);
      out.set(r.name, cur);
    }
  }
  return out;
}

// ── git ────────────────────────────────────────────────────────────────────────────────────

export async function git(repo: string, args: string[]): Promise<string> {
  const r = await run('git', args, { cwd: repo });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function refExists(repo: string, ref: string): Promise<boolean> {
  return (await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo })).code === 0;
}

/**
 * The base branch a change is measured against: the argument, else CHANGES_BASE, else the pull
 * request's base in GitHub Actions, else origin/main, else main. `undefined` when none exists.
 */
export async function defaultBase(repo: string, explicit?: string): Promise<string | undefined> {
  const candidates = explicit
    ? [explicit]
    : [process.env.CHANGES_BASE, process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : undefined, 'origin/main', 'main'].filter(
        (c): c is string => !!c,
      );
  for (const c of candidates) if (await refExists(repo, c)) return c;
  return undefined;
}

/** The commit where this branch left `base` (the base itself when HEAD is on it). */
export async function mergeBase(repo: string, base: string): Promise<string> {
  return (await git(repo, ['merge-base', base, 'HEAD'])).trim();
}

/** Files that differ between `commit` and the working tree, new untracked files included. */
export async function changedFiles(repo: string, commit: string): Promise<string[]> {
  const tracked = (await git(repo, ['diff', '--name-only', '-z', commit, '--'])).split('\0');
  const untracked = (await git(repo, ['ls-files', '--others', '--exclude-standard', '-z'])).split('\0');
  return [...new Set([...tracked, ...untracked])].filter(Boolean).sort();
}

/** A file's content at a commit, or undefined when it does not exist there. */
export async function showAt(repo: string, commit: string, file: string): Promise<string | undefined> {
  const r = await run('git', ['show', `${commit}:${file}`], { cwd: repo });
  return r.code === 0 ? r.stdout : undefined;
}

/** Note files (`.changeset/<id>.md`) at a commit. */
export async function notesAt(repo: string, commit: string): Promise<string[]> {
  const r = await run('git', ['ls-tree', '--name-only', `${commit}`, `${NOTES_DIR}/`], { cwd: repo });
  return r.stdout.split('\n').filter((f) => f.endsWith('.md') && path.basename(f) !== 'README.md');
}

export async function notesNow(repo: string): Promise<string[]> {
  if (!existsSync(path.join(repo, NOTES_DIR))) return [];
  return (await readdir(path.join(repo, NOTES_DIR))).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => `${NOTES_DIR}/${f}`);
}

// ── what a unit ships ──────────────────────────────────────────────────────────────────────

/** package.json fields that reach integrators; scripts and devDependencies do not. */
export const SHIPPED_MANIFEST_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'exports', 'main', 'types', 'bin', 'files', 'engines', 'type'] as const;

/**
 * Whether a changed file is part of what a unit ships (so the unit needs a note):
 *   - contract: the spec's YAML files under openapi/;
 *   - root package (the SDK): src/, generated/ (not the docs site), package/ (its README);
 *   - a workspace package: anything in its folder except tests and its changelog.
 * package.json counts through its shipped fields only (see `manifestChanged`).
 */
export function shipsFile(unit: Unit, file: string, units: Unit[]): boolean {
  if (path.basename(file) === 'CHANGELOG.md' || path.basename(file) === 'package.json') return false;
  if (unit.kind === 'contract') return file.startsWith(`${CONTRACT_DIR}/`) && /\.ya?ml$/.test(file);
  if (unit.kind === 'root') {
    if (units.some((u) => u.kind === 'workspace' && file.startsWith(`${u.rel}/`))) return false;
    return /^(src|package)\//.test(file) || (file.startsWith('generated/') && !file.startsWith('generated/site/'));
  }
  if (!file.startsWith(`${unit.rel}/`)) return false;
  const inner = file.slice(unit.rel.length + 1);
  return !/(^|\/)(test|tests|__tests__)\//.test(inner) && !/\.test\.[cm]?[jt]sx?$/.test(inner) && !inner.startsWith('node_modules/');
}

export function manifestChanged(before: string | undefined, after: string | undefined): string[] {
  const a = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const b = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  return SHIPPED_MANIFEST_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/** Version headings (`## 1.2.3 …`) of a changelog. */
export function changelogHeadings(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => /^## v?\d/.test(l));
}
