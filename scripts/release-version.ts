// npm run release:version [-- --no-commit]: turn the pending change notes into a release, in one commit.
//
//   1. reads every note in .changeset/ and plans the release with the changesets libraries (the
//      highest level per package; dependents of a released workspace package follow);
//   2. writes each version: info.version of openapi/openapi.yaml for `contract`, `version` of each
//      package.json (and package-lock.json, SDK_VERSION, the tarball names in install commands);
//   3. writes each changelog: openapi/CHANGELOG.md, CHANGELOG.md, <workspace>/CHANGELOG.md, a new
//      `## x.y.z` section below the file's introduction, one line per note;
//   4. deletes the notes, regenerates generated/ (API_VERSION follows info.version) and commits.
// Tags are the release workflow's business: this prints the ones the release needs.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import assembleReleasePlan from '@changesets/assemble-release-plan';
import applyReleasePlan from '@changesets/apply-release-plan';
import type { ComprehensiveRelease, NewChangeset, ReleasePlan } from '@changesets/types';
import { asPackages, CONTRACT, CONTRACT_ENTRY, discoverUnits, git, readConfig, readNotes, type Unit } from './lib/changes.js';
import { root } from './lib/steps.js';

const SECTION_TITLES: Record<'contract' | 'package', Record<'major' | 'minor' | 'patch', string>> = {
  contract: { major: 'Breaking', minor: 'Added', patch: 'Changed' },
  package: { major: 'Breaking', minor: 'Added', patch: 'Fixed' },
};

export function changelogFile(u: Unit): string {
  return u.kind === 'root' ? 'CHANGELOG.md' : `${u.rel}/CHANGELOG.md`;
}

/** The `## x.y.z` section of one release, from the notes that name it. */
export function changelogSection(release: ComprehensiveRelease, unit: Unit, notes: NewChangeset[], releases: ComprehensiveRelease[], contractVersion: string): string {
  const titles = SECTION_TITLES[unit.kind === 'contract' ? 'contract' : 'package'];
  const heading = unit.kind === 'contract' ? `## ${release.newVersion}` : `## ${release.newVersion} (API contract ${contractVersion})`;
  const parts = [heading];
  for (const level of ['major', 'minor', 'patch'] as const) {
    const lines = notes
      .filter((n) => release.changesets.includes(n.id) && n.releases.some((r) => r.name === release.name && r.type === level))
      .map((n) => `- ${n.summary.trim().replace(/\n/g, '\n  ')}`);
    if (lines.length) parts.push(`${titles[level]}:\n${lines.join('\n')}`);
  }
  if (parts.length === 1) {
    // Released only because a package it depends on was.
    const deps = releases.filter((r) => r.name !== release.name && r.type !== 'none' && unit.packageJson.dependencies && r.name in (unit.packageJson.dependencies as object));
    parts.push(`${titles.patch}:\n- Updated dependencies: ${deps.map((d) => `${d.name}@${d.newVersion}`).join(', ') || 'none'}`);
  }
  return parts.join('\n\n');
}

/** Puts a section above the first `## ` heading (below the changelog's title and introduction). */
export function insertSection(changelog: string | undefined, title: string, section: string): string {
  if (!changelog) return `# ${title}\n\n${section}\n`;
  const m = /^## /m.exec(changelog);
  if (!m) return `${changelog.trimEnd()}\n\n${section}\n`;
  return `${changelog.slice(0, m.index)}${section}\n\n${changelog.slice(m.index)}`;
}

