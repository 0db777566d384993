// The SDK as a consumer bundles it: one file, no code loaded later, nothing unused; and the error
// names survive minification. (The size budget itself lives in the bench.)
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CONSUMER_BUNDLE_OPTIONS } from '../../scripts/lib/spec.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('src/', () => {
  it('loads nothing on demand: no import() anywhere', async () => {
    const files = (await readdir(path.join(root, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = await readFile(path.join(root, 'src', file), 'utf8');
      expect(text, file).not.toMatch(/\bimport\s*\(/);
    }
  });

  it('bundles a typical consumer into one file without the webhook helpers it does not use', async () => {
    const out = await build({
      stdin: {
        contents: `import { createPartnerClient, unwrap } from './src/index.js';
export async function main(apiKey: string) {
  const client = createPartnerClient({ apiKey });
  for await (const org of client.paginate('/partner/organizations')) console.log(org.id);
  return unwrap(client.GET('/partner/me'));
}`,
        resolveDir: root,
        sourcefile: 'entry.ts',
        loader: 'ts',
      },
      ...CONSUMER_BUNDLE_OPTIONS,
      metafile: true,
      write: false,
      absWorkingDir: root,
    });
    expect(out.outputFiles).toHaveLength(1);
    const [output] = Object.values(out.metafile.outputs);
    const used = Object.entries(output!.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);
    expect(used).toEqual(expect.arrayContaining(['src/client.ts', 'src/core/transport.ts', 'src/core/errors.ts', 'generated/operations.ts']));
    expect(used).not.toContain('src/core/webhooks.ts');
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
