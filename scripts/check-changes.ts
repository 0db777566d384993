// npm run check:changes [-- <base-ref>] [--report <file.md>]: the change-note gate of a pull request.
//
// Against where this branch left its base (the argument, else CHANGES_BASE, the pull request's base
// in GitHub Actions, origin/main or main), it checks that:
//   1. every change note in .changeset/ reads: known names (`contract` and this repository's
//      packages, workspaces included), a level, a changelog line;
//   2. the contract's declared level is at least what `npm run diff` measures;
//   3. every package whose shipped files changed is named in a note, the SDK at least at the
//      contract's level (it ships the contract's types and API_VERSION);
//   4. every property the branch adds to the contract says where it comes from (`x-docs-page` or a
//      DECISIONS entry in `x-provenance-decision`);
//   5. no version line and no changelog heading is edited outside a release (`npm run
//      release:version` writes them from the notes).
// Exit 0 = passed, 1 = a problem (each printed with what to do), 2 = usage error.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { decisionIds } from './lib/decisions.js';
import { measureContract, verdictMarkdown, UsageError, type ContractMeasure, type DiffChange } from './diff.js';
import {
  CONTRACT,
  CONTRACT_ENTRY,
  changedFiles,
  changelogHeadings,
  declaredLevels,
  defaultBase,
  discoverUnits,
  manifestChanged,
  mergeBase,
  NoteError,
  notesAt,
  notesNow,
  rank,
  readNotes,
  showAt,
  shipsFile,
  type Level,
  type Note,
  type Unit,
} from './lib/changes.js';
import { root } from './lib/steps.js';

export interface ChangesResult {
  passed: boolean;
  base?: string;
  baseCommit?: string;
  release: boolean;
  /** Per unit: the files that changed what it ships, and the level the notes declare. */
  units: { name: string; changed: string[]; declared?: Level }[];
  contract?: ContractMeasure;
  problems: string[];
  notes: string[];
}

const changeCommand = (entries: string): string => `npm run change -- ${entries} -m "<what changed, for integrators>"`;

/** Where a schema component lives in openapi/ (for messages). */
function componentFile(repo: string, pointer: string): string | undefined {
  const name = /^#\/components\/schemas\/([^/]+)/.exec(pointer)?.[1];
  if (!name) return undefined;
  for (const api of ['shared', 'partner', 'organization']) {
    const f = `openapi/components/schemas/${api}/${name}.yaml`;
    if (existsSync(path.join(repo, f))) return f;
  }
  return undefined;
}

/** Properties the branch adds to the contract that do not say where they come from. */
export function unsourcedProperties(repo: string, changes: DiffChange[], decisions: Set<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of changes) {
    const pointer = c.revision?.pointer ?? c.path;
    const name = /\/properties\/([^/]+)$/.exec(pointer)?.[1];
    if (c.kind !== 'added' || !name || seen.has(pointer)) continue;
    seen.add(pointer);
    const value = (c.revision?.value ?? {}) as Record<string, unknown>;
    const page = value['x-docs-page'];
    const decision = value['x-provenance-decision'];
    const where = `${pointer}${componentFile(repo, pointer) ? ` in ${componentFile(repo, pointer)}` : ''}`;
    if (typeof decision === 'string') {
      if (!decisions.has(decision)) problems.push(`new property \`${name}\` (${where}) names \`x-provenance-decision: ${decision}\`, which is no entry of openapi/DECISIONS.md: add the entry (next free number of its section, at the end of the section) or fix the id.`);
      continue;
    }
    if (typeof page === 'string' && page.trim()) continue;
    problems.push(
      `new property \`${name}\` (${where}) does not say where it comes from: add \`x-docs-page: <docs page that shows it>\`, ` +
        `or, when the docs do not show it (a designed field), an entry in openapi/DECISIONS.md and \`x-provenance-decision: <its id>\` ` +
        `(\`npm run new -- field … --designed\` writes both).`,
    );
  }
  return problems;
}

