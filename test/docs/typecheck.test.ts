// The docs tests type-check their snippets with typecheck() (test/docs/support.ts), which lets tsc
// keep what it found between runs: a snippet that stops compiling must still fail the next run, and
// one fixed must pass, whatever was kept.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInfoOf, root, typecheck, writeModules } from './support.js';

const dir = path.join(root, 'test-output', 'typecheck-probe');
const good = "export const total: number = [1, 2].reduce((a, b) => a + b, 0);\n";
const planted = "export const total: number = 'not a number';\n";

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(buildInfoOf(dir), { force: true });
});

describe('typecheck() of written snippets, run after run', () => {
  it('passes a clean snippet, reports a planted type error on the next run, and passes once it is fixed', async () => {
    await rm(buildInfoOf(dir), { force: true });
    await writeModules(dir, [{ name: 'probe', source: good }, { name: 'other', source: 'export const name = "x";\n' }]);
    expect(await typecheck(dir)).toBe('');

    await writeModules(dir, [{ name: 'probe', source: planted }, { name: 'other', source: 'export const name = "x";\n' }]);
    const report = await typecheck(dir);
    expect(report).toMatch(/probe\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(report).not.toMatch(/other\.ts/);

    await writeModules(dir, [{ name: 'probe', source: good }, { name: 'other', source: 'export const name = "x";\n' }]);
    expect(await typecheck(dir)).toBe('');
  }, 180_000);
});
