// npm run check:package: pack the SDK as it would be published, lint the tarball (publint, attw),
// install it in a scratch project, then run the package tests (test/package/) against that install.
import { packAndInstall } from './lib/package.js';
import { bin, main, root } from './lib/steps.js';
import { spawn } from 'node:child_process';

main(async () => {
  await packAndInstall();
  console.log('▸ vitest run test/package');
  const code = await new Promise<number>((resolve) => {
    spawn(bin('vitest'), ['run', 'test/package'], { cwd: root, stdio: 'inherit' }).on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) process.exitCode = code;
});
