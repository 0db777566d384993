// npm's prepack and postpack hooks (`npm pack`, `npm publish`):
//   prepack:  build dist/ (what npm run build does), then put the integrator README (package/README.md) in
//             place of the contributor README, since npm always packs the root README.md;
//   postpack: put the contributor README back.
// An interrupted pack leaves README.md swapped and .contributor-README.md beside it: git shows both, and
// the next prepack or postpack puts the contributor README back first.
import { copyFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildSdk } from './build.js';
import { main, root, step, StepError } from './lib/steps.js';

const readme = path.join(root, 'README.md');
// Not named README*: npm packs every root file whose name starts with README.
const saved = path.join(root, '.contributor-README.md');
const packageReadme = path.join(root, 'package', 'README.md');

const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);

async function restore(): Promise<void> {
  if (await exists(saved)) await rename(saved, readme);
}

const hook = process.argv[2];
if (hook !== 'prepack' && hook !== 'postpack') {
  console.error('usage: tsx scripts/pack.ts prepack|postpack (run by npm pack and npm publish)');
  process.exit(2);
}

main(async () => {
  await restore();
  if (hook === 'postpack') return;
  // npm run build's own function, in this process: an npm and a tsx start fewer per pack.
  await buildSdk();
  await step('README.md → the integrator README (package/README.md)', async () => {
    if (!(await exists(packageReadme))) throw new StepError('readme', 'package/README.md is missing');
    await rename(readme, saved);
    await copyFile(packageReadme, readme);
  });
}, { quiet: true });
