// What the tools made from given inputs, kept under node_modules/.cache/<name>/ and found again by
// a fingerprint of every input (content-addressed): `npm run generate` on a tree whose spec did not
// change, the drift check after it, `npm run lint` of a spec it linted, and `npm run check:changes`
// bundling a base commit it bundled before reuse the outputs instead of starting Redocly and
// openapi-typescript again. `npm ci` forgets them with node_modules. Scratch clones with a
// node_modules link share the repository's.
//
// An entry is a folder named by the fingerprint, holding the outputs and a manifest of their
// digests written last; it is put in place with one rename, so a reader sees a whole entry or none.
// An entry that cannot be read or whose files do not match their digests is a miss (and is removed),
// never an error; a cache that cannot be written leaves the command as it was.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { bin, root, run, type RunResult } from './steps.js';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The sha256 of a file's bytes, `-` when it cannot be read. */
export const fileDigest = async (file: string): Promise<string> => {
  const content = await readFile(file).catch(() => undefined);
  return content ? sha256(content) : '-';
};

/**
 * Feeds files (paths relative to `dir`, in the order given) into `hash`: each one's path and the
 * digest of its bytes, `-` for a file that cannot be read (missing is a state of its own).
 */
export async function hashFiles(hash: Hash, dir: string, files: readonly string[]): Promise<void> {
  for (const f of files) hash.update(`${f}\0${await fileDigest(path.join(dir, f))}\0`);
}

/** Every file under `dir` (relative to `base`, `/`-separated, sorted); none when it does not exist. */
export async function filesUnder(base: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(base, rel), { withFileTypes: true }).catch(() => [])) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else out.push(child);
    }
  };
  await walk(dir.replace(/\/+$/, ''));
  return out.sort();
}

/**
 * The files a bundle of `specDir` (relative to `base`) can read: every file under it, and every
 * file outside it that a relative `$ref` names (followed in turn). Undefined when a `$ref` names a
 * URL: what it returns is no file of ours, so such a bundle is not cached.
 */