async function setContractVersion(repo: string, version: string): Promise<void> {
  const file = path.join(repo, CONTRACT_ENTRY);
  const text = await readFile(file, 'utf8');
  const next = text.replace(/^(info:\n(?:[ ].*\n)*?[ ]+version: )(['"]?)[^'"\n]+\2/m, `$1$2${version}$2`);
  if (next === text) throw new Error(`could not find info.version in ${CONTRACT_ENTRY}`);
  await writeFile(file, next);
}

async function replaceIn(file: string, from: string, to: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) return false;
  await writeFile(file, text.split(from).join(to));
  return true;
}

export interface ReleaseResult {
  releases: { name: string; from: string; to: string }[];
  files: string[];
  tags: string[];
}

export async function releaseVersion(repo: string, opts: { commit?: boolean; generate?: (repo: string) => Promise<void> } = {}): Promise<ReleaseResult> {
  const units = await discoverUnits(repo);
  const notes = await readNotes(repo, units);
  if (notes.length === 0) return { releases: [], files: [], tags: [] };
  const config = await readConfig(repo, units);
  const packages = asPackages(repo, units);
  const plan: ReleasePlan = assembleReleasePlan(notes, packages, config, undefined);
  const releases = plan.releases.filter((r) => r.type !== 'none');
  const byName = new Map(units.map((u) => [u.name, u]));
  const contract = byName.get(CONTRACT)!;
  const contractRelease = releases.find((r) => r.name === CONTRACT);
  const contractVersion = contractRelease?.newVersion ?? contract.version;

  // changesets writes package.json files; the contract's lives in the spec, so it gets a stand-in
  // for the run and the version is copied into info.version afterwards.
  const standIn = path.join(contract.dir, 'package.json');
  if (existsSync(standIn)) throw new Error(`${path.relative(repo, standIn)} exists: the contract's version is info.version, remove that file`);
  await writeFile(standIn, `${JSON.stringify(contract.packageJson, null, 2)}\n`);
  const touched = new Set<string>();
  const before = new Map<string, string | undefined>();
  for (const r of releases) {
    const f = path.join(repo, changelogFile(byName.get(r.name)!));
    before.set(r.name, existsSync(f) ? await readFile(f, 'utf8') : undefined);
  }
  try {
    for (const f of await applyReleasePlan(plan, packages, config)) touched.add(path.relative(repo, f));
  } finally {
    await rm(standIn, { force: true });
    touched.delete(path.relative(repo, standIn));
  }

  for (const r of releases) {
    const u = byName.get(r.name)!;
    const file = changelogFile(u);
    const title = u.kind === 'contract' ? 'Changelog of the Bullseye API contract' : `Changelog of ${u.name}`;
    await writeFile(path.join(repo, file), insertSection(before.get(r.name), title, changelogSection(r, u, notes, releases, contractVersion)));
    touched.add(file);
  }
  if (contractRelease) {
    await setContractVersion(repo, contractRelease.newVersion);
    touched.add(CONTRACT_ENTRY);
  }
  // Copies of a package version that integrators read.
  const lockFile = path.join(repo, 'package-lock.json');
  const lock = existsSync(lockFile) ? (JSON.parse(await readFile(lockFile, 'utf8')) as { version?: string; packages?: Record<string, { version?: string }> }) : undefined;
  const docs = (await git(repo, ['ls-files', '*.md'])).split('\n').filter(Boolean);
  for (const r of releases) {
    const u = byName.get(r.name)!;
    if (u.kind === 'contract') continue;
    if (lock?.packages?.[u.rel]) lock.packages[u.rel]!.version = r.newVersion;
    if (u.kind === 'root' && lock) lock.version = r.newVersion;
    if (u.kind === 'root' && (await replaceIn(path.join(repo, 'src/version.ts'), `SDK_VERSION = '${r.oldVersion}'`, `SDK_VERSION = '${r.newVersion}'`))) touched.add('src/version.ts');
    // `npm pack` names the tarball <scope>-<name>-<version>.tgz; install commands in the docs name it.
    const tarball = (v: string): string => `${u.name.replace(/^@/, '').replace('/', '-')}-${v}.tgz`;
    for (const d of docs) if (await replaceIn(path.join(repo, d), tarball(r.oldVersion), tarball(r.newVersion))) touched.add(d);
  }
  if (lock) {
    await writeFile(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
    touched.add('package-lock.json');
  }
  if (opts.generate) await opts.generate(repo);

  const tags = releases.filter((r) => !byName.get(r.name)!.private).map((r) => `${r.name}@${r.newVersion}`);
  const summary = releases.map((r) => `${r.name} ${r.newVersion}`).join(', ');
  if (opts.commit !== false) {
    await git(repo, ['add', '-A', '--', ...touched, '.changeset', 'generated']);
    await git(repo, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', `Release: ${summary}\n\nVersions and changelogs written from ${notes.length} change note(s) by npm run release:version.`]);
  }
  return { releases: releases.map((r) => ({ name: r.name, from: r.oldVersion, to: r.newVersion })), files: [...touched].sort(), tags };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { generate } = await import('./generate.js');
  const { main } = await import('./lib/steps.js');
  main(async () => {
    const commit = !process.argv.includes('--no-commit');
    const r = await releaseVersion(root, { commit, generate: () => generate({ lint: false }) });
    if (r.releases.length === 0) {
      console.log('No change note in .changeset/: nothing to release.');
      return;
    }
    for (const x of r.releases) console.log(`  ${x.name}: ${x.from} → ${x.to}`);
    console.log(commit ? '✔ release committed' : `✔ written (not committed): ${r.files.join(', ')}`);
    if (r.tags.length) console.log(`Tags for the release workflow once this is merged: ${r.tags.join(' ')}`);
  });
}
