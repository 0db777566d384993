// Checks on openapi/ as a set of files, where Redocly (which only sees what the entry file reaches)
// cannot look, run by `npm run lint` (and `npm run generate`) after Redocly's own rules:
//   spec-files/orphan          a YAML file nothing reaches from openapi/openapi.yaml (a schema nobody
//                              references is never bundled, so no-unused-components cannot see it);
//   spec-files/path-not-indexed a path file missing from the `paths:` index;
//   spec-files/operation-id-duplicate  one operationId in two places (both named);
//   spec-files/decision-unknown  an `x-provenance-decision` naming no DECISIONS entry;
//   spec-files/decisions-order  DECISIONS entries numbered and placed by the rule (lib/decisions.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { decisionIds, decisionProblems } from './decisions.js';

export interface SpecFileProblem {
  rule: string;
  /** Repository-relative file. */
  file: string;
  line: number;
  message: string;
}

const HTTP = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function walkYaml(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walkYaml(f, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(f);
  }
  return out;
}

interface Parsed {
  refs: string[];
  /** [operationId, method, line] of a path file's operations. */
  operations: [string, string, number][];
  decisions: [string, number][];
  pathParams: string[];
}

function parseFile(file: string): Parsed | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
  if (doc.errors.length) return undefined; // Redocly reports YAML errors itself
  const out: Parsed = { refs: [], operations: [], decisions: [], pathParams: [] };
  const line = (n: Node | null | undefined): number => (n?.range ? lc.linePos(n.range[0]).line : 1);
  const visit = (node: unknown, depth: number, parentKey: string): void => {
    if (isMap(node)) {
      let isPathParam = false;
      let name: string | undefined;
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const key = String(item.key.value);
        const value = item.value;
        if (key === '$ref' && isScalar(value) && typeof value.value === 'string') out.refs.push(value.value);
        if (key === 'x-provenance-decision' && isScalar(value)) out.decisions.push([String(value.value), line(item.key as Node)]);
        if (depth === 0 && HTTP.has(key) && isMap(value)) {
          const id = value.get('operationId', true);
          if (isScalar(id)) out.operations.push([String(id.value), key, line(id)]);
        }
        if (key === 'in' && isScalar(value) && value.value === 'path') isPathParam = true;
        if (key === 'name' && isScalar(value)) name = String(value.value);
        visit(value, depth + 1, key);
      }
      if (isPathParam && name && parentKey !== 'properties') out.pathParams.push(name);
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1, parentKey);
    }
  };
  visit(doc.contents, 0, '');
  return out;
}

/** The URL a path file is named after (the folder's rule, reversed with its own path parameters). */
export function urlOfPathFile(file: string, params: string[]): string {
  let name = path.basename(file).replace(/\.ya?ml$/, '');
  const tokens: string[] = [];
  for (const p of [...params].sort((a, b) => b.length - a.length)) {
    name = name.split(`@${p}`).join(`\u0000${tokens.length}\u0000`);
    tokens.push(p);
  }
  return `/${name.replace(/_/g, '/').replace(/\u0000(\d+)\u0000/g, (_m, i: string) => `{${tokens[Number(i)]}}`).replace(/@([A-Za-z0-9]+)/g, '{$1}')}`;
}

export function specFileProblems(repo: string): SpecFileProblem[] {
  const specDir = path.join(repo, 'openapi');
  const entry = path.join(specDir, 'openapi.yaml');
  const rel = (f: string): string => path.relative(repo, f).split(path.sep).join('/');
  const files = walkYaml(specDir);
  const parsed = new Map<string, Parsed | undefined>(files.map((f) => [f, parseFile(f)]));
  const problems: SpecFileProblem[] = [];

  // Path parameter names anywhere in the spec (inline or shared), to turn `@name` back into `{name}`.
  const allPathParams = [...new Set(files.flatMap((f) => parsed.get(f)?.pathParams ?? []))];

  // Reachability from the entry file, following file $refs.
  const reached = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const f = queue.pop()!;
    if (reached.has(f)) continue;
    reached.add(f);
    for (const ref of parsed.get(f)?.refs ?? []) {
      const target = ref.split('#')[0];
      if (!target || /^[a-z]+:\/\//i.test(target)) continue;
      const abs = path.resolve(path.dirname(f), decodeURIComponent(target));
      if (existsSync(abs)) queue.push(abs);
    }
  }
  for (const f of files) {
    if (reached.has(f)) continue;
    const r = rel(f);
    if (/^openapi\/paths\//.test(r)) {
      const url = urlOfPathFile(f, allPathParams);
      problems.push({
        rule: 'spec-files/path-not-indexed',
        file: r,
        line: 1,
        message: `${r} is not in the \`paths:\` index, so it is in no bundle, no type and no docs page: add \`${url}: { $ref: ${path.relative(specDir, f).split(path.sep).join('/')} }\` under \`paths:\` in openapi/openapi.yaml, next to its API's other paths (or delete the file).`,
      });
    } else {
      problems.push({
        rule: 'spec-files/orphan',
        file: r,
        line: 1,
        message: `${r} is referenced from nowhere, so it is in no bundle: reference it with \`$ref\` where it is used (for a schema: a property or response of the spec), or delete the file.`,
      });
    }
  }

  // operationIds: unique across every reached path file, both places named.
  const ids = new Map<string, { file: string; line: number; method: string }[]>();
  for (const f of files) {
    if (!reached.has(f) || !rel(f).startsWith('openapi/paths/')) continue;
    for (const [id, method, line] of parsed.get(f)?.operations ?? []) ids.set(id, [...(ids.get(id) ?? []), { file: rel(f), line, method }]);
  }
  for (const [id, places] of ids) {
    if (places.length < 2) continue;
    const where = places.map((p) => `${p.file}:${p.line} (${p.method.toUpperCase()})`).join(' and ');
    for (const p of places) {
      problems.push({
        rule: 'spec-files/operation-id-duplicate',
        file: p.file,
        line: p.line,
        message: `operationId \`${id}\` is used twice: ${where}. Rename the new one (camelCase, verb first, naming its API where both have the resource); the SDK, CLI and docs key operations by it.`,
      });
    }
  }

  // DECISIONS: references and the numbering rule.
  const decisionsFile = path.join(specDir, 'DECISIONS.md');
  const text = existsSync(decisionsFile) ? readFileSync(decisionsFile, 'utf8') : '';
  const known = decisionIds(text);
  for (const f of files) {
    for (const [id, line] of parsed.get(f)?.decisions ?? []) {
      if (!known.has(id)) {
        problems.push({ rule: 'spec-files/decision-unknown', file: rel(f), line, message: `\`x-provenance-decision: ${id}\` names no entry of openapi/DECISIONS.md: write the entry (next free number, end of its section) or fix the id.` });
      }
    }
  }
  for (const p of decisionProblems(text)) {
    const m = /^(.*?):(\d+): (.*)$/.exec(p);
    problems.push({ rule: 'spec-files/decisions-order', file: m?.[1] ?? 'openapi/DECISIONS.md', line: Number(m?.[2] ?? 1), message: m?.[3] ?? p });
  }
  return problems;
}

export function formatProblems(problems: SpecFileProblem[], format: string): string {
  if (format === 'github-actions') {
    return problems.map((p) => `::error title=${p.rule},file=${p.file},line=${p.line}::${p.message.replace(/\n/g, '%0A')}`).join('\n');
  }
  return problems.map((p) => `${p.file}:${p.line}: error ${p.rule}\n  ${p.message.replace(/\n/g, '\n  ')}`).join('\n');
}
