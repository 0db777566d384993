// Every npx command the docs show must run our own package: an unscoped `npx bullseye` downloads and
// runs an unrelated public package with the reader's key in its environment. So each npx line a
// reader can copy (in a code block, an inline code span or an MCP client configuration) names a
// scoped `@bullseye/` package, pinned to the version this repository releases (or a placeholder in
// a template). test/package/cli.test.ts runs the MCP line itself from the packed tarballs.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './support.js';

const exists = (f: string): Promise<boolean> => readFile(path.join(root, f), 'utf8').then(() => true, () => false);
const packageDirs = (await readdir(path.join(root, 'packages')).catch(() => [] as string[])).map((p) => `packages/${p}`);

async function markdownFiles(): Promise<string[]> {
  const files = ['README.md', 'package/README.md', 'CONTRIBUTING.md', ...packageDirs.map((d) => `${d}/README.md`)];
  for (const f of await readdir(path.join(root, 'docs'))) if (f.endsWith('.md')) files.push(`docs/${f}`);
  const present: string[] = [];
  for (const f of files) if (await exists(f)) present.push(f);
  return present;
}

/** The code of a page a reader copies: fenced blocks and inline code spans. */
function codeOf(markdown: string): string {
  const fence = /^```[^\n]*\n([\s\S]*?)^```/gm;
  const fenced = [...markdown.matchAll(fence)].map((m) => m[1]!);
  const inline = [...markdown.replace(fence, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...fenced, ...inline].join('\n');
}

/** The npx invocations in a page's code: `npx …` command lines and `"command": "npx"` configurations. */
function npxInvocations(markdown: string): string[] {
  const code = codeOf(markdown);
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|[ \t$;&|(])npx((?:[ \t]+-{1,2}[\w-]+)*)[ \t]+([^\s`'"]+)/gm)) found.push(m[2]!);
  for (const m of code.matchAll(/"command"\s*:\s*"npx"\s*,\s*"args"\s*:\s*\[([^\]]*)\]/g)) {
    const args = JSON.parse(`[${m[1]}]`) as string[];
    found.push(args.find((a) => !a.startsWith('-')) ?? '');
  }
  return found;
}

const versions = new Map<string, string>();
for (const dir of ['.', ...packageDirs]) {
  const pkg = JSON.parse(await readFile(path.join(root, dir, 'package.json'), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
  if (pkg.name && pkg.version) versions.set(pkg.name, pkg.version);
}

describe('npx commands in the docs', () => {
  it('finds the invocations a reader can copy, not prose', () => {
    expect(npxInvocations('run `npx -y @bullseye/cli@1.0.0 mcp`')).toEqual(['@bullseye/cli@1.0.0']);
    expect(npxInvocations('```json\n{ "command": "npx", "args": ["-y", "bullseye", "mcp"] }\n```\n')).toEqual(['bullseye']);
    expect(npxInvocations('```sh\nnpx bullseye --help\n```\n')).toEqual(['bullseye']);
    expect(npxInvocations('```text\n$ npx bullseye --version\n```\n')).toEqual(['bullseye']);
    expect(npxInvocations('the unscoped name is one npx would download')).toEqual([]);
  });

  it('each names a scoped @bullseye package pinned to a version of ours', async () => {
    const bad: string[] = [];
    let seen = 0;
    for (const file of await markdownFiles()) {
      for (const spec of npxInvocations(await readFile(path.join(root, file), 'utf8'))) {
        seen++;
        // A placeholder (`x.y.z`, `<version>`) is fine in a template: a scoped name cannot resolve
        // to a stranger's package. A concrete version must be the one this repository releases.
        const m = /^(@bullseye\/[a-z-]+)@(\d+\.\d+\.\d+(?:-[\w.]+)?|x\.y\.z|<version>)$/.exec(spec);
        if (!m) bad.push(`${file}: npx ${spec} (not a scoped @bullseye package pinned to a version)`);
        else if (!versions.has(m[1]!)) bad.push(`${file}: npx ${spec} (no package of that name here)`);
        else if (/^\d/.test(m[2]!) && versions.get(m[1]!) !== m[2]) bad.push(`${file}: npx ${spec} (this repository releases ${m[1]}@${versions.get(m[1]!)})`);
      }
    }
    expect(bad).toEqual([]);
    expect(seen).toBeGreaterThan(0);
  });
});
