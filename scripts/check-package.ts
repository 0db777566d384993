// npm run check:package: pack every package of the repository as it would be published, lint each
// tarball (publint, attw), install each offline in a scratch project the way its README says, then
// run the package tests (test/package/) against those installs.
import { spawn } from 'node:child_process';
import { packAndInstall } from './lib/package.js';
import { bin, main, root } from './lib/steps.js';

main(async () => {
  await packAndInstall();
  console.log('▸ vitest run test/package');
  const code = await new Promise<number>((resolve) => {
    spawn(bin('vitest'), ['run', 'test/package'], { cwd: root, stdio: 'inherit' }).on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) process.exitCode = code;
});
