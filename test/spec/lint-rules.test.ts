// The lint gate (redocly.yaml) catches each convention breach: every custom rule fails on its own
// bad fixture (good.yaml with one convention broken, as test/spec/fixtures/lint/breaches.yaml
// describes; written to test-output/lint-fixtures/) and nothing else fires there, while the good
// fixture lints with zero problems. The fixtures are linted with the real CLI and the project's
// redocly.yaml, in one process, exactly like `npm run lint`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { redoclyLint } from '../../scripts/lib/cache.js';
import { bin, root, run, type RunResult } from '../../scripts/lib/steps.js';

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { source: { ref: string }; pointer: string }[];
}
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Problem[];
}

const fixtureDir = path.join(root, 'test', 'spec', 'fixtures', 'lint');
const outDir = path.join(root, 'test-output', 'lint-fixtures');

/** One convention broken: `remove` deletes the value at each JSON pointer, then `set` writes each value. */
interface Breach {
  rule: string;
  breach: string;
  remove?: string[];
  set?: Record<string, unknown>;
}

const breaches = parse(readFileSync(path.join(fixtureDir, 'breaches.yaml'), 'utf8')) as Breach[];
/** Bad fixture file name → the rule it breaks. */
const badFixtures = new Map(breaches.map((b) => [`bad-${b.rule.replace(/^(rule|conventions|provenance)\//, '').replace(/\W+/g, '-')}.yaml`, b] as const));
const rel = (f: string): string => path.relative(root, path.join(f === 'good.yaml' ? fixtureDir : outDir, f));

/** The parent object and key a JSON pointer designates (the parent must exist). */
function locate(doc: unknown, pointer: string): [Record<string, unknown>, string] {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  let node = doc as Record<string, unknown>;
  for (const k of keys) {
    node = node[k] as Record<string, unknown>;
    if (node === null || typeof node !== 'object') throw new Error(`breaches.yaml: no ${pointer} in good.yaml`);
  }
  return [node, last];
}

/** good.yaml with one breach applied. */
function applyBreach(good: unknown, b: Breach): unknown {
  const doc = structuredClone(good);
  for (const pointer of b.remove ?? []) {
    const [parent, key] = locate(doc, pointer);
    if (!(key in parent)) throw new Error(`breaches.yaml (${b.rule}): nothing to remove at ${pointer}`);
    delete parent[key];
  }
  for (const [pointer, value] of Object.entries(b.set ?? {})) {
    const [parent, key] = locate(doc, pointer);
    parent[key] = value;
  }
  return doc;
}

/** `redocly lint --format json` with several files prints one pretty JSON object per file, back to back. */
function splitReports(stdout: string): LintReport[] {
  return stdout
    .trim()
    .split(/\n\}\{\n/)
    .map((part, i, all) => JSON.parse(`${i > 0 ? '{\n' : ''}${part}${i < all.length - 1 ? '\n}' : ''}`) as LintReport);
}

const reports = new Map<string, LintReport>();
const MISSING_ID = 'bad-missing-operation-id.yaml';

