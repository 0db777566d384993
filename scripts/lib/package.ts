// Every package of this repository as an integrator gets it: `npm pack` of each (the root SDK first:
// its prepack builds dist/ from nothing; a workspace's prepack builds it and pins its `file:`
// dependencies to released versions) into test-output/package/, publint and attw on each tarball,
// then each tarball installed offline in a scratch project of its own with the command its README
// gives. test/package/ then uses those installs. Used by `npm test` and `npm run check:package`.
//
// Each step starts as soon as what it reads exists (a tarball's publint and attw, and an install,
// beside the next package's pack), and the whole is kept when nothing it is made of changed since
// it last succeeded (package-cache.ts).
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { installedTree, keptInstalls, packageInputs, writeStamp } from './package-cache.js';
import { bin, npmEnv, parallel, root, run, runChecked, step, StepError } from './steps.js';
import { allLocalDependencies, repoPackages, tarballOf, type RepoPackage } from './workspaces.js';

export const packageOut = path.join(root, 'test-output', 'package');
/** The scratch project that installs the SDK's tarball. */
export const consumerDir = path.join(packageOut, 'consumer');
/** What each install came to: written by packAndInstall, read by test/package/. */
export const installsFile = path.join(packageOut, 'installs.json');

/** The packages an install of the SDK's tarball may add: itself, openapi-fetch and its one dependency. */
export const SDK_INSTALL = ['@bullseye/api', 'openapi-fetch', 'openapi-typescript-helpers'] as const;

export interface InstallReport {
  name: string;
  version: string;
  tarball: string;
  /** Unpacked size of the tarball's files, in bytes. */
  unpackedBytes: number;
  files: number;
  /** The scratch project it was installed in. */
  consumer: string;
  /** The README's install command, as run. */
  command: string;
  /** Every package in the scratch project's node_modules after the install (name@version). */
  installed: string[];
  /** Bytes on disk of the scratch project's node_modules. */
  installedBytes: number;
}

/** `bullseye-api-<version>.tgz`: the name `npm pack` gives the SDK's tarball, and the release asset's. */
export async function tarballName(): Promise<string> {
  return tarballOf(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string });
}

/** The scratch project of a package: `consumer` for the SDK, `consumer-<dir>` for a workspace. */
export const consumerOf = (pkg: Pick<RepoPackage, 'rel'>): string => (pkg.rel === '.' ? consumerDir : path.join(packageOut, `consumer-${path.basename(pkg.rel)}`));

/** The README an integrator reads: the SDK packs package/README.md; a workspace its own. */
export const readmeOf = (pkg: Pick<RepoPackage, 'rel' | 'dir'>): string => (pkg.rel === '.' ? path.join(root, 'package', 'README.md') : path.join(pkg.dir, 'README.md'));

