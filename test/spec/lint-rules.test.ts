// The lint gate (redocly.yaml) catches each convention breach: every custom rule fails on its own
// bad fixture (test/spec/fixtures/lint/bad-*.yaml, each one convention broken in good.yaml) and
// nothing else fires there, while the good fixture lints with zero problems. The fixtures are linted
// with the real CLI and the project's redocly.yaml, in one process, exactly like `npm run lint`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bin, root, run } from '../../scripts/lib/steps.js';

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
const rel = (f: string): string => path.relative(root, path.join(fixtureDir, f));
const badFixtures = readdirSync(fixtureDir)
  .filter((f) => f.startsWith('bad-') && f.endsWith('.yaml'))
  .sort();

/** The rule a bad fixture breaks, from its header line "# Expected: only `<rule>` is reported". */
function expectedRule(file: string): string {
  const m = /^# Expected: only `([^`]+)` is reported/m.exec(readFileSync(path.join(fixtureDir, file), 'utf8'));
  if (!m?.[1]) throw new Error(`${file} has no "# Expected: only \`<rule>\`" header`);
  return m[1];
}

/** `redocly lint --format json` with several files prints one pretty JSON object per file, back to back. */
function splitReports(stdout: string): LintReport[] {
  return stdout
    .trim()
    .split(/\n\}\{\n/)
    .map((part, i, all) => JSON.parse(`${i > 0 ? '{\n' : ''}${part}${i < all.length - 1 ? '\n}' : ''}`) as LintReport);
}

const reports = new Map<string, LintReport>();

beforeAll(async () => {
  const files = ['good.yaml', ...badFixtures];
  const r = await run(bin('redocly'), ['lint', ...files.map(rel), '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '100']);
  const parsed = splitReports(r.stdout);
  expect(parsed).toHaveLength(files.length);
  files.forEach((f, i) => reports.set(f, parsed[i]!));
  // Each report really belongs to its file (the CLI keeps the argument order).
  for (const [f, rep] of reports) {
    for (const p of rep.problems) expect(p.location[0]?.source.ref).toBe(rel(f));
  }
}, 60_000);

describe('lint gate (redocly.yaml)', () => {
  it('the good fixture has zero problems', () => {
    const rep = reports.get('good.yaml');
    expect(rep?.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(rep?.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('every custom rule in redocly.yaml has a bad fixture', () => {
    const config = parse(readFileSync(path.join(root, 'redocly.yaml'), 'utf8')) as { rules: Record<string, unknown> };
    const custom = Object.keys(config.rules).filter((id) => id.startsWith('rule/') || id.startsWith('conventions/'));
    expect(custom.length).toBeGreaterThanOrEqual(15);
    const covered = new Set(badFixtures.map(expectedRule));
    expect(custom.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(badFixtures.map((f) => [f, expectedRule(f)] as const))('%s fails only %s', (file, rule) => {
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
