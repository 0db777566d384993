// Compiles a README's TypeScript blocks as one module in a scratch project that installed the
// packed tarballs, the way a reader who copies them would: strict, against the installed
// declarations. The package tests share it (the SDK's README and the sandbox's).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');

/** The README's ```ts blocks, in page order. */
export async function readmeBlocks(readmePath: string): Promise<string[]> {
  const readme = await readFile(readmePath, 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Type-checks `source` as `readme.mts` in `consumer`; returns tsc's report ('' when it compiles). */
export async function typecheckInConsumer(consumer: string, source: string): Promise<string> {
  await writeFile(path.join(consumer, 'readme.mts'), source);
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      module: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      noEmit: true,
      skipLibCheck: true,
      typeRoots: [path.join(root, 'node_modules', '@types')],
      types: ['node'],
      // What tsc found is kept by content between runs (node_modules/.cache: `npm ci` starts
      // afresh): an unchanged README against unchanged declarations is not checked again.
      incremental: true,
      tsBuildInfoFile: path.join(root, 'node_modules', '.cache', 'tsc', `readme-${path.basename(consumer)}.tsbuildinfo`),
    },
    files: ['readme.mts'],
  };
  await writeFile(path.join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return exec(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', consumer, '--pretty', 'false'], { cwd: consumer }).then(
    () => '',
    (err: { stdout?: string; message: string }) => err.stdout || err.message,
  );
}
