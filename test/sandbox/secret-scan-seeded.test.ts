// The key-scanning reporter (test/setup/secret-scan.ts) leaves the sandbox's seeded keys and seeded
// webhook secrets alone: the sandbox prints them at its start by design (fixed, fake, documented; the
// Organization webhook's secret is what a receiver verifies its deliveries with). Any other fake key
// or secret written in a test still counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS } from '../../packages/sandbox/src/index.js';
import { sandboxBanner } from '../../packages/sandbox/src/cli.js';
import { fakeSecrets, secretsIn } from '../setup/secret-scan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'secret-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeded = [SEEDED_KEYS.partner, ...Object.values(SEEDED_KEYS.organization)];
const secrets = Object.values(SEEDED_WEBHOOK_SECRETS);

describe('secret scan and the sandbox seeded keys and secrets', () => {
  it('exempts every seeded key and webhook secret, read from the sandbox constants, and still finds another fake key or secret', () => {
    const otherKey = ['pk', 'live', 'f00dfeed0000000000000000000000ab'].join('_');
    const otherSecret = ['whsec', 'somebody_else_1234'].join('_');
    // A test source that writes the seeded keys and secrets, and one other fake key and secret.
    writeFileSync(path.join(dir, 'fixture.ts'), `const k = [${[...seeded, ...secrets, otherKey, otherSecret].map((s) => `'${s}'`).join(', ')}];\n`);
    const found = fakeSecrets(dir);
    expect(found.sort()).toEqual([otherKey, otherSecret].sort());
    expect(secretsIn(`sandbox keys: ${seeded.join(' ')} ${secrets.join(' ')}`, found)).toEqual([]);
    expect(secretsIn(`leaked ${otherKey}`, found)).toEqual([otherKey]);
    expect(secretsIn(`leaked ${otherSecret}`, found)).toEqual([otherSecret]);
  });

  it('the start banner prints exactly the seeded keys and the Organization webhook secret, nothing else secret-shaped', () => {
    const banner = sandboxBanner('http://127.0.0.1:4010', undefined).join('\n');
    const shown = [...banner.matchAll(/\b(?:(?:pk|bsk)_(?:live|test)_[A-Za-z0-9]{8,}|whsec_[A-Za-z0-9_]{8,})\b/g)].map((m) => m[0]);
    expect([...new Set(shown)].sort()).toEqual([...seeded, SEEDED_WEBHOOK_SECRETS.organization].sort());
  });
});
