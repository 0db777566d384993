// The vitest projects and the gate steps of a partial run (test/projects.ts) against what the test
// files do: a file that asks for the mock's URL is in a project whose global setup starts the mock,
// a browser file connects to the run's Chromium and starts none, a unit file runs no child process,
// a file that reads the built docs site or the packed packages waits for them; and `npm test -- …`
// picks its files and steps from its arguments as vitest does (scripts/test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectedFiles, selection } from '../../scripts/test.js';
import { NEEDS, PROJECTS, projectOf } from '../projects.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const files = readdirSync(path.join(root, 'test'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
  .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
  .sort();
const source = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const where = (re: RegExp): string[] => files.filter((f) => re.test(source(f)));

describe('test/projects.ts against the test files', () => {
  it('names only files that exist, each in one project', () => {
    const named = Object.values(PROJECTS).flat();
    expect(named.filter((f) => !files.includes(f))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
    expect(files.length).toBeGreaterThan(50);
  });

  it('a file that injects the mock URL is in a project that starts the mock', () => {
    const users = where(/inject\(['"]mockUrl['"]\)/);
    expect(users.length).toBeGreaterThan(5);
    expect(users.filter((f) => !['server', 'browser'].includes(projectOf(f)))).toEqual([]);
  });

  it('a browser file connects to the run\'s Chromium, and no test file launches one', () => {
    const users = where(/connectChromium\(/);
    expect(users.sort()).toEqual([...PROJECTS.browser].sort());
    expect(where(/launchChromium\(|chromium\.launch/)).toEqual([]);
  });

  it('only the test of the mock itself starts a Prism of its own', () => {
    // Hostile input (11 MB bodies, stalled uploads, fuzzing) and Prism killed under the mock are
    // what it tests: on the run's mock they would race the other files.
    expect(where(/\bstartMock\(/)).toEqual(['test/scripts/mock-guard.test.ts']);
    expect(projectOf('test/scripts/mock-guard.test.ts')).toBe('integration');
  });

  it('a unit test runs no child process (no tsc, npm, Redocly, tsx or shell)', () => {
    const unit = files.filter((f) => projectOf(f) === 'unit');
    expect(unit.length).toBeGreaterThan(20);
    expect(unit.filter((f) => /from ['"]node:child_process['"]|\btypecheck\(|\brun(Checked)?\(['"]/.test(source(f)))).toEqual([]);
  });

  it('a file that reads the built docs site waits for it; one that reads the packed packages, for them', () => {
    expect(where(/\bsiteDir\b|serveSite\(/).filter((f) => !NEEDS.site(f))).toEqual([]);
    expect(where(/scripts\/lib\/package\.js/).filter((f) => !NEEDS.pack(f))).toEqual([]);
    expect(files.filter((f) => projectOf(f) === 'unit' && (NEEDS.site(f) || NEEDS.pack(f)))).toEqual([]);
  });
});

describe('npm test -- <files or projects> (scripts/test.ts)', () => {
  it('reads file filters and projects out of vitest\'s arguments', () => {
    expect(selection([])).toEqual({ filters: [], projects: [] });
    expect(selection(['test/sdk', '--project', 'unit', '-t', 'retries', '--reporter=verbose', '--project=server'])).toEqual({ filters: ['test/sdk'], projects: ['unit', 'server'] });
    expect(selection(['--reporter', 'dot', './test/docs/llms.test.ts'])).toEqual({ filters: ['./test/docs/llms.test.ts'], projects: [] });
  });

  it('an SDK test needs no step; a docs site test the site; a package test the packed packages', async () => {
    const needs = async (filters: string[], projects: string[] = []): Promise<string[]> => {
      const picked = await selectedFiles(files, filters, projects);
      expect(picked.length, filters.join(' ')).toBeGreaterThan(0);
      return (['site', 'pack'] as const).filter((n) => picked.some(NEEDS[n]));
    };
    expect(await needs(['test/sdk'])).toEqual([]);
    expect(await needs(['test/sdk/client.test.ts'])).toEqual([]);
    expect(await needs([], ['unit'])).toEqual([]);
    expect(await needs(['./test/docs/llms.test.ts'])).toEqual(['site']);
    expect(await needs([path.join(root, 'test', 'package', 'claims.test.ts')])).toEqual(['pack']);
    expect(await needs(['test/docs'])).toEqual(['site']);
    expect(await selectedFiles(files, ['test/sdk'], ['server'])).toEqual(['test/sdk/integrator.test.ts']);
    expect(await selectedFiles(files, ['no/such/file'], [])).toEqual([]);
  });
});
