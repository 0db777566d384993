// npm's prepack and postpack hooks of a workspace package (packages/*), run in its directory by
// `npm pack -w <dir>` and `npm publish`:
//   prepack:  build it (scripts/build-workspace.ts), then rewrite each `file:` dependency on another
//             package of this repository (`"@bullseye/api": "file:../.."`, which links the workspace
//             to the SDK) to that package's exact version, as the published tarball must say;
//   postpack: put package.json back as it was.
// An interrupted pack leaves `.package.json.before-pack` beside package.json: the next prepack or
// postpack puts it back first.
import { copyFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkspace } from './build-workspace.js';
import { main, runChecked, step } from './lib/steps.js';
import { localDependencies, readManifest, repoPackages } from './lib/workspaces.js';

const dir = process.cwd();
const manifestFile = path.join(dir, 'package.json');
const saved = path.join(dir, '.package.json.before-pack');
const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);

const hook = process.argv[2];
if (hook !== 'prepack' && hook !== 'postpack') {
  console.error('usage: tsx scripts/pack-workspace.ts prepack|postpack (run by npm pack and npm publish in a workspace)');
  process.exit(2);
}

main(async () => {
  if (await exists(saved)) await rename(saved, manifestFile);
  if (hook === 'postpack') return;
  // The build script every workspace here has runs in this process (an npm and a tsx start fewer
  // per pack); any other build script through npm run.
  const build = /^tsx \.\.\/\.\.\/scripts\/build-workspace\.ts( --bundle)?$/.exec((await readManifest(dir)).scripts?.build ?? '');
  if (build) await buildWorkspace(dir, { bundle: build[1] !== undefined });
  else await step(`build ${path.basename(dir)} (npm run build)`, () => runChecked('build', 'npm', ['run', '--loglevel=warn', 'build'], { cwd: dir }));
  await step('package.json: file: dependencies → the exact released versions', async () => {
    const all = await repoPackages();
    const self = all.find((p) => p.dir === dir);
    if (!self) throw new Error(`${dir} is not a workspace of this repository`);
    const manifest = await readManifest(dir);
    for (const target of localDependencies(self, all)) manifest.dependencies![target.manifest.name] = target.manifest.version;
    await copyFile(manifestFile, saved);
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  });
}, { quiet: true });
