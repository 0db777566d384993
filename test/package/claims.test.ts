// What the docs say about the SDK package's dependencies is what package.json declares and what an
// install of the packed tarball adds (test-output/package/installs.json, from scripts/lib/package.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installsFile, type InstallReport } from '../../scripts/lib/package.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string): Promise<string> => readFile(path.join(root, file), 'utf8');
const pkg = JSON.parse(await read('package.json')) as { name: string; dependencies: Record<string, string> };
const WORDS: Record<string, number> = { one: 1, two: 2, three: 3 };

describe("the docs' dependency claims", () => {
  it('package/README.md: "One runtime dependency: openapi-fetch … adds 3 packages"', async () => {
    const readme = await read('package/README.md');
    const m = /(\w+) runtime dependenc(?:y|ies): \[([^\]]+)\]/i.exec(readme);
    expect(m, 'the README states its runtime dependencies').not.toBeNull();
    expect(WORDS[m![1]!.toLowerCase()]).toBe(Object.keys(pkg.dependencies).length);
    expect([m![2]]).toEqual(Object.keys(pkg.dependencies));
    const adds = /installing the SDK adds (\d+) packages/.exec(readme);
    expect(adds).not.toBeNull();
    const reports = JSON.parse(await readFile(installsFile, 'utf8')) as InstallReport[];
    expect(reports.find((r) => r.name === pkg.name)!.installed).toHaveLength(Number(adds![1]));
  });

  it('docs/sdk.md: "its only dependency is openapi-fetch"', async () => {
    const m = /its only (?:runtime )?dependency is \[?([\w@/-]+)/.exec(await read('docs/sdk.md'));
    expect(m, 'docs/sdk.md states its dependency').not.toBeNull();
    expect([m![1]]).toEqual(Object.keys(pkg.dependencies));
  });
});
