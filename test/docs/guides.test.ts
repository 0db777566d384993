// Every fenced code block of the guides in docs/ is checked: `ts` blocks are type-checked together
// and run against the mock, `sh` blocks (curl) run against the mock and must not get an HTTP error,
// `json` blocks must parse. A block in any other language fails: nothing in a guide goes unchecked.
// The sandbox's guide (sandbox.md) shows the sandbox's seeded keys and controls: its blocks run
// against a sandbox started here (port 0) instead of the mock.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../packages/sandbox/src/index.js';
import { listGuides } from '../../scripts/site/docs.js';
import { exec, fencedBlocks, root, runModule, TEST_ENV, toMock, typecheck, writeModules } from './support.js';

interface Block {
  guide: string;
  index: number;
  lang: string;
  source: string;
  /** Line of the opening fence, for failure messages. */
  line: number;
}

const CHECKED = new Set(['ts', 'sh', 'json']);

function extractBlocks(guide: string, markdown: string): Block[] {
  return fencedBlocks(markdown).map((b, i) => ({ guide, index: i + 1, ...b }));
}

const guides = await listGuides();
const blocks = guides.flatMap((g) => extractBlocks(g.file, g.source));
const label = (b: Block): string => `${b.guide}:${b.line} (${b.lang || 'no language'})`;
const moduleName = (b: Block): string => `${b.guide.replace(/\.md$/, '')}-${b.index}`;
const tsBlocks = blocks.filter((b) => b.lang === 'ts');
const shBlocks = blocks.filter((b) => b.lang === 'sh');
const jsonBlocks = blocks.filter((b) => b.lang === 'json');

const mockUrl = inject('mockUrl');
/**
 * What a reader sets before running a guide's script, beside the keys: the key-rotation sample
 * replaces the active key with this prefix (the mock's example list has exactly one).
 */
const GUIDE_ENV = { BULLSEYE_OLD_KEY_PREFIX: 'pk_live_abc123' };
const outDir = path.join(root, 'test-output', 'guides');
let files = new Map<string, string>();
let diagnostics = '';
let sandbox: SandboxServer | undefined;
/** Where a block's calls go: the sandbox for the sandbox's guide, the mock for the others. */
const target = (b: Block): string => (b.guide === SANDBOX_GUIDE ? sandbox!.url : mockUrl);
const SANDBOX_GUIDE = 'sandbox.md';

beforeAll(async () => {
  sandbox = await startSandboxServer({ port: 0 });
  files = await writeModules(outDir, tsBlocks.map((b) => ({ name: moduleName(b), source: toMock(b.source, target(b)) })));
  diagnostics = await typecheck(outDir);
}, 240_000);
afterAll(async () => {
  await sandbox?.close();
});

describe('guides in docs/', () => {
  it('exist, each with code to check', () => {
    expect(guides.map((g) => g.file)).toEqual(
      expect.arrayContaining([
        'getting-started-partner.md',
        'getting-started-organization.md',
        'authentication.md',
        'pagination.md',
        'errors-and-retries.md',
        'webhooks.md',
        SANDBOX_GUIDE,
      ]),
    );
    for (const g of guides) expect(blocks.filter((b) => b.guide === g.file).length, g.file).toBeGreaterThan(0);
  });

  it('every code block is in a language the tests check (ts, sh, json)', () => {
    expect(blocks.filter((b) => !CHECKED.has(b.lang)).map(label)).toEqual([]);
  });

  it('every ts block type-checks against the SDK (one tsc run)', () => {
    expect(files.size).toBe(tsBlocks.length);
    expect(diagnostics).toBe('');
  });

  it.each(jsonBlocks.map((b) => [label(b), b] as const))('json block %s parses', (_l, b) => {
    expect(() => JSON.parse(b.source)).not.toThrow();
  });

  it.each(tsBlocks.map((b) => [label(b), b] as const))('ts block %s runs against the mock (sandbox.md: a sandbox)', async (_l, b) => {
    const lines = await runModule(files.get(moduleName(b))!, GUIDE_ENV);
    expect(lines.length, 'the block prints what it did').toBeGreaterThan(0);
    // Printed output must never contain a key.
    const printed = JSON.stringify(lines);
    for (const key of Object.values(TEST_ENV)) expect(printed.includes(key)).toBe(false);
  });

  it.each(shBlocks.map((b) => [label(b), b] as const))('sh block %s runs against the mock (sandbox.md: a sandbox) without an HTTP error', async (_l, b) => {
    expect(b.source).toMatch(/^\s*curl\b/m);
    // Every curl of the block fails the shell on an HTTP error status.
    const script = `curl() { command curl --silent --show-error --fail-with-body "$@"; }\n${toMock(b.source, target(b))}`;
    const r = await exec('sh', ['-e', '-c', script], { env: TEST_ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });
});
