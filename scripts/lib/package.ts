// The package as an integrator gets it: `npm pack` (whose prepack builds dist/) into
// test-output/package/, publint and attw on that tarball, then the tarball installed with the
// command the README gives, in a scratch consumer project. test/package/ then imports and requires
// it from there. Used by `npm test` and `npm run check:package`.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bin, root, runChecked, step, StepError } from './steps.js';

export const packageOut = path.join(root, 'test-output', 'package');
/** The scratch project that installs the tarball. */
export const consumerDir = path.join(packageOut, 'consumer');

/** `bullseye-api-<version>.tgz`: the name `npm pack` gives the tarball, and the release asset's. */
export async function tarballName(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

export async function packAndInstall(): Promise<string> {
  const tarball = path.join(packageOut, await tarballName());
  await step('npm pack (prepack builds dist/ from scratch)', async () => {
    await rm(packageOut, { recursive: true, force: true });
    await mkdir(packageOut, { recursive: true });
    // No dist/ beforehand, as on a fresh clone: the tarball can only contain what prepack built.
    await rm(path.join(root, 'dist'), { recursive: true, force: true });
    await runChecked('npm pack', 'npm', ['pack', '--pack-destination', packageOut, '--silent']);
  });
  await step('publint (the tarball)', () => runChecked('publint', bin('publint'), ['run', tarball, '--strict']));
  await step('attw (the tarball: types resolve for ESM importers)', () =>
    runChecked('attw', bin('attw'), [tarball, '--profile', 'esm-only', '--no-emoji', '--no-color']),
  );
  await step('npm install ./<tarball> in a scratch project (offline)', async () => {
    await mkdir(consumerDir, { recursive: true });
    await writeFile(path.join(consumerDir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true }, null, 2)}\n`);
    // Offline: the SDK's runtime dependencies are copied in from this repository's node_modules
    // (same locked versions), so npm finds them satisfied and asks no registry for anything.
    for (const dep of await runtimeDependencies()) {
      await cp(path.join(root, 'node_modules', dep), path.join(consumerDir, 'node_modules', dep), { recursive: true });
    }
    // The command the README gives, run beside the tarball as an integrator would.
    const r = await runChecked('npm install', 'npm', ['install', '--offline', '--no-audit', '--no-fund', `../${path.basename(tarball)}`], {
      cwd: consumerDir,
    });
    // Judged by what is installed, not by npm's output: `npm run -s` silences the inner npm too.
    const installed = path.join(consumerDir, 'node_modules', ...JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).name.split('/'), 'package.json');
    if (!existsSync(installed)) throw new StepError('npm install', `npm install left no ${path.relative(consumerDir, installed)}`, `${r.stdout}\n${r.stderr}`);
  });
  return tarball;
}

/** The package's dependencies and theirs, as installed (hoisted) in this repository's node_modules. */
async function runtimeDependencies(): Promise<string[]> {
  const seen = new Set<string>();
  const visit = async (manifest: string): Promise<void> => {
    const { dependencies = {} } = JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(dependencies)) {
      if (seen.has(name)) continue;
      seen.add(name);
      await visit(path.join(root, 'node_modules', name, 'package.json'));
    }
  };
  await visit(path.join(root, 'package.json'));
  return [...seen].sort();
}
