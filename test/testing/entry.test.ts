// The testing kit, the CLI and the MCP server are separate entries: the SDK's main entry loads none
// of them nor their dependencies, and msw / openapi-msw stay optional peers of the package.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('package entries', () => {
  it('the main entry bundles without the kit, the CLI, the MCP server or their dependencies', async () => {
    const out = await build({
      entryPoints: [path.join(root, 'src', 'index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs).toContain('src/client.ts');
    const unwanted = inputs.filter((i) => /node_modules\/(msw|openapi-msw|@modelcontextprotocol|commander|ajv|zod)\/|src\/(testing|cli|mcp)\/|src\/openapi-document\.ts/.test(i));
    expect(unwanted).toEqual([]);
  });

  it('declares ./testing, the bin, and msw and openapi-msw as optional peers', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg.exports!['./testing']).toEqual({ types: './dist/src/testing/index.d.ts', default: './dist/src/testing/index.js' });
    expect(pkg.bin).toEqual({ bullseye: './dist/src/cli/bin.js' });
    expect(pkg.peerDependencies).toMatchObject({ msw: expect.stringMatching(/^\^2\./), 'openapi-msw': expect.any(String) });
    expect(pkg.peerDependenciesMeta).toEqual({ msw: { optional: true }, 'openapi-msw': { optional: true } });
    expect(Object.keys(pkg.dependencies!)).not.toEqual(expect.arrayContaining(['msw']));
  });
});
