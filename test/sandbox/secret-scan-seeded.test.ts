// The key-scanning reporter (test/setup/secret-scan.ts) leaves the sandbox's seeded keys alone: the
// sandbox prints them at its start by design. Any other fake key written in a test still counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEEDED_KEYS } from '../../packages/sandbox/src/index.js';
import { fakeSecrets, secretsIn } from '../setup/secret-scan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'secret-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secret scan and the sandbox seeded keys', () => {
  it('exempts every seeded key, read from the sandbox constant, and still finds another fake key', () => {
    const seeded = [SEEDED_KEYS.partner, ...Object.values(SEEDED_KEYS.organization)];
    const other = ['pk', 'live', 'f00dfeed0000000000000000000000ab'].join('_');
    // A test source that writes the seeded keys and one other fake key.
    writeFileSync(path.join(dir, 'fixture.ts'), `const k = [${[...seeded, other].map((s) => `'${s}'`).join(', ')}];\n`);
    const found = fakeSecrets(dir);
    expect(found).toEqual([other]);
    expect(secretsIn(`sandbox keys: ${seeded.join(' ')}`, found)).toEqual([]);
    expect(secretsIn(`leaked ${other}`, found)).toEqual([other]);
  });
});