beforeAll(async () => {
  const good = parse(readFileSync(path.join(fixtureDir, 'good.yaml'), 'utf8')) as unknown;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [file, b] of badFixtures) {
    writeFileSync(path.join(outDir, file), `# good.yaml with one convention broken: ${b.breach}.\n${stringify(applyBreach(good, b))}`);
  }
  // One cause, one error: an operation without operationId.
  writeFileSync(path.join(outDir, MISSING_ID), `# good.yaml with an operation that has no operationId.\n${stringify(applyBreach(good, { rule: 'rule/operation-documented', breach: 'no operationId', remove: ['/paths/~1partner~1things/get/operationId'] } as Breach))}`);
  const files = ['good.yaml', ...badFixtures.keys(), MISSING_ID];
  const r = await run(bin('redocly'), ['lint', ...files.map(rel), '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '100']);
  const parsed = splitReports(r.stdout);
  expect(parsed).toHaveLength(files.length);
  files.forEach((f, i) => reports.set(f, parsed[i]!));
  // Each report really belongs to its file (the CLI keeps the argument order).
  for (const [f, rep] of reports) {
    for (const p of rep.problems) expect(p.location[0]?.source.ref).toBe(rel(f));
  }
}, 180_000);

describe('lint gate (redocly.yaml)', () => {
  it('the good fixture has zero problems', () => {
    const rep = reports.get('good.yaml');
    expect(rep?.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(rep?.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('a missing operationId is one error that says what an operation needs', () => {
    const rep = reports.get(MISSING_ID)!;
    expect(rep.problems.map((p) => p.ruleId)).toEqual(['rule/operation-documented']);
    expect(rep.problems[0]!.message).toContain('operationId is required');
  });

  it('every custom rule in redocly.yaml has a bad fixture', () => {
    const config = parse(readFileSync(path.join(root, 'redocly.yaml'), 'utf8')) as { rules: Record<string, unknown> };
    const custom = Object.keys(config.rules).filter((id) => /^(rule|conventions|provenance)\//.test(id));
    expect(custom.length).toBeGreaterThanOrEqual(15);
    const covered = new Set(breaches.map((b) => b.rule));
    expect(custom.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each([...badFixtures].map(([f, b]) => [f, b.rule] as const))('%s fails only %s', (file, rule) => {
    const rep = reports.get(file);
    expect(rep).toBeDefined();
    const ids = rep!.problems.map((p) => p.ruleId);
    expect(ids).toContain(rule);
    expect([...new Set(ids)]).toEqual([rule]);
    for (const p of rep!.problems) {
      expect(p.severity).toBe('error');
      // A reviewer gets our message, not Redocly's generic "didn't meet the assertions".
      expect(p.message).not.toMatch(/didn't meet the assertions/);
    }
  });
});

describe('provenance/operation-provenance', () => {
  it('reports the operation and the webhook without x-provenance, and the decision that DECISIONS.md lacks', () => {
    const rep = reports.get('bad-operation-provenance.yaml');
    const messages = rep!.problems.map((p) => p.message);
    expect(messages).toHaveLength(3);
    const missing = rep!.problems.filter((p) => /x-provenance: documented \| partial \| inferred/.test(p.message) && /found none/.test(p.message));
    expect(missing.map((p) => p.location[0]?.pointer.split('/')[1]).sort()).toEqual(['paths', 'webhooks']);
    expect(messages.some((m) => /"OD999"/.test(m))).toBe(true);
  });
});

describe('the lint answer kept by the cache (scripts/lib/cache.ts redoclyLint, behind `npm run lint`)', () => {
  it('follows a one-byte edit of the spec and the byte put back, as Redocly itself answers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-cache-'));
    try {
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      writeFileSync(path.join(dir, 'redocly.yaml'), 'telemetry: off\nextends:\n  - minimal\n');
      mkdirSync(path.join(dir, 'openapi'));
      const spec = path.join(dir, 'openapi', 'openapi.yaml');
      // A comment of its own: this spec is new to the cache, so the first run makes what the next ones may keep.
      const text = `# ${path.basename(dir)}\nopenapi: 3.1.0\ninfo:\n  title: Lint cache\n  version: 1.0.0\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: The things.\n          content:\n            application/json:\n              schema:\n                type: string\n`;
      writeFileSync(spec, text);
      const args = ['lint', 'openapi/openapi.yaml', '--format=json'];
      const errors = (r: RunResult): number => (JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as LintReport).totals.errors;
      const first = await redoclyLint(args, dir);
      expect([first.code, errors(first)]).toEqual([0, 0]);
      // `string` becomes `strinx`: one byte, a schema type that does not exist.
      writeFileSync(spec, text.replace('type: string', 'type: strinx'));
      const edited = await redoclyLint(args, dir);
      expect(edited.code).toBe(1);
      expect(errors(edited)).toBeGreaterThan(0);
      writeFileSync(spec, text);
      const back = await redoclyLint(args, dir);
      expect([back.code, errors(back)]).toEqual([0, 0]);
      expect(back.stdout).toBe(first.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
