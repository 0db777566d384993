// What a successful call loads. The SDK keeps its rare paths (typed errors, retries and waits,
// pagination, throttling, faithful mode, the operation table) behind `import()`, so that a bundler
// that splits chunks leaves them out of the code a plain call loads. This test bundles one typical
// call the way `npm run bench` does and checks which source files land in the chunks loaded up
// front: a static import of a rare-path module from the hot path fails it. (The size budget itself
// lives in the bench.)
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { chunksLoadedUpFront } from '../../scripts/lib/bundle.js';
import { CONSUMER_BUNDLE_OPTIONS } from '../../scripts/lib/spec.js';

const root = path.resolve(import.meta.dirname, '..', '..');

async function chunks(source: string): Promise<{ initial: Set<string>; lazy: Set<string> }> {
  const out = await build({
    ...CONSUMER_BUNDLE_OPTIONS,
    stdin: { contents: source, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
    splitting: true,
    outdir: path.join(root, 'test-output', 'bundle'),
    metafile: true,
    write: false,
    absWorkingDir: root,
  });
  const meta = out.metafile.outputs;
  const loaded = chunksLoadedUpFront(meta);
  const initial = new Set<string>();
  const lazy = new Set<string>();
  for (const [chunk, info] of Object.entries(meta)) {
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      if (bytesInOutput > 0) (loaded.has(chunk) ? initial : lazy).add(input);
    }
  }
  return { initial, lazy };
}

const RARE = [
  'src/core/failures.ts',
  'src/core/backoff.ts',
  'src/core/pagination.ts',
  'src/core/throttle.ts',
  'src/core/faithful.ts',
  'src/core/operations.ts',
  'src/core/operations.gen.ts',
];

describe('bundle of one typical call', () => {
  it('loads the client and transport up front and every rare path lazily', async () => {
    const { initial, lazy } = await chunks(`import { createPartnerClient } from './src/index.js';
export const call = (apiKey: string) => createPartnerClient({ apiKey }).GET('/partner/me');`);
    expect([...initial]).toEqual(expect.arrayContaining(['src/client.ts', 'src/core/transport.ts', 'src/core/options.ts']));
    for (const file of RARE) {
      expect(initial.has(file), `${file} is loaded up front`).toBe(false);
      expect(lazy.has(file), `${file} is in no lazy chunk`).toBe(true);
    }
    // Webhook helpers are not used by the call: tree-shaken away entirely.
    expect(initial.has('src/core/webhooks.ts') || lazy.has('src/core/webhooks.ts')).toBe(false);
  });

  it('loads the error classes up front when the caller imports them for instanceof checks', async () => {
    const { initial } = await chunks(`import { createPartnerClient, RateLimitError } from './src/index.js';
export const call = async (apiKey: string) => {
  try { return await createPartnerClient({ apiKey }).GET('/partner/me'); } catch (e) { return e instanceof RateLimitError; }
};`);
    expect(initial.has('src/core/errors.ts')).toBe(true);
    expect(initial.has('src/core/failures.ts')).toBe(false);
  });
});

describe('error names in a minified bundle', () => {
  it('keep their class names (minifiers rename classes)', async () => {
    const out = await build({
      entryPoints: [path.join(root, 'src', 'index.ts')],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const sdk = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof import('../../src/index.js');
    const init = { code: 'x', message: 'm' };
    const made = {
      BullseyeError: new sdk.BullseyeError(init),
      ValidationError: new sdk.ValidationError(init),
      AuthenticationError: new sdk.AuthenticationError(init),
      PermissionError: new sdk.PermissionError(init),
      NotFoundError: new sdk.NotFoundError(init),
      RateLimitError: new sdk.RateLimitError(init),
      ServerError: new sdk.ServerError(init),
      ConnectionError: new sdk.ConnectionError(init),
      TimeoutError: new sdk.TimeoutError(init),
      InvalidResponseError: new sdk.InvalidResponseError(init),
      ConfigurationError: new sdk.ConfigurationError('m'),
    };
    for (const [name, err] of Object.entries(made)) {
      expect(err.name, name).toBe(name);
      expect(String(err), name).toBe(`${name}: m`);
      expect(err.toJSON().name, name).toBe(name);
    }
    expect(() => sdk.createPartnerClient({ apiKey: ' ' })).toThrow(expect.objectContaining({ name: 'ConfigurationError' }));
    // The minifier did rename the classes: the names above come from the SDK, not from the bundle.
    expect(Object.values(made).some((err) => err.constructor.name !== err.name)).toBe(true);
  });
});
