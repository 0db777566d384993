// npm run generate: everything downstream of openapi/ is produced here, step by step, with timings.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import YAML from 'yaml';
import path from 'node:path';
import { bin, main, root, runChecked, step, type StepError } from './lib/steps.js';
import { buildSite } from './lib/docs.js';
import { writeOperationsTable } from './operations-table.js';

const gen = path.join(root, 'generated');
const entry = 'openapi/openapi.yaml';
// --force: work-in-progress mode for spec authors; lint problems are printed but do not stop the bundle.
const force = process.argv.includes('--force');

main(async () => {
  await mkdir(gen, { recursive: true });
  await step('lint spec (redocly, strict rules)', async () => {
    try {
      await runChecked('lint', bin('redocly'), ['lint', entry, '--format=stylish']);
    } catch (err) {
      if (!force) throw err;
      console.warn(`\n${(err as StepError).output}\n(--force: continuing despite lint problems)`);
    }
  });
  const forceArgs = force ? ['--force'] : [];
  await step('bundle → generated/openapi.yaml', () =>
    runChecked('bundle', bin('redocly'), ['bundle', entry, '-o', 'generated/openapi.yaml', ...forceArgs]),
  );
  await step('bundle → generated/openapi.json', () =>
    runChecked('bundle', bin('redocly'), ['bundle', entry, '-o', 'generated/openapi.json', ...forceArgs]),
  );
  if (force) await step('drop unresolved paths (--force)', dropUnresolvedPaths);
  await step('types → generated/schema.ts (openapi-typescript)', () =>
    runChecked('types', bin('openapi-typescript'), ['generated/openapi.yaml', '-o', 'generated/schema.ts', '--default-non-nullable=false']),
  );
  await step('operations table → generated/operations.ts', () => writeOperationsTable());
  await step('docs site → generated/site', buildSite);
});

/** In --force mode the bundle keeps $refs to path files that do not exist yet; leave them out. */
async function dropUnresolvedPaths(): Promise<void> {
  const file = path.join(gen, 'openapi.json');
  const doc = JSON.parse(await readFile(file, 'utf8')) as { paths?: Record<string, Record<string, unknown>> };
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    if (typeof item.$ref === 'string' && !item.$ref.startsWith('#')) delete doc.paths![p];
  }
  await writeFile(file, JSON.stringify(doc, null, 2) + '\n');
  await writeFile(path.join(gen, 'openapi.yaml'), YAML.stringify(doc));
}