export async function specFiles(base: string, specDir: string): Promise<string[] | undefined> {
  const seen = new Set(await filesUnder(base, specDir));
  const queue = [...seen];
  const ref = /\$ref["']?\s*:\s*["']?([^"'\s#,}]+)/g;
  while (queue.length) {
    const file = queue.pop()!;
    if (!/\.(ya?ml|json)$/i.test(file)) continue;
    const text = await readFile(path.join(base, file), 'utf8').catch(() => '');
    for (const m of text.matchAll(ref)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
      const rel = path.relative(base, path.resolve(base, path.dirname(file), target)).split(path.sep).join('/');
      if (!seen.has(rel)) {
        seen.add(rel);
        queue.push(rel);
      }
    }
  }
  return [...seen].sort();
}

/**
 * The tools installed: Node's version and npm's own record of node_modules (every package and its
 * version), so an update of Redocly, openapi-typescript or anything they load is another key.
 * Undefined when node_modules has no such record: then nothing is cached.
 */
export async function toolsFingerprint(repo = root): Promise<string | undefined> {
  const lock = await readFile(path.join(repo, 'node_modules', '.package-lock.json')).catch(() => undefined);
  return lock ? `node ${process.version}\0npm-installed ${sha256(lock)}` : undefined;
}

/** A fingerprint from named parts (strings) and file sets ([dir, files]). */
export async function fingerprint(parts: (string | [string, readonly string[]])[]): Promise<string> {
  const hash = createHash('sha256');
  for (const p of parts) {
    if (typeof p === 'string') hash.update(`${p}\0`);
    else await hashFiles(hash, p[0], p[1]);
    hash.update('\n');
  }
  return hash.digest('hex');
}

/**
 * The local files a Redocly config loads: its plugins and local `extends`, and every file they
 * import or read by a relative URL (followed in turn). The config's own bytes are an input of their
 * own; one that does not parse names nothing here (Redocly will not run with it either).
 */
export async function configFiles(repo: string, config = 'redocly.yaml'): Promise<string[]> {
  let doc: { plugins?: unknown; extends?: unknown } | undefined;
  try {
    doc = YAML.parse(await readFile(path.join(repo, config), 'utf8')) as typeof doc;
  } catch {
    return [];
  }
  const local = (v: unknown): v is string => typeof v === 'string' && /^\.{0,2}\//.test(v);
  const named = [doc?.plugins, doc?.extends].flatMap((v) => (Array.isArray(v) ? v : [])).filter(local);
  const seen = new Set(named.map((f) => path.relative(repo, path.resolve(repo, path.dirname(config), f)).split(path.sep).join('/')));
  const queue = [...seen];
  const reference = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  while (queue.length) {
    const file = queue.pop()!;
    const text = await readFile(path.join(repo, file), 'utf8').catch(() => '');
    for (const m of text.matchAll(reference)) {
      let rel = path.relative(repo, path.resolve(repo, path.dirname(file), m[1]!)).split(path.sep).join('/');
      // A TypeScript module imported by its .js name.
      if (!existsSync(path.join(repo, rel)) && /\.js$/.test(rel) && existsSync(path.join(repo, rel.replace(/\.js$/, '.ts')))) rel = rel.replace(/\.js$/, '.ts');
      if (!seen.has(rel)) {
        seen.add(rel);
        queue.push(rel);
      }
    }
  }
  return [...seen].sort();
}

/**
 * Fingerprint of what Redocly (with this repository's config) and openapi-typescript read when they
 * work on the spec: every file under openapi/ and any file its `$ref`s name outside it, Redocly's
 * config and ignore file, the plugins and what they load, package.json (the code samples name the
 * package), the installed tools, `what` is made (the command and its arguments) and the `scripts`
 * that run the tools. Undefined when one of them cannot be pinned down.
 */
export async function specToolInputs(what: string, scripts: string[] = [], repo = root): Promise<string | undefined> {
  const [tools, spec, config] = await Promise.all([toolsFingerprint(repo), specFiles(repo, 'openapi'), configFiles(repo)]);
  if (!tools || !spec) return undefined;
  return fingerprint([what, tools, [repo, spec], [repo, ['redocly.yaml', '.redocly.lint-ignore.yaml', 'package.json', ...config, ...scripts]]]);
}

export const cacheRoot = (name: string, repo = root): string => path.join(repo, 'node_modules', '.cache', name);

const MANIFEST = 'manifest.json';

interface Manifest {
  files: Record<string, string>;
}

export interface CacheOptions {
  /** The repository whose node_modules holds the cache (default: this one). */
  repo?: string;
  /** How many entries to keep (the least recently used beyond that are removed). */
  keep?: number;
}

/**
 * Outputs (name in the entry → file to write) as made from the inputs `inputs()` fingerprints:
 * copied from the cache when an intact entry exists (returns true), else made by `make` and stored
 * (false). `make` returns false when what it made must not be kept (the tool failed). The inputs
 * are fingerprinted again once `make` is done and nothing is stored if they changed meanwhile (an
 * edit while the tool ran: the outputs may be of either version). Without a fingerprint, `make`
 * just runs.
 */
export async function cached(name: string, inputs: () => Promise<string | undefined>, outputs: Record<string, string>, make: () => Promise<boolean | void>, opts: CacheOptions = {}): Promise<boolean> {
  const dir = cacheRoot(name, opts.repo);
  const key = await inputs();
  if (key !== undefined && (await restore(path.join(dir, key), outputs))) return true;
  const keep = await make();
  if (key !== undefined && keep !== false && (await inputs()) === key) await store(dir, key, outputs, opts.keep ?? 32).catch(() => undefined);
  return false;
}

/** Writes an entry's files to their places if every one matches the manifest; false otherwise. */
async function restore(entry: string, outputs: Record<string, string>): Promise<boolean> {
  const contents = new Map<string, Buffer>();
  try {
    const manifest = JSON.parse(await readFile(path.join(entry, MANIFEST), 'utf8')) as Manifest;
    for (const name of Object.keys(outputs)) {
      const content = await readFile(path.join(entry, name));
      if (manifest.files[name] !== sha256(content)) throw new Error(`${name} does not match its digest`);
      contents.set(name, content);
    }
  } catch (err) {
    // No entry is the ordinary miss; anything else (cut short, edited, unreadable) is dropped.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') await rm(entry, { recursive: true, force: true }).catch(() => undefined);
    return false;
  }
  for (const [name, file] of Object.entries(outputs)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, contents.get(name)!);
  }
  const now = new Date();
  await utimes(entry, now, now).catch(() => undefined); // recently used: kept longest
  return true;
}

