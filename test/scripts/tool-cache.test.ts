// scripts/lib/cache.ts keeps what Redocly and openapi-typescript made (generate's bundles and
// types, the diff gate's bundles and reports) by a fingerprint of every input. A stale output is a
// defect: one byte more or less in any input is another entry; an entry cut short, edited or
// unreadable is a miss that makes the outputs again, never an error; a writer leaves a whole entry
// or none. (That the diff gate measures a one-byte edit after a cached run, with Redocly itself:
// test/spec/diff.test.ts.)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cached, cacheRoot, fingerprint, specFiles } from '../../scripts/lib/cache.js';
import { generateInputs } from '../../scripts/generate.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tool-cache-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = async (file: string, text: string): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
};

describe('cached outputs (a tool stood in for by a function of its input file)', () => {
  let repo: string;
  let input: string;
  let output: string;
  let runs: number;
  const key = () => fingerprint(['shout v1', [repo, ['input.txt']]]);
  /** The "tool": writes its input in capitals, and counts its runs. */
  const shout = async (): Promise<void> => {
    runs++;
    await writeFile(output, (await readFile(input, 'utf8')).toUpperCase());
  };
  const make = (opts: { keep?: number } = {}) => cached('shout', key, { 'out.txt': output }, shout, { repo, ...opts });
  const entries = async (): Promise<string[]> => readdir(cacheRoot('shout', repo)).catch(() => []);

  beforeAll(async () => {
    repo = path.join(dir, 'repo');
    input = path.join(repo, 'input.txt');
    output = path.join(repo, 'out', 'out.txt');
    await put(input, 'hello\n');
    await mkdir(path.dirname(output), { recursive: true });
    runs = 0;
  });

  it('makes the output once, then restores it for the same input without running the tool', async () => {
    expect(await make()).toBe(false);
    expect(runs).toBe(1);
    await rm(output);
    expect(await make()).toBe(true);
    expect(runs).toBe(1);
    expect(await readFile(output, 'utf8')).toBe('HELLO\n');
  });

  it('one byte changed in the input is another entry: the output follows, never the old one', async () => {
    await writeFile(input, 'hellp\n');
    expect(await make()).toBe(false);
    expect(await readFile(output, 'utf8')).toBe('HELLP\n');
    // Back to the first content: its entry is still there.
    await writeFile(input, 'hello\n');
    expect(await make()).toBe(true);
    expect(await readFile(output, 'utf8')).toBe('HELLO\n');
    expect(runs).toBe(2);
  });

  it('an entry whose file was cut short or edited is a miss: made again, and the entry replaced', async () => {
    const entry = path.join(cacheRoot('shout', repo), await key());
    await writeFile(path.join(entry, 'out.txt'), 'HEL');
    const before = runs;
    expect(await make()).toBe(false);
    expect(runs).toBe(before + 1);
    expect(await readFile(output, 'utf8')).toBe('HELLO\n');
    expect(await readFile(path.join(entry, 'out.txt'), 'utf8')).toBe('HELLO\n');
    expect(await make()).toBe(true);
  });

  it('an unreadable manifest or a missing file is a miss too, never an error', async () => {
    const entry = path.join(cacheRoot('shout', repo), await key());
    await writeFile(path.join(entry, 'manifest.json'), '{"files": ');
    expect(await make()).toBe(false);
    await rm(path.join(entry, 'out.txt'));
    expect(await make()).toBe(false);
    await rm(entry, { recursive: true });
    await mkdir(entry); // a folder with nothing in it
    expect(await make()).toBe(false);
    expect(await readFile(output, 'utf8')).toBe('HELLO\n');
    expect(await make()).toBe(true);
  });

  it('keeps nothing of a tool that failed or threw, and leaves no half-written entry', async () => {
    await writeFile(input, 'failing\n');
    expect(await cached('shout', key, { 'out.txt': output }, async () => (await shout(), false), { repo })).toBe(false);
    await expect(cached('shout', key, { 'out.txt': output }, () => Promise.reject(new Error('tool broke')), { repo })).rejects.toThrow('tool broke');
    expect(await entries()).not.toContain(await key());
    expect((await entries()).filter((e) => e.startsWith('.'))).toEqual([]);
    await writeFile(input, 'hello\n');
  });

  it('keeps nothing when the input changed while the tool ran (the output may be of either version)', async () => {
    await writeFile(input, 'racing\n');
    const racing = await key();
    await cached('shout', key, { 'out.txt': output }, async () => {
      await shout();
      await writeFile(input, 'raced\n');
    }, { repo });
    expect(await entries()).not.toContain(racing);
    expect(await entries()).not.toContain(await key());
    await writeFile(input, 'hello\n');
  });

  it('a cache it cannot write leaves the command as it was', async () => {
    const other = path.join(dir, 'read-only');
    await put(path.join(other, 'input.txt'), 'x\n');
    // node_modules/.cache is a file here: no entry can be made under it.
    await put(path.join(other, 'node_modules', '.cache'), 'not a folder');
    const out = path.join(other, 'out.txt');
    const k = () => fingerprint([[other, ['input.txt']]]);
    expect(await cached('shout', k, { 'out.txt': out }, async () => writeFile(out, 'X\n'), { repo: other })).toBe(false);
    expect(await readFile(out, 'utf8')).toBe('X\n');
  });

  it('keeps the most recently used entries and removes the others', async () => {
    for (const [i, text] of ['a\n', 'b\n', 'c\n'].entries()) {
      await writeFile(input, text);
      await make({ keep: 2 });
      // mtime resolution: each entry used at a time of its own
      const e = path.join(cacheRoot('shout', repo), await key());
      await utimes(e, new Date(Date.now() - (3 - i) * 1000), new Date(Date.now() - (3 - i) * 1000)).catch(() => undefined);
    }
    expect(await entries()).toHaveLength(2);
    expect(await entries()).toContain(await key());
    await writeFile(input, 'hello\n');
  });
});

