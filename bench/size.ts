// Bundle size per client as a typical consumer bundles it: esbuild, minified, tree-shaken, one file
// (no code splitting), browser ESM, then gzip level 9. Our SDK's consumer makes a client, one GET,
// walks a list with paginate and unwraps a result; the others make the one GET. Entry files live in
// bench/.scratch/size/.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { CONSUMER_BUNDLE_OPTIONS } from '../scripts/lib/spec.js';
import { root, scratchDir } from './lib.js';

export interface SizeResult {
  /** Per client: the one-file bundle, minified, and minified then gzipped. */
  clients: Record<string, { minBytes: number; minGzipBytes: number }>;
  /** What our SDK's bundle is made of: per input file, its minified bytes in the bundle (esbuild's metafile). */
  sdkModules: { file: string; minBytes: number }[];
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
    'our SDK': `import { createPartnerClient, unwrap } from '${rel(dir, path.join(root, 'src', 'index.js'))}';
export async function getPartner(apiKey: string, baseUrl: string) {
  const client = createPartnerClient({ apiKey, baseUrl });
  const names: string[] = [];
  for await (const organization of client.paginate('/partner/organizations')) names.push(organization.name);
  return { names, me: await unwrap(client.GET('/partner/me')) };
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
  let sdkModules: SizeResult['sdkModules'] = [];
  for (const [name, source] of Object.entries(entries)) {
    const slug = name.replace(/\W+/g, '-');
    const entry = path.join(dir, `${slug}.ts`);
    await writeFile(entry, `${source}\n`);
    const out = await build({
      ...CONSUMER_BUNDLE_OPTIONS,
      entryPoints: [entry],
      write: false,
      metafile: name === 'our SDK',
      absWorkingDir: root,
    });
    if (out.outputFiles.length !== 1) throw new Error(`${name}: expected one output file, got ${out.outputFiles.length}`);
    const code = out.outputFiles[0]!.contents;
    const sizes = { minBytes: code.length, minGzipBytes: gzipSync(code, { level: 9 }).length };
    clients[name] = sizes;
    if (out.metafile) sdkModules = moduleShares(out.metafile);
  }
  return { clients, sdkModules, missing };
}

/** Per input file of the SDK's bundle, largest first: its minified bytes in the bundle. */
function moduleShares(metafile: Metafile): SizeResult['sdkModules'] {
  const inputs = Object.values(metafile.outputs)[0]!.inputs;
  return Object.entries(inputs)
    .filter(([file, input]) => input.bytesInOutput > 0 && !file.startsWith('bench/'))
    .map(([file, input]) => ({ file, minBytes: input.bytesInOutput }))
    .sort((a, b) => b.minBytes - a.minBytes);
}
