// Which docs versions the published site holds, and which one is served at its root. A docs version
// is named by the @bullseye/api (SDK) version it was released with; `next` is the main branch.

/** A release's docs asset, as the release workflow attaches it (a tarball holding `site/`). */
export const DOCS_ASSET = /^bullseye-api-docs-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tar\.gz$/;

/** The release tags of the SDK: `@bullseye/api@1.2.3` (and `v1.2.3`, the scheme before the package split). */
export const releaseTags = (version: string): string[] => [`@bullseye/api@${version}`, `v${version}`];

export interface SiteVersion {
  /** `next` for main, else the SDK version (`0.2.0`). */
  id: string;
  label: string;
  /** Folder of this version under the site's base, with a trailing slash (`v0.2.0/`, `next/`). */
  path: string;
  /** The @bullseye/api version the docs were built with. */
  sdk: string;
  /** The contract version the docs describe (`info.version` of the site's openapi.json). */
  contract: string;
  /** The @bullseye/cli version whose `sandbox` command matches this release, when known. */
  cli?: string;
  prerelease: boolean;
  latest: boolean;
}

/** versions.json at the site's base: what the version picker of every page shows. */
export interface VersionsFile {
  /** The version served at the base itself: the latest release, or `next` before the first one. */
  root: string;
  versions: SiteVersion[];
}

interface Semver {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): Semver {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(version);
  if (!m) throw new Error(`"${version}" is not a version (major.minor.patch[-prerelease])`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Semantic-version order (semver.org §11): a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  if (!x.pre.length || !y.pre.length) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

export const isPrerelease = (version: string): boolean => parse(version).pre.length > 0;

/** The release `/` serves: the highest version that is not a pre-release, if any. */
export function latestRelease(versions: readonly string[]): string | undefined {
  return versions.filter((v) => !isPrerelease(v)).sort(compareVersions).at(-1);
}

/**
 * The picker's list: main first, then every release newest first; `root` names what `/` serves.
 * `contract` and `cli` are read from each version's own site and tag.
 */
export function versionsFile(
  main: { sdk: string; contract: string },
  releases: ReadonlyArray<{ version: string; contract: string; cli?: string }>,
): VersionsFile {
  const latest = latestRelease(releases.map((r) => r.version));
  const sorted = [...releases].sort((a, b) => compareVersions(b.version, a.version));
  return {
    root: latest ?? 'next',
    versions: [
      { id: 'next', label: 'next (main)', path: 'next/', sdk: main.sdk, contract: main.contract, prerelease: true, latest: false },
      ...sorted.map((r) => ({
        id: r.version,
        label: r.version === latest ? `${r.version} (latest)` : r.version,
        path: `v${r.version}/`,
        sdk: r.version,
        contract: r.contract,
        ...(r.cli ? { cli: r.cli } : {}),
        prerelease: isPrerelease(r.version),
        latest: r.version === latest,
      })),
    ],
  };
}
