// npm run build: the SDK package in dist/ (tsc -p tsconfig.build.json: src/ and the generated types
// and operations table it imports). Writes only dist/: generated/ is `npm run generate`'s.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bin, main, root, runChecked, step } from './lib/steps.js';

main(async () => {
  await step('clean dist/', () => rm(path.join(root, 'dist'), { recursive: true, force: true }));
  await step('tsc -p tsconfig.build.json → dist/', () => runChecked('tsc', bin('tsc'), ['-p', 'tsconfig.build.json']));
});