/** The `npm install ./…tgz` line of a README's shell blocks, with the tarball names it installs. */
export async function readmeInstallCommand(pkg: RepoPackage): Promise<{ command: string; tarballs: string[] }> {
  const readme = await readFile(readmeOf(pkg), 'utf8');
  const m = /^npm install((?: \.\/[^\s`]+\.tgz)+)$/m.exec(readme);
  if (!m) throw new StepError('readme', `${path.relative(root, readmeOf(pkg))} has no "npm install ./<tarball>.tgz" line for ${pkg.manifest.name}`);
  return { command: m[0], tarballs: m[1]!.trim().split(/\s+/).map((t) => t.replace(/^\.\//, '')) };
}

async function tarballStats(tarball: string): Promise<{ unpackedBytes: number; files: number }> {
  const list = (await runChecked('tar', 'tar', ['-tvzf', tarball])).stdout.split('\n').filter((l) => l.startsWith('-'));
  // `-rw-r--r-- 0/0  1234 1985-10-26 08:15 package/README.md`: the third field is the size.
  return { unpackedBytes: list.reduce((n, l) => n + Number(l.split(/\s+/)[2]), 0), files: list.length };
}

/** Third-party runtime dependencies of `pkg` and theirs, as installed in this repository. */
async function thirdPartyDependencies(pkg: RepoPackage, all: RepoPackage[]): Promise<string[]> {
  const ours = new Set(all.map((p) => p.manifest.name));
  const seen = new Set<string>();
  const visit = async (manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }, from: string): Promise<void> => {
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (ours.has(name)) {
        const local = all.find((p) => p.manifest.name === name)!;
        await visit(local.manifest, local.dir);
        continue;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      const dir = await resolvePackageDir(name, from);
      await visit(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as never, dir);
    }
  };
  await visit(pkg.manifest, pkg.dir);
  return [...seen].sort();
}

/** Where Node would find `name` from `from`: the nearest node_modules above it that has it. */
async function resolvePackageDir(name: string, from: string): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await stat(path.join(candidate, 'package.json')).then(() => true, () => false)) return candidate;
    if (dir === path.dirname(dir)) throw new StepError('dependencies', `${name} is not installed in this repository: run npm ci`);
  }
}

async function pack(pkg: RepoPackage): Promise<void> {
  const args = ['pack', '--pack-destination', packageOut, '--loglevel=warn'];
  if (pkg.rel !== '.') args.push('--workspace', pkg.rel);
  await runChecked(`npm pack ${pkg.manifest.name}`, 'npm', args, { env: npmEnv() });
  await stat(path.join(packageOut, pkg.tarball)).catch(() => {
    throw new StepError('npm pack', `npm pack did not write ${pkg.tarball}`);
  });
}

async function install(pkg: RepoPackage, all: RepoPackage[]): Promise<InstallReport> {
  const consumer = consumerOf(pkg);
  await mkdir(consumer, { recursive: true });
  await writeFile(path.join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`);
  const { command, tarballs } = await readmeInstallCommand(pkg);
  const expected = [pkg, ...allLocalDependencies(pkg, all)].map((p) => p.tarball).sort();
  if (JSON.stringify([...tarballs].sort()) !== JSON.stringify(expected)) {
    throw new StepError('readme', `${path.relative(root, readmeOf(pkg))} installs ${tarballs.join(' ')}; this release needs ${expected.join(' ')}`);
  }
  // As the README says: the tarballs next to the project's package.json.
  for (const t of tarballs) await cp(path.join(packageOut, t), path.join(consumer, t));
  // Offline: the third-party dependencies are copied in from this repository's node_modules (the
  // same locked versions), so npm finds them satisfied and asks no registry for anything.
  for (const dep of await thirdPartyDependencies(pkg, all)) {
    await cp(await resolvePackageDir(dep, pkg.dir), path.join(consumer, 'node_modules', dep), { recursive: true, verbatimSymlinks: true });
  }
  const args = command.split(' ').slice(1);
  const r = await run('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd: consumer, env: npmEnv() });
  if (r.code !== 0) throw new StepError('npm install', `${command} failed in ${path.relative(root, consumer)} (exit ${r.code})`, `${r.stdout}\n${r.stderr}`.trim());
  const tree = await installedTree(path.join(consumer, 'node_modules'));
  return {
    name: pkg.manifest.name,
    version: pkg.manifest.version,
    tarball: pkg.tarball,
    ...(await tarballStats(path.join(packageOut, pkg.tarball))),
    consumer,
    command,
    installed: tree.packages,
    installedBytes: tree.bytes,
  };
}

// Megabytes as npm counts them (10^6 bytes), so the figures compare with `npm pack`'s.
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

function summarize(reports: InstallReport[]): void {
  for (const r of reports) {
    console.log(`  · ${r.name}@${r.version}: tarball ${r.files} files, ${mb(r.unpackedBytes)} unpacked; install ${r.installed.length} packages, ${mb(r.installedBytes)}`);
  }
}

export async function packAndInstall(): Promise<InstallReport[]> {
  const all = await repoPackages();
  const inputs = await packageInputs();
  const kept = inputs === undefined ? undefined : await keptInstalls(inputs, all, packageOut);
  if (kept) {
    await step(`npm pack, publint, attw and install of ${all.map((p) => p.manifest.name).join(', ')} (inputs unchanged: kept)`, async () => {});
    summarize(kept);
    return kept;
  }
  await rm(packageOut, { recursive: true, force: true });
  await mkdir(packageOut, { recursive: true });
  // No dist/ beforehand, as on a fresh clone: a tarball can only contain what its prepack built.
  for (const pkg of all) await rm(path.join(pkg.dir, 'dist'), { recursive: true, force: true });
  // The packs one after another (a workspace's prepack builds against the dist/ of the packages it
  // depends on, packed before it); each tarball's publint and attw as soon as it exists, and each
  // install once the tarballs it installs exist, beside the packs that follow.
  const packed = new Map<RepoPackage, Promise<void>>();
  let previous: Promise<void> = Promise.resolve();
  for (const pkg of all) {
    previous = previous.then(() => step(`npm pack ${pkg.manifest.name} (its prepack builds it from scratch)`, () => pack(pkg)));
    packed.set(pkg, previous);
  }
  const reports: InstallReport[] = [];
  await parallel(
    all.flatMap((pkg) => {
      const tarball = path.join(packageOut, pkg.tarball);
      const needed = [pkg, ...allLocalDependencies(pkg, all)].map((p) => packed.get(p)!);
      return [
        async () => {
          await packed.get(pkg);
          await parallel([
            () => step(`publint ${pkg.tarball}`, () => runChecked('publint', bin('publint'), ['run', tarball, '--strict'])),
            () => step(`attw ${pkg.tarball} (types resolve for ESM importers)`, () => runChecked('attw', bin('attw'), [tarball, '--profile', 'esm-only', '--no-emoji', '--no-color'])),
          ]);
        },
        async () => {
          await Promise.all(needed);
          reports[all.indexOf(pkg)] = await step(`install ${pkg.tarball} offline in a scratch project, as its README says`, () => install(pkg, all));
        },
      ];
    }),
  );
  summarize(reports);
  const sdk = reports[0]!;
  const names = sdk.installed.map((p) => p.replace(/@[^@]*$/, '')).sort();
  if (JSON.stringify(names) !== JSON.stringify([...SDK_INSTALL].sort())) {
    throw new StepError('sdk install', `installing ${sdk.tarball} added ${names.join(', ')}; expected exactly ${SDK_INSTALL.join(', ')}`);
  }
  await writeFile(installsFile, `${JSON.stringify(reports, null, 2)}\n`);
  if (inputs !== undefined) await writeStamp(inputs, all, packageOut);
  return reports;
}
