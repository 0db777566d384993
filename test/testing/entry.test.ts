// The testing kit and the spec view are separate entries, and the CLI and the MCP server a separate
// package: the SDK's main entry loads none of them nor their dependencies, and msw / openapi-msw stay
// optional peers of the package.
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
    const unwanted = inputs.filter((i) => /node_modules\/(msw|openapi-msw|@modelcontextprotocol|commander|ajv|zod)\/|src\/(testing|cli|mcp)\/|packages\/|src\/openapi-document\.ts/.test(i));
    expect(unwanted).toEqual([]);
  });

  it('declares ./testing and ./spec, no bin (the CLI package has it), and msw and openapi-msw as optional peers', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg.exports!['./testing']).toEqual({ types: './dist/src/testing/index.d.ts', default: './dist/src/testing/index.js' });
    expect(pkg.exports!['./spec']).toEqual({ types: './dist/src/openapi-document.d.ts', default: './dist/src/openapi-document.js' });
    expect(pkg.bin).toBeUndefined();
    const cli = JSON.parse(await readFile(path.join(root, 'packages', 'cli', 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(cli.bin).toEqual({ bullseye: './dist/cli/bin.js' });
    expect(pkg.peerDependencies).toMatchObject({ msw: expect.stringMatching(/^\^2\./), 'openapi-msw': expect.any(String) });
    expect(pkg.peerDependenciesMeta).toEqual({ msw: { optional: true }, 'openapi-msw': { optional: true } });
    expect(Object.keys(pkg.dependencies!)).not.toEqual(expect.arrayContaining(['msw']));
  });
});