/** Version lines and changelog headings of each unit that differ from the base. */
async function bookkeepingEdits(repo: string, commit: string, units: Unit[]): Promise<string[]> {
  const edits: string[] = [];
  for (const u of units) {
    const changelog = u.kind === 'root' ? 'CHANGELOG.md' : `${u.rel}/CHANGELOG.md`;
    const before = await showAt(repo, commit, changelog);
    const now = existsSync(path.join(repo, changelog)) ? await readFile(path.join(repo, changelog), 'utf8') : undefined;
    if (JSON.stringify(changelogHeadings(before)) !== JSON.stringify(changelogHeadings(now))) edits.push(`${changelog} (a version heading)`);
    if (u.kind === 'contract') {
      const was = /^info:\n(?:[ ].*\n)*?[ ]+version: ['"]?([^'"\n]+)/m.exec((await showAt(repo, commit, CONTRACT_ENTRY)) ?? '')?.[1]?.trim();
      if (was !== undefined && was !== u.version) edits.push(`${CONTRACT_ENTRY} (info.version ${was} → ${u.version})`);
    } else {
      const manifest = u.kind === 'root' ? 'package.json' : `${u.rel}/package.json`;
      const was = await showAt(repo, commit, manifest);
      const version = was ? (JSON.parse(was) as { version?: string }).version : undefined;
      if (version !== undefined && version !== u.version) edits.push(`${manifest} (version ${version} → ${u.version})`);
    }
  }
  const sdkVersion = (t: string | undefined): string | undefined => /SDK_VERSION = '([^']+)'/.exec(t ?? '')?.[1];
  if (existsSync(path.join(repo, 'src/version.ts'))) {
    const was = sdkVersion(await showAt(repo, commit, 'src/version.ts'));
    const now = sdkVersion(await readFile(path.join(repo, 'src/version.ts'), 'utf8'));
    if (was !== now) edits.push(`src/version.ts (SDK_VERSION ${was} → ${now})`);
  }
  return edits;
}

export async function checkChanges(repo: string, opts: { base?: string; reportFile?: string } = {}): Promise<ChangesResult> {
  const result: ChangesResult = { passed: true, release: false, units: [], problems: [], notes: [] };
  const base = await defaultBase(repo, opts.base);
  if (!base) {
    if (opts.base) throw new UsageError(`unknown git ref "${opts.base}": pass a branch, tag or commit that exists locally (in CI fetch the base branch first).`);
    result.notes.push('no base branch (origin/main or main) to compare with: skipped. Pass one (`npm run check:changes -- <base-ref>`) or set CHANGES_BASE.');
    return result;
  }
  result.base = base;
  const commit = await mergeBase(repo, base);
  result.baseCommit = commit;
  const units = await discoverUnits(repo);
  let notes: Note[];
  try {
    notes = await readNotes(repo, units);
  } catch (err) {
    if (!(err instanceof NoteError)) throw err;
    result.problems.push(...err.message.split('\n'));
    result.passed = false;
    return result;
  }
  const before = new Set(await notesAt(repo, commit));
  const now = new Set(await notesNow(repo));
  const added = notes.filter((n) => !before.has(n.file));
  const consumed = [...before].filter((f) => !now.has(f));
  result.release = consumed.length > 0 && added.length === 0;
  const declared = declaredLevels(added);

  const files = await changedFiles(repo, commit);
  for (const u of units) {
    const changed = files.filter((f) => shipsFile(u, f, units));
    if (u.kind !== 'contract') {
      const manifest = u.kind === 'root' ? 'package.json' : `${u.rel}/package.json`;
      if (files.includes(manifest)) {
        const fields = manifestChanged(await showAt(repo, commit, manifest), await readFile(path.join(repo, manifest), 'utf8'));
        if (fields.length) changed.push(`${manifest} (${fields.join(', ')})`);
      }
    }
    result.units.push({ name: u.name, changed, declared: declared.get(u.name)?.level });
  }

  // The contract: measured only when a spec file changed (the diff bundles twice: seconds).
  const contractUnit = result.units.find((u) => u.name === CONTRACT)!;
  if (contractUnit.changed.length > 0) {
    const m = await measureContract(repo, commit, { reportFile: opts.reportFile });
    result.contract = m;
    if (!m.passed) result.problems.push(...m.verdict);
    if (!result.release) result.problems.push(...unsourcedProperties(repo, m.changes, decisionIds(await readFile(path.join(repo, 'openapi/DECISIONS.md'), 'utf8'))));
  } else if (opts.reportFile) {
    await mkdir(path.dirname(path.resolve(opts.reportFile)), { recursive: true });
    await writeFile(opts.reportFile, 'No file of the contract (openapi/*.yaml) changed: nothing for the breaking-change gate to compare.\n');
  }

  if (!result.release) {
    const contractLevel = declared.get(CONTRACT)?.level ?? 'none';
    for (const u of result.units) {
      const unit = units.find((x) => x.name === u.name)!;
      if (unit.kind === 'contract' || u.changed.length === 0) continue;
      const shown = u.changed.slice(0, 4).join(', ') + (u.changed.length > 4 ? `, … (${u.changed.length} files)` : '');
      if (!u.declared) {
        const level = unit.kind === 'root' && contractLevel !== 'none' ? contractLevel : 'patch';
        result.problems.push(
          `✖ ${u.name} changed (${shown}) but no change note names it: add \`"${u.name}": <major|minor|patch>\` to this branch's note, or \`${changeCommand(`"${u.name}:${level}"`)}\`.`,
        );
      }
    }
    const sdk = units.find((u) => u.kind === 'root')!;
    const sdkLevel = declared.get(sdk.name)?.level ?? 'none';
    if (contractLevel !== 'none' && rank(sdkLevel) < rank(contractLevel) && (result.units.find((u) => u.name === sdk.name)?.changed.length ?? 0) > 0) {
      const where = declared.get(CONTRACT)!.files.join(', ');
      if (declared.has(sdk.name)) {
        result.problems.push(`✖ ${sdk.name} ships the contract (its types and API_VERSION), so its level is at least the contract's: raise \`"${sdk.name}": ${sdkLevel}\` to \`${contractLevel}\` in ${where}.`);
      }
    }
    const edits = await bookkeepingEdits(repo, commit, units);
    if (edits.length) {
      result.problems.push(
        `✖ a pull request does not edit versions or changelog headings: ${edits.join('; ')}. The change note carries the level and the changelog line; ` +
          `\`npm run release:version\` writes versions and changelogs at release. Undo with \`git checkout ${commit.slice(0, 12)} -- <file>\`.`,
      );
    }
  }
  result.passed = result.problems.length === 0;
  if (opts.reportFile) {
    const report = existsSync(opts.reportFile) ? await readFile(opts.reportFile, 'utf8') : '';
    await writeFile(opts.reportFile, `${report.trimEnd()}\n\n${notesMarkdown(result, added)}\n`);
  }
  return result;
}

