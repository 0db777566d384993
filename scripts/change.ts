// npm run change -- [<name>:<level> …] -m "<what changed, for integrators>"
//
// Writes this pull request's change note, .changeset/<slug of the message>.md. Names are `contract`
// and package names (`@bullseye/api`, any workspace package); levels major, minor, patch, none.
// Without names it proposes them: the contract at the level `npm run diff` measures against the base
// branch, and every package whose shipped files changed (the SDK at least at the contract's level).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkChanges } from './check-changes.js';
import { CONTRACT, discoverUnits, LEVELS, maxLevel, NOTES_DIR, type Level } from './lib/changes.js';
import { root } from './lib/steps.js';

const USAGE = 'usage: npm run change -- [<contract|package>:<major|minor|patch|none> …] -m "<what changed, for integrators>" [--base <ref>]';

export function slug(message: string): string {
  return (
    message
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .split('-')
      .slice(0, 8)
      .join('-') || 'change'
  );
}

export function noteText(entries: [string, Level][], message: string): string {
  const front = entries.map(([n, l]) => `${/^[a-z][a-z0-9-]*$/.test(n) ? n : JSON.stringify(n)}: ${l}`).join('\n');
  return `---\n${front}\n---\n\n${message.trim()}\n`;
}

async function cli(argv: string[]): Promise<number> {
  let message = '';
  let base: string | undefined;
  const entries: [string, Level][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-m' || a === '--message') message = argv[++i] ?? '';
    else if (a === '--base') base = argv[++i];
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      return 0;
    } else {
      const m = /^(.+):([a-z]+)$/.exec(a);
      if (!m || !(LEVELS as readonly string[]).includes(m[2]!)) {
        console.error(`✖ "${a}" is not <name>:<level> (levels: ${LEVELS.join(', ')})\n${USAGE}`);
        return 2;
      }
      entries.push([m[1]!, m[2] as Level]);
    }
  }
  if (!message.trim()) {
    console.error(`✖ a change note needs its changelog line: -m "<what changed, for integrators>"\n${USAGE}`);
    return 2;
  }
  const units = await discoverUnits(root);
  const names = new Set(units.map((u) => u.name));
  const unknown = entries.filter(([n]) => !names.has(n)).map(([n]) => n);
  if (unknown.length) {
    console.error(`✖ unknown: ${unknown.join(', ')}; known: ${[...names].join(', ')}`);
    return 2;
  }
  if (entries.length === 0) {
    const r = await checkChanges(root, { base });
    const contract = r.contract?.measured ?? 'none';
    if (contract !== 'none') entries.push([CONTRACT, contract]);
    for (const u of r.units) {
      if (u.name === CONTRACT || u.changed.length === 0) continue;
      const sdk = units.find((x) => x.name === u.name)?.kind === 'root';
      entries.push([u.name, sdk ? maxLevel([contract, 'patch']) : 'patch']);
    }
    if (entries.length === 0) {
      console.error('✖ nothing this branch changed needs a note (no contract change, no shipped package file): name what changed, e.g. `contract:patch`.');
      return 1;
    }
    console.log(`Proposed from what changed: ${entries.map(([n, l]) => `${n}: ${l}`).join(', ')} (edit the note if a package's level is higher)`);
  }
  await mkdir(path.join(root, NOTES_DIR), { recursive: true });
  let file = path.join(root, NOTES_DIR, `${slug(message)}.md`);
  for (let i = 2; existsSync(file); i++) file = path.join(root, NOTES_DIR, `${slug(message)}-${i}.md`);
  await writeFile(file, noteText(entries, message));
  console.log(`✔ wrote ${path.relative(root, file)}:\n${await readFile(file, 'utf8')}`);
  return 0;
}

cli(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
