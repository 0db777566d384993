// The code in README.md and docs/sdk.md (the SDK's reference page), which the guides test does not
// cover. docs/sdk.md reads top to bottom as one program (later blocks use the clients made in the
// first), so its `ts` blocks are type-checked together, in order, as one module; its only other
// block is the install command. The README's example type-checks and runs against the mock.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fencedBlocks, root, runModule, TEST_ENV, toMock, typecheck, writeModules } from './support.js';

const sdkDoc = fencedBlocks(await readFile(path.join(root, 'docs', 'sdk.md'), 'utf8'));
const readme = fencedBlocks(await readFile(path.join(root, 'README.md'), 'utf8'));
const mockUrl = inject('mockUrl');
const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
const outDir = path.join(root, 'test-output', 'reference-docs');
let files = new Map<string, string>();
let diagnostics = '';

beforeAll(async () => {
  files = await writeModules(outDir, [
    { name: 'sdk-md', source: sdkDoc.filter((b) => b.lang === 'ts').map((b) => b.source).join('\n') },
    { name: 'readme', source: toMock(readme.filter((b) => b.lang === 'ts').map((b) => b.source).join('\n'), mockUrl) },
  ]);
  diagnostics = await typecheck(outDir);
}, 240_000);

describe('docs/sdk.md and README.md code', () => {
  it('docs/sdk.md has only ts blocks and the install command (of the release tarball)', () => {
    expect(sdkDoc.filter((b) => b.lang === 'ts').length).toBeGreaterThan(5);
    expect(sdkDoc.filter((b) => b.lang !== 'ts').map((b) => `${b.lang}: ${b.source.trim()}`)).toEqual([`sh: npm install ./bullseye-api-${version}.tgz`]);
  });

  it('the README has the two commands and one ts example', () => {
    expect(readme.map((b) => b.lang)).toEqual(['sh', 'ts']);
    expect(readme[0]!.source).toMatch(/^npm ci && npm start\b/m);
    expect(readme[0]!.source).toMatch(/^npm test\b/m);
    // Exactly those two for a fresh machine: anything else goes below them.
    expect(readme[0]!.source.trim().split('\n')).toHaveLength(2);
  });

  it('type-check against the SDK (strict)', () => {
    expect(files.size).toBe(2);
    expect(diagnostics).toBe('');
  });

  it('the README example runs against the mock and prints the partner', async () => {
    const lines = await runModule(files.get('readme')!);
    expect(lines.length).toBe(1);
    expect(typeof lines[0]![0]).toBe('string');
    expect(JSON.stringify(lines)).not.toContain(TEST_ENV.BULLSEYE_PARTNER_API_KEY);
  });
});