function notesMarkdown(r: ChangesResult, added: Note[]): string {
  const lines = ['### Change notes', ''];
  if (r.release) lines.push(`A release: the notes ${r.base ? `of ${r.base} ` : ''}were consumed into versions and changelogs.`, '');
  if (added.length) {
    lines.push('| note | declares | changelog line |', '|---|---|---|');
    for (const n of added) lines.push(`| \`${n.file}\` | ${n.releases.map((x) => `\`${x.name}\`: ${x.type}`).join(', ')} | ${n.summary.split('\n')[0]} |`);
  } else if (!r.release) lines.push('This branch adds no change note.');
  if (r.problems.length) lines.push('', '**Change-note gate: failed.**', '', ...r.problems.map((p) => `- ${p.replace(/^\s*[✖-]\s*/, '')}`));
  else lines.push('', '**Change-note gate: passed.**');
  return lines.join('\n');
}

async function cli(argv: string[]): Promise<number> {
  let base: string | undefined;
  let reportFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--report') reportFile = argv[++i];
    else if (a.startsWith('--report=')) reportFile = a.slice('--report='.length);
    else if (a.startsWith('-')) {
      console.error(`✖ unknown option ${a}\nusage: npm run check:changes [-- <base-ref>] [--report <file.md>]`);
      return 2;
    } else base = a;
  }
  try {
    const r = await checkChanges(root, { base, reportFile });
    for (const n of r.notes) console.log(n);
    if (r.base) console.log(`Change notes: this branch against ${r.base} (${r.baseCommit?.slice(0, 12)})${r.release ? ', a release' : ''}`);
    for (const u of r.units) if (u.changed.length || u.declared) console.log(`  ${u.name}: ${u.changed.length} shipped file(s) changed; note declares ${u.declared ?? 'nothing'}`);
    if (r.contract) console.log(r.contract.verdict.filter((l) => l.startsWith('✔')).join('\n'));
    if (r.problems.length) {
      console.error(`\n${r.problems.join('\n')}`);
      console.error('\n✖ change-note gate failed (see CONTRIBUTING.md, "Change notes")');
      return 1;
    }
    console.log('✔ change-note gate passed');
    return 0;
  } catch (err) {
    console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
