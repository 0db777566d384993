// The sandbox's guide (docs/sandbox.md) states values the sandbox's code owns: the seeded keys and
// their scopes, the Organization webhook secret, the retry schedule, the controls (described in
// packages/sandbox/sandbox-openapi.yaml), the options of `bullseye sandbox` and which operations are
// computed or simulated. Each is compared here with its source, so the page cannot drift from it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createSandbox, MAX_ATTEMPTS, RETRY_SCHEDULE_MS, runSandboxCli, SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS, seedFromSpec } from '../../packages/sandbox/src/index.js';
import { loadSpec, operations } from '../support/spec.js';
import { root } from './support.js';

const page = await readFile(path.join(root, 'docs', 'sandbox.md'), 'utf8');
const readme = await readFile(path.join(root, 'packages', 'sandbox', 'README.md'), 'utf8');
const section = (title: string): string => {
  const start = page.indexOf(`\n## ${title}\n`);
  expect(start, `docs/sandbox.md has a "## ${title}" section`).toBeGreaterThan(0);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
};
/** The rows of the first Markdown table of `text`, as cells (header and rule left out). */
const tableRows = (text: string): string[][] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('docs/sandbox.md says what the sandbox does', () => {
  it('lists exactly the seeded keys, each with the scopes the seed gives it', async () => {
    const sandbox = createSandbox();
    try {
      const seed = seedFromSpec(sandbox.contract);
      const records = [...Object.values(seed.partnerKeys), ...Object.values(seed.organizationKeys)];
      const rows = tableRows(section('Seeded keys'));
      const shown = rows.map((r) => codes(r[2]!)[0]!);
      expect(shown.sort()).toEqual([SEEDED_KEYS.partner, ...Object.values(SEEDED_KEYS.organization)].sort());
      for (const row of rows) {
        const key = codes(row[2]!)[0]!;
        const record = records.find((r) => r.hash === createHash('sha256').update(key).digest('hex'));
        expect(record, key).toBeDefined();
        const scopes = (record!.record.scopes as string[]) ?? [];
        // A Partner key without scopes has full access; the page says so in words.
        if (scopes.length === 0) expect(row[3]).toMatch(/full access/);
        else expect(codes(row[3]!)).toEqual(scopes);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('names the Organization webhook secret the sandbox signs with by default', () => {
    expect(section('Seeded keys')).toContain(`\`${SEEDED_WEBHOOK_SECRETS.organization}\``);
  });

  it('states the retry schedule and the number of attempts of the code', () => {
    const human = RETRY_SCHEDULE_MS.map((ms) => (ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`));
    const list = `${human.slice(0, -1).join(', ')} and ${human.at(-1)}`;
    const text = section('Webhooks').replace(/\s+/g, ' ');
    expect(text).toContain(`retried after ${list} of sandbox time, ${MAX_ATTEMPTS} attempts in all`);
  });

  it('lists every control of sandbox-openapi.yaml, and no other', async () => {
    const controls = parse(await readFile(path.join(root, 'packages', 'sandbox', 'sandbox-openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const fromSpec = Object.entries(controls.paths).flatMap(([p, item]) => Object.keys(item).filter((k) => k !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`));
    const shown = tableRows(section('Controls')).map((r) => codes(r[0]!)[0]!);
    expect(shown.sort()).toEqual(fromSpec.sort());
    // The page links the document itself, which the site copies beside the bundled spec.
    expect(section('Controls')).toContain('](../sandbox-openapi.yaml)');
  });

  it('shows the options `bullseye sandbox` takes to serve, and no other', async () => {
    const out: string[] = [];
    expect(await runSandboxCli(['--help'], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    const serveLine = out.join('\n').split('\n')[0]!;
    const accepted = [...serveLine.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!);
    const shown = tableRows(section('Start it')).map((r) => /^`--([a-z-]+)/.exec(r[0]!)?.[1]);
    expect(shown.sort()).toEqual(accepted.sort());
  });

  it('names the computed and simulated operations as the sandbox README classifies all 81 operations', () => {
    const spec = new Set(operations(loadSpec()).map((o) => o.operationId));
    // The README's table: | API | `METHOD /path` | `operationId` | kind | … |
    const kinds = new Map(
      readme
        .split('\n')
        .filter((l) => /^\| (Partner|Organization) \| `[A-Z]+ \//.test(l))
        .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()))
        .map((c) => [codes(c[2]!)[0]!, c[3]!] as const),
    );
    expect([...kinds.keys()].sort()).toEqual([...spec].sort());
    const notStored = [...kinds].filter(([, k]) => k !== 'stored').map(([id, k]) => `${id} ${k}`);
    const shown = tableRows(section('Stored, computed, simulated')).map((r) => `${codes(r[0]!)[0]} ${r[1]}`);
    expect(shown.sort()).toEqual(notStored.sort());
  });
});
