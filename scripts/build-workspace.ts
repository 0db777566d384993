// `npm run build` of a workspace package (packages/*), run in its directory: the SDK it imports by
// name is built first when its dist/ is missing or older than its sources (the workspace compiles
// against the SDK's published types, as an integrator would), then `tsc -p tsconfig.build.json`
// into the workspace's own dist/.
import { existsSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { bin, main, root, runChecked, step } from './lib/steps.js';

const dir = process.cwd();

async function newest(folder: string): Promise<number> {
  let t = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

main(async () => {
  const sdkBuilt = path.join(root, 'dist', 'src', 'index.js');
  const sdkSources = Math.max(await newest(path.join(root, 'src')), ...['generated/schema.ts', 'generated/operations.ts', 'package.json'].map((f) => statSync(path.join(root, f)).mtimeMs));
  if (!existsSync(sdkBuilt) || statSync(sdkBuilt).mtimeMs < sdkSources) {
    await step('the SDK it depends on (npm run build at the root)', () => runChecked('build', 'npm', ['run', '--loglevel=warn', 'build'], { cwd: root }));
  }
  await step(`clean ${path.basename(dir)}/dist`, () => rm(path.join(dir, 'dist'), { recursive: true, force: true }));
  await step(`tsc -p ${path.relative(root, dir)}/tsconfig.build.json`, () => runChecked('tsc', bin('tsc'), ['-p', path.join(dir, 'tsconfig.build.json')]));
});
