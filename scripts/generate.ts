// npm run generate: everything downstream of openapi/ is produced here, step by step, with timings.
// `npm test` runs the same steps (lint and the docs site as steps of its own, see scripts/test.ts).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import YAML from 'yaml';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, main, parallel, root, run, runChecked, step, StepError, stripBanner } from './lib/steps.js';
import { cached, hashFiles, redoclyLint, specToolInputs } from './lib/cache.js';
import { formatProblems, specFileProblems } from './lib/spec-files.js';
import { buildSite, siteDir } from './site/docs.js';
import { writeOperationsTable } from './operations-table.js';
import { writeDocTables } from './doc-tables.js';

const gen = path.join(root, 'generated');
const entry = 'openapi/openapi.yaml';

export interface GenerateOptions {
  /** Lint before bundling (off in `npm test`, which lints once as a step of its own). */
  lint?: boolean;
  /** Work-in-progress mode for spec authors: lint problems are printed but do not stop the bundle. */
  force?: boolean;
}

/** The committed outputs: bundled spec, types, the SDK's operation table. */
export async function generate({ lint = true, force = false }: GenerateOptions = {}): Promise<void> {
  await mkdir(gen, { recursive: true });
  if (lint) {
    await step('lint spec (redocly, strict rules)', async () => {
      try {
        const r = await redoclyLint(['lint', entry, '--format=stylish']);
        if (r.code !== 0) throw new StepError('lint', `lint failed (exit ${r.code})`, stripBanner(`${r.stdout}\n${r.stderr}`));
        const problems = specFileProblems(root);
        if (problems.length) throw new StepError('lint', `${problems.length} problem(s) in openapi/ files`, formatProblems(problems, 'stylish'));
      } catch (err) {
        if (!force) throw err;
        console.warn(`\n${(err as StepError).output}\n(--force: continuing despite lint problems)`);
      }
    });
  }
  const forceArgs = force ? ['--force'] : [];
  const bundle = (out: string) => () => step(`bundle → ${out}`, () => runChecked('bundle', bin('redocly'), ['bundle', entry, '-o', out, ...forceArgs]));
  const types = () => step('types → generated/schema.ts (openapi-typescript)', () =>
    runChecked('types', bin('openapi-typescript'), ['generated/openapi.yaml', '-o', 'generated/schema.ts', '--default-non-nullable=false']),
  );
  const operationsTable = () => step('operations and APIs tables → generated/operations.ts, generated/apis.ts', () => writeOperationsTable());
  if (force) {
    await bundle('generated/openapi.yaml')();
    await bundle('generated/openapi.json')();
    await step('drop unresolved paths (--force)', dropUnresolvedPaths);
    await types();
    await operationsTable();
    return;
  }
  // The types come from the YAML bundle and the operations table from the JSON one: two chains.
  // What Redocly and openapi-typescript make is kept by the fingerprint of everything they read
  // (scripts/lib/cache.ts): the same spec again (the drift check after a generate, a branch switched
  // back) takes the files from node_modules/.cache/generate instead of seconds of both tools.
  const outputs = { 'openapi.yaml': path.join(gen, 'openapi.yaml'), 'openapi.json': path.join(gen, 'openapi.json'), 'schema.ts': path.join(gen, 'schema.ts') };
  const make = () =>
    parallel([
      async () => {
        await bundle('generated/openapi.yaml')();
        await types();
      },
      async () => {
        await bundle('generated/openapi.json')();
        await operationsTable();
      },
    ]);
  const kept = await cached('generate', () => generateInputs(), outputs, make, { keep: 16 });
  if (kept) {
    await step('bundles and types (spec and tools unchanged: kept from node_modules/.cache/generate)', async () => {});
    await operationsTable();
  }
}

/** Fingerprint of everything the bundles and the types are made from (scripts/lib/cache.ts specToolInputs). */
export const generateInputs = (repo = root): Promise<string | undefined> =>
  specToolInputs('generate: openapi.yaml, openapi.json (redocly bundle), schema.ts (openapi-typescript --default-non-nullable=false)', ['scripts/generate.ts'], repo);

const SITE_STAMP = path.join(siteDir, '.inputs-sha256');

/**
 * Fingerprint of everything the docs site is built from: every file git knows of (tracked or new,
 * ignored ones excepted) outside test/ and bench/, plus the generated spec, plus the ports of
 * `npm start`. The spec, the guides, the SDK sources TypeDoc reads, the build scripts and the
 * locked tool versions are all in it. A new input from outside the repository belongs here too.
 */
async function siteInputs(): Promise<string | undefined> {
  const r = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  if (r.code !== 0) return undefined;
  const files = [...new Set([...r.stdout.split('\0'), 'generated/openapi.json', 'generated/openapi.yaml'])]
    .filter((f) => f && !/^(test|bench)\//.test(f))
    .sort();
  const hash = createHash('sha256');
  // The ports `npm start` serves on, in case a page names them (the try-it console's mock URL).
  hash.update(`MOCK_PORT=${process.env.MOCK_PORT ?? ''}\0DOCS_PORT=${process.env.DOCS_PORT ?? ''}\0`);
  await hashFiles(hash, root, files);
  return hash.digest('hex');
}

/**
 * Builds generated/site, unless it was already built from exactly these inputs (the site is not
 * committed, so without this every `npm test` would rebuild it: TypeDoc and Redoc take seconds).
 */
export async function buildSiteIfChanged(): Promise<void> {
  const inputs = await siteInputs();
  const built = inputs && existsSync(SITE_STAMP) ? (await readFile(SITE_STAMP, 'utf8')).trim() : undefined;
  if (inputs && built === inputs) {
    await step('docs site → generated/site (inputs unchanged: kept)', async () => {});
    return;
  }
  await step('docs site → generated/site', buildSite);
  if (inputs) await writeFile(SITE_STAMP, `${inputs}\n`);
}

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

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  main(async () => {
    await generate({ force: process.argv.includes('--force') });
    await step('tables of the docs → docs/*.md (scripts/doc-tables.ts)', async () => {
      await writeDocTables();
    });
    await buildSiteIfChanged();
  });
}
