// Whether the last run of packAndInstall (package.ts) can be kept: the fingerprint of everything the
// packages are made of, written beside the tarballs once every step succeeded, and checked with the
// tarballs and the scratch installs it describes before they are reused. Without a stamp (a fresh
// clone), with other inputs, or with a tarball or an install changed since, everything is rebuilt.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileDigest, hashFiles } from './cache.js';
import type { InstallReport } from './package.js';
import { root, run } from './steps.js';
import type { RepoPackage } from './workspaces.js';

/** Beside the tarballs: the fingerprint of the inputs they and the installs were made from. */
const STAMP = '.inputs-sha256';

/**
 * Fingerprint of everything the packages are made of: every file git knows of (tracked or new,
 * ignored ones excepted) outside test/, bench/ and .changeset/ (sources, the generated spec and
 * types, READMEs and changelogs, the build and pack scripts, package.json and the lockfile that
 * pins the tools and the dependencies copied into the installs), plus the generated files that are
 * packed, plus Node's version. Undefined outside a git checkout: then everything is rebuilt.
 * `npm test` keeps its lint and drift check by the same fingerprint (they read a part of it).
 */
export async function packageInputs(dir = root): Promise<string | undefined> {
  const r = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir });
  if (r.code !== 0) return undefined;
  const files = [...new Set([...r.stdout.split('\0'), 'generated/openapi.json', 'generated/openapi.yaml', 'generated/schema.ts'])]
    .filter((f) => f && !/^(test|bench|\.changeset)\//.test(f))
    .sort();
  const hash = createHash('sha256').update(`node ${process.version}\0`);
  await hashFiles(hash, dir, files);
  return hash.digest('hex');
}

/** The stamp of a finished run: the inputs' fingerprint and each tarball's digest. */
async function stampOf(inputs: string, all: Pick<RepoPackage, 'tarball'>[], out: string): Promise<string> {
  const lines = [inputs];
  for (const pkg of all) lines.push(`${pkg.tarball} ${await fileDigest(path.join(out, pkg.tarball))}`);
  return `${lines.join('\n')}\n`;
}

/** Records that the tarballs and installs in `out` were made from `inputs` (after they all succeeded). */
export async function writeStamp(inputs: string, all: Pick<RepoPackage, 'tarball'>[], out: string): Promise<void> {
  await writeFile(path.join(out, STAMP), await stampOf(inputs, all, out));
}

/**
 * The last run's reports, if it succeeded from exactly these inputs and nothing it made has changed
 * since: the same tarballs, and the same packages in each scratch project's node_modules.
 */
export async function keptInstalls(inputs: string, all: Pick<RepoPackage, 'tarball'>[], out: string): Promise<InstallReport[] | undefined> {
  try {
    if ((await readFile(path.join(out, STAMP), 'utf8')) !== (await stampOf(inputs, all, out))) return undefined;
    const reports = JSON.parse(await readFile(path.join(out, 'installs.json'), 'utf8')) as InstallReport[];
    if (JSON.stringify(reports.map((r) => r.tarball)) !== JSON.stringify(all.map((p) => p.tarball))) return undefined;
    for (const r of reports) {
      if (JSON.stringify((await installedTree(path.join(r.consumer, 'node_modules'))).packages) !== JSON.stringify(r.installed)) return undefined;
    }
    return reports;
  } catch {
    return undefined;
  }
}

/** Packages under a node_modules folder (scoped and nested ones included), and its bytes on disk. */
export async function installedTree(nodeModules: string): Promise<{ packages: string[]; bytes: number }> {
  const packages: string[] = [];
  const size = async (p: string): Promise<number> => {
    const s = await stat(p);
    if (!s.isDirectory()) return s.size;
    let n = 0;
    for (const e of await readdir(p)) n += await size(path.join(p, e));
    return n;
  };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.') || !entry.isDirectory()) continue;
      const dirs = entry.name.startsWith('@') ? (await readdir(path.join(dir, entry.name))).map((n) => path.join(entry.name, n)) : [entry.name];
      for (const name of dirs) {
        const manifest = await readFile(path.join(dir, name, 'package.json'), 'utf8').catch(() => undefined);
        if (manifest === undefined) continue;
        packages.push(`${name.split(path.sep).join('/')}@${(JSON.parse(manifest) as { version?: string }).version ?? '?'}`);
        await walk(path.join(dir, name, 'node_modules'));
      }
    }
  };
  await walk(nodeModules);
  return { packages: packages.sort(), bytes: await size(nodeModules) };
}
