// npm run check:drift: do the committed outputs in generated/ match openapi/? Regenerates them
// (bundle, types, operations table; not the docs site), compares, and puts every file back as it
// was: the check never repairs a tree, so it fails again until the author regenerates and commits.
// `npm test` runs the same check.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './generate.js';
import { main, root, step, StepError } from './lib/steps.js';

const inGitHubActions = process.env.GITHUB_ACTIONS === 'true';

/** The files `npm run generate` writes and the repository commits, with their content (not the site). */
async function snapshotGenerated(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== 'generated/site') await walk(rel);
      } else files.set(rel, await readFile(path.join(root, rel), 'utf8'));
    }
  };
  await walk('generated');
  return files;
}

export const DRIFT_ADVICE = 'Never edit generated/ by hand: edit `openapi/` and run `npm run generate`, then commit both.';

/** Puts every generated file back as `before` had it; returns the ones that differed. */
async function restore(before: Map<string, string>): Promise<{ file: string; state: string }[]> {
  const after = await snapshotGenerated();
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
  for (const f of changed) {
    const content = before.get(f);
    if (content === undefined) await rm(path.join(root, f), { force: true });
    else {
      await mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await writeFile(path.join(root, f), content);
    }
  }
  return changed.map((f) => ({ file: f, state: before.has(f) ? (after.has(f) ? 'differs' : 'not generated any more') : 'missing' }));
}

export async function checkDrift(): Promise<void> {
  const before = await snapshotGenerated();
  try {
    await generate({ lint: false });
  } catch (err) {
    await restore(before);
    throw err;
  }
  await step('drift check (the generated files match the spec)', async () => {
    const changed = await restore(before);
    if (changed.length) {
      if (inGitHubActions) for (const c of changed) console.log(`::error title=generated file out of date,file=${c.file}::${DRIFT_ADVICE}`);
      throw new StepError(
        'drift',
        `generated files do not match openapi/ (left as they are, so this fails until fixed). ${DRIFT_ADVICE}`,
        changed.map((c) => `  ${c.state}  ${c.file}`).join('\n'),
      );
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(checkDrift);
}
