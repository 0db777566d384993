// No module of src/ (or of packages/, once the workspaces exist) imports itself back through other
// modules, type imports included: a cycle makes load order matter (a class used before it is
// defined) and says two concerns were not split where they meet. errors.ts and rate-limit.ts stay
// leaves: they import no code of another src/core module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.split(path.sep).includes('node_modules') && !f.split(path.sep).includes('dist'));
}

/** Relative imports of a file (static, `export … from`, `import()`), resolved to files. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const out: { target: string; typeOnly: boolean }[] = [];
  for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), ref.fileName);
    const target = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f) && !f.endsWith('/'));
    if (!target) continue;
    const line = text.slice(text.lastIndexOf('\n', ref.pos) + 1, text.indexOf('\n', ref.pos));
    out.push({ target, typeOnly: /^\s*(import|export)\s+type\b/.test(line) });
  }
  return out;
}

const graphOf = (files: string[]): Map<string, string[]> => new Map(files.map((f) => [f, importsOf(f).map((i) => i.target).filter((t) => files.includes(t))]));

function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((x) => path.relative(root, x)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('module structure', () => {
  const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'packages'))];

  it('finds the modules and their imports', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(importsOf(path.join(root, 'src/client.ts')).map((i) => path.relative(root, i.target))).toContain('src/core/errors.ts');
  });

  it('src/ and packages/ have no import cycle', () => {
    expect(findCycles(graphOf(files))).toEqual([]);
  });

  it('the cycle finder sees a cycle', () => {
    const graph = new Map([
      [path.join(root, 'a.ts'), [path.join(root, 'b.ts')]],
      [path.join(root, 'b.ts'), [path.join(root, 'c.ts')]],
      [path.join(root, 'c.ts'), [path.join(root, 'a.ts')]],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it.each(['src/core/errors.ts', 'src/core/rate-limit.ts'])('%s imports no code of another src/core module', (file) => {
    const code = importsOf(path.join(root, file)).filter((i) => !i.typeOnly);
    expect(code.map((i) => path.relative(root, i.target))).toEqual([]);
  });
});
