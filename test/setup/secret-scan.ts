// The fake keys and secrets the tests use, and a scan of text for them: no test output (console
// lines, failure messages) may hold one. The keys are collected from the tests' own sources, so a
// new fake key is covered without a list to keep. Exempt: the `plainKey` a key-creating response
// documents (its example values in the spec), which a test may print on purpose, and the sandbox's
// seeded keys and seeded webhook secrets, fixed and documented, which it prints at its start by
// design (an integrator's receiver needs the Organization webhook's secret to verify deliveries).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SEEDED_KEYS, SEEDED_WEBHOOK_SECRETS } from '../../packages/sandbox/src/store.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const SHAPES = /\b(?:(?:pk|bsk)_(?:live|test)_[A-Za-z0-9]{8,}|whsec_[A-Za-z0-9_]{8,}|sk_other_secret)\b/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * The sandbox's seeded keys and webhook secrets, read from its own constants (every string in them,
 * however nested).
 */
export function seededSandboxKeys(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(SEEDED_KEYS);
  walk(SEEDED_WEBHOOK_SECRETS);
  return out;
}

/** `plainKey` example values of the bundled spec and the sandbox's seeded keys and secrets: printed on purpose. */
export function exempt(): Set<string> {
  const out = new Set<string>(seededSandboxKeys());
  try {
    const text = readFileSync(path.join(root, 'generated', 'openapi.json'), 'utf8');
    for (const m of text.matchAll(/"plainKey"\s*:\s*"([^"]+)"/g)) out.add(m[1]!);
  } catch {
    // No generated spec: nothing is exempt.
  }
  return out;
}

/** Every fake key or secret written in a test source (`dir`), longest first. */
export function fakeSecrets(dir = path.join(root, 'test')): string[] {
  const skip = exempt();
  const found = new Set<string>();
  for (const file of files(dir)) for (const m of readFileSync(file, 'utf8').matchAll(SHAPES)) if (!skip.has(m[0])) found.add(m[0]);
  return [...found].sort((a, b) => b.length - a.length);
}

/** The secrets of `secrets` that occur in `text`. */
export function secretsIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

/** A secret as it may be named in a report: its first characters only. */
export const hint = (secret: string): string => `${secret.slice(0, 8)}…`;
