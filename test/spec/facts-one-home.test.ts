// The facts of the two APIs have one home, generated/apis.ts (from the spec): no file of src/,
// packages/ or scripts/ writes a key header name, a key's environment variable or a list of an
// API's path prefixes again. Tests may (they check the table from outside), as may generated/, and
// so may the pages written for people (a package's README, CHANGELOG, DECISIONS): a reader needs the
// header's name spelled out, and the docs tests hold those pages to the spec.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apis } from '../../generated/apis.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'packages', 'scripts'];
const TEXT = /\.(ts|tsx|mts|cts|js|mjs|cjs|json|html|css|md|ya?ml)$/;

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || /^(README|CHANGELOG|DECISIONS)[\w-]*\.md$/.test(name)) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : TEXT.test(name) ? [full] : [];
  });
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const facts = Object.values(apis);
const prefixes = facts.flatMap((a) => [...a.pathPrefixes]);
const rules: [string, RegExp][] = [
  ...facts.map((a): [string, RegExp] => [`key header ${a.keyHeader}`, new RegExp(`(?<![A-Za-z0-9-])${escape(a.keyHeader)}(?![A-Za-z0-9-])`, 'i')]),
  ...facts.map((a): [string, RegExp] => [`environment variable ${a.envVar}`, new RegExp(`(?<![A-Z0-9_])${escape(a.envVar)}(?![A-Z0-9_])`)]),
  // A path prefix as a string of its own (`'/partner'`, `"/agency/"`), or a path tested by its start.
  ['a path prefix written as a string', new RegExp(`(['"\`])(${prefixes.map(escape).join('|')})/?\\1`)],
  ['a path tested by its prefix', /startsWith\(\s*['"`]\/[a-z]/],
];

const scanned = SCANNED.flatMap((d) => files(path.join(root, d)));

describe('API facts have one home', () => {
  it('scans the shipped code and the tools', () => {
    expect(scanned.length).toBeGreaterThan(30);
    expect(scanned.some((f) => f.endsWith(path.join('src', 'client.ts')))).toBe(true);
  });

  it.each(rules)('no %s outside generated/ and test/', (_what, pattern) => {
    const hits = scanned.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => pattern.test(line))
        .map(({ line, i }) => `${path.relative(root, file)}:${i + 1}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it('the patterns find what they look for (a file written the old way would fail)', () => {
    const old = [`headers: { 'X-Partner-API-Key': key }`, `process.env.BULLSEYE_API_KEY`, `p.startsWith('/partner/')`, `const ORG = ['/organization', '/companies'];`];
    for (const line of old) expect(rules.some(([, r]) => r.test(line)), line).toBe(true);
    for (const line of [`apis.partner.keyHeader`, `'/partner/me'`, `X-API-Keys-Count`, `MY_BULLSEYE_API_KEY_2`]) expect(rules.some(([, r]) => r.test(line)), line).toBe(false);
  });
});