async function store(dir: string, key: string, outputs: Record<string, string>, keep: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(temp);
    const manifest: Manifest = { files: {} };
    for (const [name, file] of Object.entries(outputs)) {
      const content = await readFile(file);
      await writeFile(path.join(temp, name), content);
      manifest.files[name] = sha256(content);
    }
    await writeFile(path.join(temp, MANIFEST), JSON.stringify(manifest));
    // Another process may have stored the same entry meanwhile: its copy is as good as this one.
    await rename(temp, path.join(dir, key)).catch(() => undefined);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  await prune(dir, keep);
}

/** Keeps the `keep` most recently used entries (and leftovers of writers that died, once old). */
async function prune(dir: string, keep: number): Promise<void> {
  const entries = await Promise.all(
    (await readdir(dir)).map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const hour = Date.now() - 3_600_000;
  const stale = entries.filter((e) => e.n.startsWith('.tmp-') && e.t < hour);
  const old = entries.filter((e) => !e.n.startsWith('.')).sort((a, b) => b.t - a.t).slice(keep);
  for (const e of [...stale, ...old]) await rm(path.join(dir, e.n), { recursive: true, force: true }).catch(() => undefined);
}

/**
 * A command's result (exit code and output) kept like a tool's files: for a check whose answer
 * depends only on the inputs `inputs()` fingerprints. Not kept when its output names the folder it
 * ran in (another checkout would be told about this one) or when `keep` says no.
 */
export async function cachedRun(name: string, inputs: () => Promise<string | undefined>, cmd: string, args: string[], opts: CacheOptions & { cwd?: string; keep?: number; keepIf?: (r: RunResult) => boolean } = {}): Promise<RunResult> {
  const cwd = opts.cwd ?? root;
  const temp = await mkdtemp(path.join(tmpdir(), `${name}-`));
  try {
    const file = path.join(temp, 'result.json');
    await cached(name, inputs, { 'result.json': file }, async () => {
      const r = await run(cmd, args, { cwd });
      await writeFile(file, JSON.stringify(r));
      return !`${r.stdout}${r.stderr}`.includes(path.resolve(cwd)) && (opts.keepIf?.(r) ?? true);
    }, opts);
    return JSON.parse(await readFile(file, 'utf8')) as RunResult;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * `redocly <args>` on this repository's spec, kept by specToolInputs: `npm run lint` (and generate's
 * lint) on a spec, config and tools it already linted answers as it did then. Colours depend on the
 * environment (colorette reads these), so they are part of the key.
 */
export function redoclyLint(args: string[], repo = root): Promise<RunResult> {
  const env = ['CI', 'FORCE_COLOR', 'NO_COLOR', 'TERM'].map((k) => `${k}=${process.env[k] ?? '(unset)'}`).join(' ');
  return cachedRun('lint', () => specToolInputs(`redocly ${args.join(' ')}\0${env}`, [], repo), bin('redocly'), args, { cwd: repo, repo, keep: 16 });
}
