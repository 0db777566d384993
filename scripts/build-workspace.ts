// `npm run build` of a workspace package (packages/*), run in its directory: the packages of this
// repository it imports by name (the SDK, other workspaces) are built first when their dist/ is
// missing or older than their sources (the workspace compiles against their published types, as an
// integrator would), then `tsc -p tsconfig.build.json` into the workspace's own dist/.
//
// `--bundle` (the sandbox): the workspace shares modules of this repository that are no package
// (the local servers' guard and mock layer in scripts/mock/, the spec walker), imported by relative
// path. esbuild bundles src/index.ts into dist/index.js with those modules inlined and every npm
// package (the SDK included) left as an import; tsc -p tsconfig.build.json then writes only the
// declarations, under dist/types/ in the repository's layout, and dist/index.d.ts re-exports them.
//
// The prepack hook (scripts/pack-workspace.ts) calls buildWorkspace in its own process rather than
// through npm run.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { bin, main, root, runChecked, step } from './lib/steps.js';
import { allLocalDependencies, repoPackages } from './lib/workspaces.js';

async function newest(folder: string): Promise<number> {
  let t = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

export async function buildWorkspace(dir: string, opts: { bundle: boolean }): Promise<void> {
  const all = await repoPackages();
  const self = all.find((p) => p.dir === dir);
  if (!self) throw new Error(`${dir} is not a workspace of this repository`);
  // Dependencies first (repoPackages is in build order).
  const deps = allLocalDependencies(self, all);
  for (const dep of all.filter((p) => deps.includes(p))) {
    const built = dep.rel === '.' ? path.join(root, 'dist', 'src', 'index.js') : path.join(dep.dir, 'dist');
    const sources =
      dep.rel === '.'
        ? Math.max(await newest(path.join(root, 'src')), ...['generated/schema.ts', 'generated/operations.ts', 'package.json'].map((f) => statSync(path.join(root, f)).mtimeMs))
        : Math.max(await newest(path.join(dep.dir, 'src')), statSync(path.join(dep.dir, 'package.json')).mtimeMs);
    if (!existsSync(built) || statSync(built).mtimeMs < sources || (dep.rel !== '.' && (await newest(built)) < sources)) {
      await step(`${dep.manifest.name}, which it depends on (npm run build)`, () => runChecked('build', 'npm', ['run', '--loglevel=warn', 'build'], { cwd: dep.dir }));
    }
  }
  await step(`clean ${path.basename(dir)}/dist`, () => rm(path.join(dir, 'dist'), { recursive: true, force: true }));
  if (opts.bundle) {
    await step(`esbuild ${path.relative(root, dir)}/src/index.ts → dist/index.js (repository modules inlined, npm packages external)`, async () => {
      await build({
        entryPoints: [path.join(dir, 'src', 'index.ts')],
        outfile: path.join(dir, 'dist', 'index.js'),
        bundle: true,
        // tsconfig.build.json empties the repository's `paths`, which map the SDK's name to its
        // sources: the bundle imports the published SDK instead of carrying a copy of it.
        tsconfig: path.join(dir, 'tsconfig.build.json'),
        packages: 'external',
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'warning',
        legalComments: 'none',
      });
    });
  }
  await step(`tsc -p ${path.relative(root, dir)}/tsconfig.build.json`, () => runChecked('tsc', bin('tsc'), ['-p', path.join(dir, 'tsconfig.build.json')]));
  if (opts.bundle) {
    await step('dist/index.d.ts → the declarations of src/index.ts', async () => {
      const entry = ['types', ...path.relative(root, dir).split(path.sep), 'src', 'index.js'].join('/');
      if (!existsSync(path.join(dir, 'dist', entry.replace(/\.js$/, '.d.ts')))) throw new Error(`tsc wrote no dist/${entry.replace(/\.js$/, '.d.ts')}: check ${path.relative(root, dir)}/tsconfig.build.json (rootDir ../.., outDir dist/types)`);
      await mkdir(path.join(dir, 'dist'), { recursive: true });
      await writeFile(path.join(dir, 'dist', 'index.d.ts'), `export * from './${entry}';\n`);
    });
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(root, 'scripts', 'build-workspace.ts');
if (isEntry) main(() => buildWorkspace(process.cwd(), { bundle: process.argv.includes('--bundle') }));
