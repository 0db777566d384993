// The packages of this repository: the root package (the SDK) and every npm workspace that
// package.json's `workspaces` names. Packing, checking and releasing iterate over this list, so a new
// workspace under packages/ is picked up without a change here.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { root } from './steps.js';

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
  exports?: Record<string, unknown>;
}

export interface RepoPackage {
  /** Absolute directory of the package. */
  dir: string;
  /** Its directory relative to the repository root (`.` for the SDK). */
  rel: string;
  manifest: PackageManifest;
  /** `bullseye-api-0.1.0.tgz`: the file name `npm pack` gives its tarball. */
  tarball: string;
}

export const readManifest = async (dir: string): Promise<PackageManifest> =>
  JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageManifest;

export const tarballOf = (m: PackageManifest): string => `${m.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`;

/**
 * The root package first (the others depend on it), then the workspaces, each after the packages of
 * this repository it depends on (then in folder order): the order to build and pack them in.
 */
export async function repoPackages(): Promise<RepoPackage[]> {
  const found = await findPackages();
  const ordered: RepoPackage[] = [];
  const visit = (pkg: RepoPackage, path: string[]): void => {
    if (ordered.includes(pkg)) return;
    if (path.includes(pkg.manifest.name)) throw new Error(`packages depend on each other in a cycle: ${[...path, pkg.manifest.name].join(' → ')}`);
    for (const dep of localDependencies(pkg, found)) visit(dep, [...path, pkg.manifest.name]);
    ordered.push(pkg);
  };
  for (const pkg of found) visit(pkg, []);
  return ordered;
}

async function findPackages(): Promise<RepoPackage[]> {
  const rootManifest = await readManifest(root);
  const dirs: string[] = [];
  for (const pattern of rootManifest.workspaces ?? []) {
    // npm's workspace globs as this repository writes them: `dir/*` or a plain directory.
    if (pattern.endsWith('/*')) {
      const parent = path.join(root, pattern.slice(0, -2));
      for (const entry of (await readdir(parent, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory() && existsSync(path.join(parent, entry.name, 'package.json'))) dirs.push(path.join(parent, entry.name));
      }
    } else if (!/[*?[{]/.test(pattern)) dirs.push(path.join(root, pattern));
    else throw new Error(`package.json workspaces: the pattern ${pattern} is not one this script reads (use "dir/*" or a directory)`);
  }
  const out: RepoPackage[] = [{ dir: root, rel: '.', manifest: rootManifest, tarball: tarballOf(rootManifest) }];
  for (const dir of dirs) {
    const manifest = await readManifest(dir);
    if (manifest.private) continue;
    out.push({ dir, rel: path.relative(root, dir), manifest, tarball: tarballOf(manifest) });
  }
  return out;
}

/**
 * A dependency on another package of this repository written as `file:` (npm links it in the
 * workspace; see CONTRIBUTING.md): the dependency name and the package it points at.
 */
export function localDependencies(pkg: RepoPackage, all: RepoPackage[]): RepoPackage[] {
  return Object.entries(pkg.manifest.dependencies ?? {}).flatMap(([name, spec]) => {
    if (!spec.startsWith('file:')) return [];
    const target = all.find((p) => p.dir === path.resolve(pkg.dir, spec.slice('file:'.length)));
    if (!target || target.manifest.name !== name) throw new Error(`${pkg.manifest.name}: dependency ${name}: ${spec} is not a package of this repository`);
    return [target];
  });
}

/** `localDependencies`, and theirs, each once: every package of this repository an install of `pkg` brings. */
export function allLocalDependencies(pkg: RepoPackage, all: RepoPackage[]): RepoPackage[] {
  const out: RepoPackage[] = [];
  const visit = (p: RepoPackage): void => {
    for (const dep of localDependencies(p, all)) {
      if (out.includes(dep)) continue;
      out.push(dep);
      visit(dep);
    }
  };
  visit(pkg);
  return out;
}
