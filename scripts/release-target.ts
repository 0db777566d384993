// npm run release-target -- <tag>: which package a release tag names. Tags are `<package name>@<version>`
// (`@bullseye/api@0.2.0`, `@bullseye/cli@0.1.1`: changesets' default), one per package and version.
// Prints `key=value` lines for $GITHUB_OUTPUT: name, version, dir, tarball, changelog, and `contract`
// (`true` for the package that carries the API contract, whose release also attaches the bundled
// spec and the docs site). Exits 1, saying why, when no package of this repository has that name
// or its package.json has another version.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPackages, type RepoPackage } from './lib/workspaces.js';

export interface ReleaseTarget {
  name: string;
  version: string;
  dir: string;
  tarball: string;
  changelog: string;
  contract: boolean;
}

export async function releaseTarget(tag: string, packages?: RepoPackage[]): Promise<ReleaseTarget> {
  const m = /^(@[a-z0-9-]+\/[a-z0-9.-]+|[a-z0-9.-]+)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag);
  if (!m) throw new Error(`"${tag}" is not a release tag: expected <package>@<version>, e.g. @bullseye/api@1.2.3`);
  const [, name, version] = m as unknown as [string, string, string];
  const all = packages ?? (await repoPackages());
  const pkg = all.find((p) => p.manifest.name === name);
  if (!pkg) throw new Error(`no package of this repository is named ${name} (packages: ${all.map((p) => p.manifest.name).join(', ')})`);
  if (pkg.manifest.version !== version) throw new Error(`tag ${tag} names version ${version}, but ${path.join(pkg.rel, 'package.json')} has ${pkg.manifest.version}`);
  return { name, version, dir: pkg.rel, tarball: pkg.tarball, changelog: path.join(pkg.rel, 'CHANGELOG.md'), contract: pkg.rel === '.' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  releaseTarget(process.argv[2] ?? '')
    .then((t) => {
      for (const [k, v] of Object.entries(t)) console.log(`${k}=${v}`);
    })
    .catch((err: unknown) => {
      console.error(`release-target: ${(err as Error).message}`);
      process.exitCode = 1;
    });
}
