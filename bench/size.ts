// Bundle size of one typical call (GET /partner/me) per client: esbuild bundle, minified,
// tree-shaken and code-split for the browser (as Vite, Rollup and webpack split dynamic imports),
// then gzip level 9 per chunk. The size of a client is what its call loads: the entry chunk and the
// chunks it imports statically. Chunks behind a dynamic import (our SDK's error, retry and
// pagination code, and its operation table) load only when needed and are reported apart as lazy.
// Entry files live in bench/.scratch/size/.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CONSUMER_BUNDLE_OPTIONS } from '../scripts/lib/spec.js';
import { chunksLoadedUpFront } from '../scripts/lib/bundle.js';
import { root, scratchDir } from './lib.js';

export interface SizeResult {
  /** Per client: what one successful call loads, and what loads later on demand (lazy chunks). */
  clients: Record<string, { minBytes: number; minGzipBytes: number; lazyMinBytes: number; lazyMinGzipBytes: number }>;
  missing: Record<string, string>;
}

const rel = (from: string, to: string): string => {
  const r = path.relative(from, to).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
};

export async function measureSizes(redoclyClient: string | undefined): Promise<SizeResult> {
  const dir = await scratchDir('size');
  const entries: Record<string, string> = {
    'raw fetch': `export async function getPartner(apiKey: string, baseUrl: string) {
  const res = await fetch(baseUrl + '/partner/me', { headers: { 'X-Partner-API-Key': apiKey } });
  return { data: res.ok ? await res.json() : undefined, error: res.ok ? undefined : await res.json(), response: res };
}`,
    'openapi-fetch': `import createClient from 'openapi-fetch';
export function getPartner(apiKey: string, baseUrl: string) {
  return createClient({ baseUrl, headers: { 'X-Partner-API-Key': apiKey } }).GET('/partner/me');
}`,
    'our SDK': `import { createPartnerClient } from '${rel(dir, path.join(root, 'src', 'index.js'))}';
export function getPartner(apiKey: string, baseUrl: string) {
  return createPartnerClient({ apiKey, baseUrl }).GET('/partner/me');
}`,
  };
  const missing: Record<string, string> = {};
  if (redoclyClient) {
    entries['redocly client'] = `import { createClient, OPERATIONS } from '${rel(dir, redoclyClient).replace(/\.ts$/, '.js')}';
export function getPartner(apiKey: string, baseUrl: string) {
  return createClient(OPERATIONS, { serverUrl: baseUrl, auth: { apiKey: { PartnerApiKey: apiKey } }, retry: { retries: 2 }, timeout: 30_000, errorMode: 'result' }).getPartner();
}`;
  } else missing['redocly client'] = 'the Redocly client was not generated';

  const clients: SizeResult['clients'] = {};
  for (const [name, source] of Object.entries(entries)) {
    const slug = name.replace(/\W+/g, '-');
    const entry = path.join(dir, `${slug}.ts`);
    const outdir = path.join(dir, `${slug}.out`);
    await writeFile(entry, `${source}\n`);
    const out = await build({
      ...CONSUMER_BUNDLE_OPTIONS,
      entryPoints: [entry],
      splitting: true,
      outdir,
      metafile: true,
      write: false,
      absWorkingDir: root,
    });
    // Chunks keyed by their path relative to the working directory, as the metafile names them.
    const files = new Map(out.outputFiles.map((f) => [path.relative(root, f.path).split(path.sep).join('/'), f.contents]));
    const initial = chunksLoadedUpFront(out.metafile.outputs);
    const sizes = { minBytes: 0, minGzipBytes: 0, lazyMinBytes: 0, lazyMinGzipBytes: 0 };
    for (const [file, code] of files) {
      if (!file.endsWith('.js')) continue;
      const gz = gzipSync(code, { level: 9 }).length;
      if (initial.has(file)) {
        sizes.minBytes += code.length;
        sizes.minGzipBytes += gz;
      } else {
        sizes.lazyMinBytes += code.length;
        sizes.lazyMinGzipBytes += gz;
      }
    }
    clients[name] = sizes;
  }
  return { clients, missing };
}
