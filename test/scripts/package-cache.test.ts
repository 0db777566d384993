// scripts/lib/package.ts keeps the tarballs and scratch installs of the last `npm test` when nothing
// they are made of changed: the fingerprint of its inputs, and the checks that decide to keep them.
// A fresh clone (no stamp), a changed input, a changed tarball or a changed install rebuilds.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptInstalls, packageInputs, writeStamp } from '../../scripts/lib/package-cache.js';

type InstallReport = NonNullable<Awaited<ReturnType<typeof keptInstalls>>>[number];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'package-cache-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the fingerprint of what the packages are made of (packageInputs)', () => {
  let repo: string;
  const put = async (file: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), text);
  };

  beforeAll(async () => {
    repo = path.join(dir, 'repo');
    await mkdir(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    await put('.gitignore', 'dist/\n');
    await put('src/index.ts', 'export const a = 1;\n');
    await put('package.json', '{"name":"x","version":"1.0.0"}\n');
    await put('test/a.test.ts', 'a\n');
    execFileSync('git', ['add', '-A'], { cwd: repo });
  });

  it('is the same for the same files, and changes with a source, a new file or a manifest', async () => {
    const before = await packageInputs(repo);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await packageInputs(repo)).toBe(before);
    await put('src/index.ts', 'export const a = 2;\n');
    const changed = await packageInputs(repo);
    expect(changed).not.toBe(before);
    // A new file git does not know yet is an input too.
    await put('src/extra.ts', 'export {};\n');
    const added = await packageInputs(repo);
    expect(added).not.toBe(changed);
    await put('package.json', '{"name":"x","version":"1.0.1"}\n');
    expect(await packageInputs(repo)).not.toBe(added);
  });

  it('ignores the tests, ignored files (built output) and change notes, which no package carries', async () => {
    const before = await packageInputs(repo);
    await put('test/a.test.ts', 'b\n');
    await put('test/new.test.ts', 'c\n');
    await put('dist/index.js', 'built\n');
    await put('.changeset/note.md', '---\n---\nnote\n');
    expect(await packageInputs(repo)).toBe(before);
  });

  it('is undefined outside a git checkout (then everything is built)', async () => {
    const plain = path.join(dir, 'plain');
    await mkdir(plain);
    // Not inside any repository: git fails, so there is nothing to compare with.
    expect(await packageInputs(plain)).toBeUndefined();
  });
});

describe('keeping the last tarballs and installs (keptInstalls)', () => {
  let out: string;
  const packages = [{ tarball: 'a-1.0.0.tgz' }, { tarball: 'b-1.0.0.tgz' }];
  let reports: InstallReport[];

  beforeAll(async () => {
    out = path.join(dir, 'out');
    await mkdir(out);
    reports = [];
    for (const [i, pkg] of packages.entries()) {
      await writeFile(path.join(out, pkg.tarball), `tarball ${i}`);
      const consumer = path.join(out, `consumer-${i}`);
      await mkdir(path.join(consumer, 'node_modules', 'dep'), { recursive: true });
      await writeFile(path.join(consumer, 'node_modules', 'dep', 'package.json'), '{"name":"dep","version":"1.2.3"}');
      reports.push({ name: `p${i}`, version: '1.0.0', tarball: pkg.tarball, unpackedBytes: 1, files: 1, consumer, command: `npm install ./${pkg.tarball}`, installed: ['dep@1.2.3'], installedBytes: 1 });
    }
    await writeFile(path.join(out, 'installs.json'), JSON.stringify(reports));
  });

  it('keeps nothing before a run has succeeded (a fresh clone builds everything)', async () => {
    expect(await keptInstalls('inputs-1', packages, out)).toBeUndefined();
  });

  it('keeps the reports of a run made from the same inputs, and nothing for other inputs', async () => {
    await writeStamp('inputs-1', packages, out);
    expect(await keptInstalls('inputs-1', packages, out)).toEqual(reports);
    expect(await keptInstalls('inputs-2', packages, out)).toBeUndefined();
  });

  it('rebuilds when a tarball changed or another set of packages is asked for', async () => {
    await writeStamp('inputs-1', packages, out);
    expect(await keptInstalls('inputs-1', [packages[0]!], out)).toBeUndefined();
    await writeFile(path.join(out, packages[1]!.tarball), 'tarball changed');
    expect(await keptInstalls('inputs-1', packages, out)).toBeUndefined();
    await writeFile(path.join(out, packages[1]!.tarball), 'tarball 1');
    expect(await keptInstalls('inputs-1', packages, out)).toEqual(reports);
  });

  it('rebuilds when a scratch project no longer has exactly the packages its install added', async () => {
    await writeStamp('inputs-1', packages, out);
    const extra = path.join(reports[0]!.consumer, 'node_modules', 'extra');
    await mkdir(extra);
    await writeFile(path.join(extra, 'package.json'), '{"name":"extra","version":"0.0.1"}');
    expect(await keptInstalls('inputs-1', packages, out)).toBeUndefined();
    await rm(extra, { recursive: true });
    expect(await keptInstalls('inputs-1', packages, out)).toEqual(reports);
    await rm(path.join(reports[1]!.consumer, 'node_modules'), { recursive: true });
    expect(await keptInstalls('inputs-1', packages, out)).toBeUndefined();
  });
});