describe('what generate is kept by (generateInputs)', () => {
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir, 'spec-repo');
    await put(path.join(repo, 'openapi/openapi.yaml'), "openapi: 3.1.0\npaths:\n  /a:\n    $ref: paths/a.yaml\ncomponents:\n  schemas:\n    Shared:\n      $ref: '../shared/Shared.yaml'\n");
    await put(path.join(repo, 'openapi/paths/a.yaml'), 'get:\n  operationId: getA\n');
    await put(path.join(repo, 'openapi/DECISIONS.md'), '# D1\n');
    await put(path.join(repo, 'shared/Shared.yaml'), 'type: string\n');
    await put(path.join(repo, 'redocly.yaml'), 'extends: [recommended]\nplugins:\n  - ./scripts/redocly/plugin.js\n');
    await put(path.join(repo, 'scripts/redocly/plugin.js'), "import { helper } from '../lib/helper.js';\nexport default {};\n");
    await put(path.join(repo, 'scripts/lib/helper.ts'), "export const helper = readFileSync(new URL('../../data/words.json', import.meta.url));\n");
    await put(path.join(repo, 'data/words.json'), '[]\n');
    await put(path.join(repo, 'scripts/generate.ts'), '// runs the tools\n');
    await put(path.join(repo, 'scripts/site/page.ts'), 'export {};\n');
    await put(path.join(repo, 'package.json'), '{"name":"x"}\n');
    await put(path.join(repo, 'node_modules/.package-lock.json'), '{"packages":{"node_modules/@redocly/cli":{"version":"2.0.0"}}}\n');
    await put(path.join(repo, 'src/index.ts'), 'export {};\n');
    await put(path.join(repo, 'generated/openapi.json'), '{}');
  });

  it('changes with one byte of any file the tools read: the spec, a file a $ref names outside it, the config, a plugin and what it loads, package.json, the script that runs them, the installed tools', async () => {
    const seen = new Set([await generateInputs(repo)]);
    expect([...seen][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await generateInputs(repo)).toBe([...seen][0]);
    for (const f of ['openapi/paths/a.yaml', 'openapi/DECISIONS.md', 'shared/Shared.yaml', 'redocly.yaml', 'scripts/redocly/plugin.js', 'scripts/lib/helper.ts', 'data/words.json', 'package.json', 'scripts/generate.ts', 'node_modules/.package-lock.json']) {
      const file = path.join(repo, f);
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/.$/s, ' '));
      const key = await generateInputs(repo);
      expect(seen.has(key), f).toBe(false);
      seen.add(key);
    }
    // A new file in the spec's folder counts too (a path file not yet in git).
    await put(path.join(repo, 'openapi/paths/b.yaml'), 'get: {}\n');
    expect(seen.has(await generateInputs(repo))).toBe(false);
  });

  it('does not change with files the tools do not read, nor with their own outputs (the drift check compares those)', async () => {
    const before = await generateInputs(repo);
    await put(path.join(repo, 'src/index.ts'), 'export const b = 1;\n');
    await put(path.join(repo, 'scripts/site/page.ts'), 'export const page = 1;\n');
    await put(path.join(repo, '.changeset/note.md'), '---\ncontract: minor\n---\n\nx\n');
    await put(path.join(repo, 'generated/openapi.json'), '{"edited": true}');
    expect(await generateInputs(repo)).toBe(before);
  });

  it('is undefined (nothing kept) with a $ref to a URL or without a record of the installed tools', async () => {
    expect(await specFiles(repo, 'openapi')).toContain('shared/Shared.yaml');
    await put(path.join(repo, 'openapi/paths/remote.yaml'), "get:\n  $ref: 'https://example.org/op.yaml'\n");
    expect(await generateInputs(repo)).toBeUndefined();
    await rm(path.join(repo, 'openapi/paths/remote.yaml'));
    expect(await generateInputs(repo)).toMatch(/^[0-9a-f]{64}$/);
    await rm(path.join(repo, 'node_modules/.package-lock.json'));
    expect(await generateInputs(repo)).toBeUndefined();
    expect(existsSync(path.join(repo, 'node_modules/.cache'))).toBe(false);
  });
});
