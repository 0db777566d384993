// `npm ci` on the Node version CI uses prints no engine warning (EBADENGINE): every package the
// lockfile installs accepts that Node version, and the oldest one package.json's `engines` allows.
// The lockfile records each package's `engines`, so this reads it instead of installing; npm
// compares with semver the same way. The README names the version, so it is checked against the
// workflows too.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root } from '../../scripts/lib/steps.js';

interface LockEntry {
  version?: string;
  engines?: Record<string, string> | string[];
  link?: boolean;
}

const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };

/** The `node-version` every workflow's setup-node step asks for. */
function workflowNodeVersions(): string[] {
  const dir = path.join(root, '.github', 'workflows');
  const versions: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const wf = parse(readFileSync(path.join(dir, file), 'utf8')) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) if (step.uses?.startsWith('actions/setup-node@')) versions.push(String(step.with?.['node-version']));
    }
  }
  return versions;
}

/** Packages whose `engines.<engine>` does not accept `version`, as `name@version wants range`. */
function refusing(engine: string, version: string): string[] {
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key && !entry.link && entry.engines && !Array.isArray(entry.engines) && entry.engines[engine] !== undefined)
    .filter(([, entry]) => !semver.satisfies(version, (entry.engines as Record<string, string>)[engine]!, { includePrerelease: true }))
    .map(([key, entry]) => `${key.replace(/^.*node_modules\//, '')}@${entry.version} wants ${engine} ${(entry.engines as Record<string, string>)[engine]}`);
}

const ciNode = workflowNodeVersions();

describe('npm ci prints no engine warning', () => {
  it('every workflow sets up the same Node version', () => {
    expect(ciNode.length).toBeGreaterThan(0);
    expect(new Set(ciNode).size, ciNode.join(', ')).toBe(1);
  });

  // `20.20` in a workflow is the newest 20.20.x; the earliest one must do as well.
  it.each([
    ['the earliest release of the Node line CI uses', semver.minVersion(ciNode[0]!)!.version],
    ['the oldest Node package.json allows', semver.minVersion(pkg.engines.node)!.version],
    ['the Node running this test', process.version],
  ])('every installed package accepts %s (%s)', (_what, version) => {
    expect(refusing('node', version)).toEqual([]);
  });

  it('every installed package accepts the npm running here', () => {
    const npm = execFileSync('npm', ['--version'], { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } }).trim();
    expect(refusing('npm', npm)).toEqual([]);
  });

  it('the check itself notices a package that wants a newer Node', () => {
    const saved = lock.packages['node_modules/__probe'];
    lock.packages['node_modules/__probe'] = { version: '1.0.0', engines: { node: '>=22.19.0' } };
    try {
      expect(refusing('node', '20.20.0')).toEqual(['__probe@1.0.0 wants node >=22.19.0']);
    } finally {
      if (saved) lock.packages['node_modules/__probe'] = saved;
      else delete lock.packages['node_modules/__probe'];
    }
  });

  it('the README names the Node version CI uses and says the install is warning-free', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(new RegExp(`CI runs Node ${ciNode[0]!.replace(/\./g, '\\.')}\\b[^\\n]*no engine warning`));
  });
});
