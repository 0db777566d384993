// npm run build: the SDK package in dist/ (tsc -p tsconfig.build.json: src/ and the generated types
// and tables it imports), plus the plain JavaScript modules of src/ with their declarations (tsc
// neither emits nor copies those). Writes only dist/: generated/ is `npm run generate`'s.
// The prepack hook (scripts/pack.ts) calls buildSdk in its own process rather than through npm run.
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { bin, main, root, runChecked, step } from './lib/steps.js';

export async function buildSdk(): Promise<void> {
  await step('clean dist/', () => rm(path.join(root, 'dist'), { recursive: true, force: true }));
  await step('tsc -p tsconfig.build.json → dist/', () => runChecked('tsc', bin('tsc'), ['-p', 'tsconfig.build.json']));
  await step('src/*.js and their .d.ts → dist/src/', async () => {
    const src = path.join(root, 'src');
    for (const name of (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.js'))) {
      await copyFile(path.join(src, name), path.join(root, 'dist', 'src', name));
      await copyFile(path.join(src, name.replace(/\.js$/, '.d.ts')), path.join(root, 'dist', 'src', name.replace(/\.js$/, '.d.ts')));
    }
  });
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(root, 'scripts', 'build.ts');
if (isEntry) main(buildSdk);
