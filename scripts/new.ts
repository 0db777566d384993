// npm run new -- <what> …: scaffolds spec files by the folder's rules (openapi/README.md); the
// maintainer then replaces the placeholders with the facts of the docs. What it writes lints, bundles
// and passes the contract coverage test as it is.
//
//   operation <METHOD> <URL> [--id <operationId>] [--tag <tag>] [--scope <scope>] [--documented]
//       the path file (or the method in it), the `paths:` index entry next to its API's paths, a
//       response schema, the shared error responses, examples, provenance with a DECISIONS stub
//       (unless --documented), and the contract-test case;
//   schema <Name> [--api partner|organization|shared] [--in <Schema>.<property>] [--documented <page>]
//       components/schemas/<api>/<Name>.yaml, referenced from <Schema>.<property> (a new optional
//       property, so the file is not an orphan);
//   field <Schema>.<property> <string|integer|number|boolean> (--docs <page> | --designed)
//       a new optional property, saying where it comes from: the docs page that shows it, or a
//       DECISIONS entry (a stub is written) for a designed field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decisionEntries, SECTIONS } from './lib/decisions.js';
import { root } from './lib/steps.js';
import { apiOfPath } from '../src/core/routes.js';

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

type Api = 'partner' | 'organization';
const API_TITLE: Record<Api, 'Partner' | 'Organization'> = { partner: 'Partner', organization: 'Organization' };
const SPEC = (repo: string, ...p: string[]): string => path.join(repo, 'openapi', ...p);

/** The API a new path joins: the owner of its first segment in the facts table, else the Organization API (the one without a single prefix). */
export const apiOf = (url: string): Api => apiOfPath(url) ?? 'organization';

/** The folder's file-name rule: drop the leading `/`, `/` → `_`, `{p}` → `@p`. */
export function pathFileName(url: string): string {
  return `${url.replace(/^\//, '').replace(/\//g, '_').replace(/\{([^}]+)\}/g, '@$1')}.yaml`;
}

const pascal = (s: string): string => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const singular = (w: string): string => (/ies$/.test(w) ? w.replace(/ies$/, 'y') : /ses$/.test(w) ? w.replace(/es$/, '') : w.replace(/s$/, ''));

/** `GET /partner/organizations/{organizationId}/usage` → `getPartnerOrganizationUsage`. */
export function defaultOperationId(method: string, url: string): string {
  const api = apiOf(url);
  const segs = url.split('/').filter(Boolean);
  const words: string[] = [];
  segs.forEach((s, i) => {
    if (s.startsWith('{') || (i === 0 && (s === 'partner' || s === 'organization'))) return;
    const next = segs[i + 1];
    words.push(pascal(next?.startsWith('{') ? singular(s) : s));
  });
  const last = segs[segs.length - 1] ?? '';
  const m = method.toLowerCase();
  const verb = m === 'get' ? (last.startsWith('{') || words.length === 0 ? 'get' : /s$/.test(last) ? 'list' : 'get') : m === 'post' ? 'create' : m === 'delete' ? 'delete' : 'update';
  const noun = words.join('');
  const prefix = API_TITLE[api];
  return `${verb}${noun.startsWith(prefix) ? '' : prefix}${noun}`;
}

async function read(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

/** The index entries of `paths:` in openapi.yaml: [url, line index of the key]. */
function indexEntries(lines: string[]): { url: string; line: number; end: number }[] {
  const start = lines.findIndex((l) => l === 'paths:');
  const out: { url: string; line: number; end: number }[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\S/.test(l)) break;
    const m = /^ {2}(\/\S*):\s*$/.exec(l);
    if (m) out.push({ url: m[1]!, line: i, end: i + 1 });
    else if (out.length && /^ {4}/.test(l)) out[out.length - 1]!.end = i;
  }
  return out;
}

const commonSegments = (a: string, b: string): number => {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
};

/** Adds `url` to the `paths:` index after the last entry sharing the longest prefix with it. */
export function addIndexEntry(openapiYaml: string, url: string, ref: string): string {
  const lines = openapiYaml.split('\n');
  const entries = indexEntries(lines);
  if (entries.some((e) => e.url === url)) return openapiYaml;
  const api = apiOf(url);
  const mine = entries.filter((e) => apiOf(e.url) === api);
  if (mine.length === 0) throw new ScaffoldError('found no path of this API in the `paths:` index of openapi/openapi.yaml');
  const best = Math.max(...mine.map((e) => commonSegments(e.url, url)));
  const after = mine.filter((e) => commonSegments(e.url, url) === best).pop()!;
  lines.splice(after.end + 1, 0, `  ${url}:`, `    $ref: ${ref}`);
  return lines.join('\n');
}

/** Appends a DECISIONS stub at the end of its section with the next free number; returns its id. */
export function addDecisionStub(text: string, api: Api | 'shared', title: string, body: string): { text: string; id: string } {
  const section = SECTIONS[api === 'shared' ? 0 : api === 'partner' ? 1 : 2]!;
  const numbers = decisionEntries(text).filter((e) => e.section === section.name && e.prefix === section.prefix).map((e) => e.number);
  const id = `${section.prefix}${Math.max(0, ...numbers) + 1}`;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => section.heading.test(l));
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end === -1) end = lines.length;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  const depth = api === 'shared' ? '###' : '####';
  lines.splice(end, 0, '', `${depth} ${id}. ${title}`, ...body.split('\n'));
  return { text: lines.join('\n'), id };
}

const DECISION_BODY = (what: string): string =>
  [
    `- **Docs:** FILL IN what the public docs say about ${what} (page), or that they are silent.`,
    `- **Spec:** FILL IN what the spec chose.`,
    `- **Why:** FILL IN the reason, in the documented conventions.`,
  ].join('\n');

/** A shared path parameter (components/parameters) with this name, if one exists for the API. */
function sharedParameter(repo: string, api: Api, name: string): { file: string; example: unknown; constrained: boolean } | undefined {
  const dir = SPEC(repo, 'components', 'parameters');
  for (const f of readdirSync(dir).sort()) {
    if (!f.startsWith(API_TITLE[api])) continue;
    const p = parseYaml(readFileSync(path.join(dir, f), 'utf8')) as { name?: string; in?: string; example?: unknown; schema?: Record<string, unknown> };
    if (p.name === name && p.in === 'path') return { file: f, example: p.example, constrained: !!(p.schema?.format || p.schema?.pattern) };
  }
  return undefined;
}

/** The tag of the operations nearest to `url` in the index (same longest prefix). */
function nearestTag(repo: string, url: string, openapiYaml: string): string {
  const entries = indexEntries(openapiYaml.split('\n')).filter((e) => apiOf(e.url) === apiOf(url));
  const sorted = [...entries].sort((a, b) => commonSegments(b.url, url) - commonSegments(a.url, url));
  for (const e of sorted) {
    const ref = openapiYaml.split('\n')[e.line + 1]?.replace(/^\s+\$ref:\s*/, '').trim();
    if (!ref) continue;
    const doc = parseYaml(readFileSync(SPEC(repo, ref), 'utf8')) as Record<string, { tags?: string[] }>;
    for (const op of Object.values(doc)) if (op && Array.isArray(op.tags) && op.tags[0]) return op.tags[0];
  }
  throw new ScaffoldError('no tag found near this path: pass --tag <an existing tag>');
}

export interface Written {
  files: string[];
  next: string[];
}

export async function scaffoldOperation(
  repo: string,
  methodArg: string,
  url: string,
  opts: { id?: string; tag?: string; scope?: string; documented?: boolean } = {},
): Promise<Written> {
  const method = methodArg.toLowerCase();
  if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) throw new ScaffoldError(`method "${methodArg}": use GET, POST, PUT, PATCH or DELETE`);
  if (!/^\/[A-Za-z0-9_\-/{}]+$/.test(url) || url.endsWith('/')) throw new ScaffoldError(`"${url}" is not a path like /partner/organizations/{organizationId}/usage`);
  const api = apiOf(url);
  const Api = API_TITLE[api];
  const id = opts.id ?? defaultOperationId(method, url);
  if (!/^[a-z][A-Za-z0-9]*$/.test(id)) throw new ScaffoldError(`operationId "${id}" is not camelCase`);
  const specYaml = await read(SPEC(repo, 'openapi.yaml'));
  const fileRel = `paths/${api}/${pathFileName(url)}`;
  const file = SPEC(repo, fileRel);
  const existing = existsSync(file) ? await read(file) : undefined;
  if (existing && new RegExp(`^${method}:`, 'm').test(existing)) throw new ScaffoldError(`${method.toUpperCase()} ${url} exists already in openapi/${fileRel}`);
  const allIds = [...(await readFile(path.join(repo, 'generated', 'operations.ts'), 'utf8').catch(() => '')).matchAll(/"?operationId"?: ['"]([^'"]+)['"]/g)].map((m) => m[1]);
  if (allIds.includes(id)) throw new ScaffoldError(`operationId "${id}" is taken: pass --id <another camelCase id>`);
  const tag = opts.tag ?? nearestTag(repo, url, specYaml);
  const scope = opts.scope ?? (method === 'get' ? 'read' : 'write');
  const params = [...url.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const written: string[] = [];
  const next: string[] = [];

  // Path parameters: the API's shared one when it exists, else inline.
  const paramYaml: string[] = [];
  const example: Record<string, unknown> = {};
  let constrained = false;
  for (const p of params) {
    const shared = sharedParameter(repo, api, p);
    if (shared) {
      paramYaml.push(`  - $ref: ../../components/parameters/${shared.file}`);
      example[p] = shared.example;
      constrained ||= shared.constrained;
    } else {
      paramYaml.push(`  - name: ${p}`, '    in: path', '    required: true', `    description: FILL IN what identifies the resource.`, '    schema:', '      type: string', '      minLength: 1', `    example: ${p}_example`);
      example[p] = `${p}_example`;
      constrained = true;
    }
  }

  // The response schema: one file, named after the operation.
  const noun = id.replace(/^[a-z]+/, '');
  const status = method === 'post' ? '201' : method === 'delete' ? '204' : '200';
  const responseName = `${noun}Response`;
  const hasBody = method !== 'get' && method !== 'delete';
  const requestName = `${noun}Request`;
  for (const name of hasBody ? [responseName, requestName] : status === '204' ? [] : [responseName]) {
    for (const folder of ['shared', 'partner', 'organization']) {
      if (existsSync(SPEC(repo, 'components', 'schemas', folder, `${name}.yaml`))) throw new ScaffoldError(`schema ${name} exists already (components/schemas/${folder}/): pass --id to name the operation differently`);
    }
  }
  const schemaFile = (name: string, what: string): string =>
    [`title: ${name}`, `description: FILL IN ${what}, in our own words.`, 'type: object', 'properties: {}', ''].join('\n');
  if (status !== '204') {
    await writeFile(SPEC(repo, 'components', 'schemas', api, `${responseName}.yaml`), schemaFile(responseName, `what ${method.toUpperCase()} ${url} returns`));
    written.push(`openapi/components/schemas/${api}/${responseName}.yaml`);
  }
  if (hasBody) {
    await writeFile(SPEC(repo, 'components', 'schemas', api, `${requestName}.yaml`), schemaFile(requestName, `what ${method.toUpperCase()} ${url} takes`));
    written.push(`openapi/components/schemas/${api}/${requestName}.yaml`);
  }

  // Provenance: a DECISIONS stub unless the docs give method, path and shapes.
  let decision: string | undefined;
  if (!opts.documented) {
    const decisionsFile = SPEC(repo, 'DECISIONS.md');
    const r = addDecisionStub(await read(decisionsFile), api, `${method.toUpperCase()} ${url} (${id})`, DECISION_BODY(`${method.toUpperCase()} ${url}`));
    await writeFile(decisionsFile, r.text);
    decision = r.id;
    written.push('openapi/DECISIONS.md');
  }

  const ref = (kind: string, name: string): string => `$ref: ../../components/${kind}/${name}.yaml`;
  const errors: [string, string][] = [];
  if (hasBody || constrained) errors.push(['400', `${Api}BadRequest`]);
  errors.push(['401', `${Api}Unauthorized`], ['403', `${Api}Forbidden`]);
  if (params.length) errors.push(['404', `${Api}NotFound`]);
  errors.push(['429', `${Api}TooManyRequests`], ['500', `${Api}InternalError`]);
  const op = [
    `${method}:`,
    `  operationId: ${id}`,
    '  tags:',
    `    - ${tag}`,
    `  summary: FILL IN a one-line summary`,
    '  description: |',
    `    FILL IN what the operation does, for whom and when, in our own words.`,
    `  x-provenance: ${opts.documented ? 'documented' : 'inferred'}`,
    ...(decision ? [`  x-provenance-decision: ${decision}`] : []),
    '  security:',
    `    - ${Api}ApiKey:`,
    `        - ${scope}`,
    ...(hasBody
      ? [
          '  requestBody:',
          '    required: true',
          '    content:',
          '      application/json:',
          '        schema:',
          `          ${ref(`schemas/${api}`, requestName)}`,
          '        examples:',
          '          example:',
          '            summary: FILL IN a realistic request',
          '            value: {}',
        ]
      : []),
    '  responses:',
    `    '${status}':`,
    `      description: FILL IN what a success means.`,
    '      headers:',
    ...['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'].flatMap((h) => [`        ${h}:`, `          ${ref('headers', h)}`]),
    ...(status === '204'
      ? []
      : [
          '      content:',
          '        application/json:',
          '          schema:',
          `            ${ref(`schemas/${api}`, responseName)}`,
          '          examples:',
          '            example:',
          '              summary: FILL IN a realistic response (ids as in the other examples)',
          '              value: {}',
        ]),
    ...errors.flatMap(([s, name]) => [`    '${s}':`, `      ${ref('responses', name)}`]),
    '',
  ];
  if (existing) {
    await writeFile(file, `${existing.trimEnd()}\n${op.join('\n')}`);
  } else {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${paramYaml.length ? `parameters:\n${paramYaml.join('\n')}\n` : ''}${op.join('\n')}`);
    await writeFile(SPEC(repo, 'openapi.yaml'), addIndexEntry(specYaml, url, fileRel));
    written.push('openapi/openapi.yaml');
  }
  written.push(`openapi/${fileRel}`);

  // The contract-test case, keyed by operationId.
  const casesFile = path.join(repo, 'test', 'contract', 'cases', `${api}.ts`);
  const cases = await read(casesFile);
  const literal = (v: unknown): string => `'${String(v).replace(/'/g, "\\'")}'`;
  const pathArg = params.length ? `params: { path: { ${params.map((p) => `${p}: ${literal(example[p])}`).join(', ')} } }` : '';
  const bodyArg = hasBody ? 'body: {}' : '';
  const args = [pathArg, bodyArg].filter(Boolean).join(', ');
  const call = `c.${method.toUpperCase()}('${url}'${args ? `, { ${args} }` : ''})`;
  const invalidPath = params.length && constrained ? `params: { path: { ${params.map((p, i) => `${p}: ${i === 0 ? "'not a valid id!'" : literal(example[p])}`).join(', ')} } }` : '';
  const caseLines = [`  ${id}: {`, `    call: (c) => ${call},`];
  if (invalidPath) caseLines.push(`    invalid: (c) => c.${method.toUpperCase()}('${url}', { ${[invalidPath, bodyArg].filter(Boolean).join(', ')} }),`);
  else if (hasBody) caseLines.push(`    // FILL IN a body the spec refuses (a missing required field, a wrong type).`, `    invalid: (c) => c.${method.toUpperCase()}('${url}', { ${[pathArg, 'body: { unexpected: true } as never'].filter(Boolean).join(', ')} }),`);
  caseLines.push('  },');
  const end = cases.lastIndexOf('\n};');
  if (end === -1) throw new ScaffoldError(`cannot find the end of the cases object in ${path.relative(repo, casesFile)}`);
  await writeFile(casesFile, `${cases.slice(0, end)}\n${caseLines.join('\n')}${cases.slice(end)}`);
  written.push(path.relative(repo, casesFile));

  next.push(
    'Replace every FILL IN with the facts of the docs (summary, description, schemas, examples).',
    decision ? `Write ${decision} in openapi/DECISIONS.md, or, if the docs give method, path and shapes, set \`x-provenance: documented\` and delete the stub.` : '',
    'npm run generate, then npm run change -- -m "<what integrators gain>" (proposes contract: minor).',
  );
  return { files: written, next: next.filter(Boolean) };
}

/** Finds `components/schemas/*\/<Name>.yaml`. */
function schemaPath(repo: string, name: string): string {
  for (const folder of ['shared', 'partner', 'organization']) {
    const f = SPEC(repo, 'components', 'schemas', folder, `${name}.yaml`);
    if (existsSync(f)) return f;
  }
  throw new ScaffoldError(`no schema ${name} in openapi/components/schemas/{shared,partner,organization}/`);
}

/** Inserts a property as the first entry of a schema file's top-level `properties:`. */
export function insertProperty(schemaYaml: string, property: string, body: string[]): string {
  const doc = parseYaml(schemaYaml) as { properties?: Record<string, unknown> } | null;
  if (doc?.properties && property in doc.properties) throw new ScaffoldError(`property ${property} exists already`);
  const lines = schemaYaml.split('\n');
  const i = lines.findIndex((l) => /^properties:/.test(l));
  const entry = [`  ${property}:`, ...body.map((b) => `    ${b}`)];
  if (i === -1) return `${schemaYaml.trimEnd()}\nproperties:\n${entry.join('\n')}\n`;
  if (/^properties:\s*\{\}\s*$/.test(lines[i]!)) lines.splice(i, 1, 'properties:', ...entry);
  else lines.splice(i + 1, 0, ...entry);
  return lines.join('\n');
}

function apiOfSchemaFile(file: string): Api | 'shared' {
  return file.includes(`${path.sep}partner${path.sep}`) ? 'partner' : file.includes(`${path.sep}organization${path.sep}`) ? 'organization' : 'shared';
}

export async function scaffoldField(
  repo: string,
  target: string,
  type: string,
  opts: { docs?: string; designed?: boolean; ref?: string } = {},
): Promise<Written> {
  const m = /^([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(target);
  if (!m) throw new ScaffoldError(`"${target}" is not <Schema>.<property>, e.g. PartnerOrganization.usageCount`);
  const [, schema, property] = m as unknown as [string, string, string];
  if (!opts.ref && !['string', 'integer', 'number', 'boolean'].includes(type)) throw new ScaffoldError(`type "${type}": use string, integer, number or boolean (or npm run new -- schema for an object)`);
  if (!opts.docs === !opts.designed) throw new ScaffoldError('say where the field comes from: --docs <page of the public docs that shows it>, or --designed (a DECISIONS entry is written)');
  const file = schemaPath(repo, schema);
  const written: string[] = [];
  let source = `x-docs-page: ${opts.docs}`;
  if (opts.designed) {
    const decisionsFile = SPEC(repo, 'DECISIONS.md');
    const r = addDecisionStub(await read(decisionsFile), apiOfSchemaFile(file), `\`${schema}.${property}\` (designed field)`, DECISION_BODY(`\`${property}\``));
    await writeFile(decisionsFile, r.text);
    written.push('openapi/DECISIONS.md');
    source = `x-provenance-decision: ${r.id}`;
  }
  const body = opts.ref ? [`$ref: ${opts.ref}`, source] : [`type: ${type}`, `description: FILL IN what ${property} means, in our own words.`, source];
  await writeFile(file, insertProperty(await read(file), property, body));
  written.push(path.relative(repo, file));
  return {
    files: written,
    next: [
      'Replace FILL IN with the facts; the field is optional (the tolerant-reader rule, D10): make it required only where a docs page shows it always present, and then add it to test/spec/fixtures/gap-rule.yaml with that page.',
      opts.designed ? 'Write the DECISIONS entry the stub opens.' : '',
      'npm run generate, then npm run change -- -m "<what integrators gain>".',
    ].filter(Boolean),
  };
}

export async function scaffoldSchema(repo: string, name: string, opts: { api?: Api | 'shared'; in?: string; docs?: string; designed?: boolean } = {}): Promise<Written> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new ScaffoldError(`schema name "${name}" must be PascalCase`);
  for (const folder of ['shared', 'partner', 'organization']) {
    if (existsSync(SPEC(repo, 'components', 'schemas', folder, `${name}.yaml`))) throw new ScaffoldError(`schema ${name} exists already (components/schemas/${folder}/): names are unique across the three folders`);
  }
  const parentFile = opts.in ? schemaPath(repo, opts.in.split('.')[0]!) : undefined;
  const api = opts.api ?? (parentFile ? apiOfSchemaFile(parentFile) : name.startsWith('Partner') ? 'partner' : 'organization');
  const file = SPEC(repo, 'components', 'schemas', api, `${name}.yaml`);
  const written: string[] = [];
  const next: string[] = [];
  // The referencing property first: it checks its arguments before anything is written.
  if (opts.in && parentFile) {
    const rel = path.relative(path.dirname(parentFile), file).split(path.sep).join('/');
    const r = await scaffoldField(repo, opts.in, 'object', { ref: rel, docs: opts.docs, designed: opts.designed || !opts.docs });
    written.push(...r.files);
    next.push(...r.next);
  } else {
    next.push(`Reference it with \`$ref\` where it is used: until then \`npm run lint\` reports it as an orphan (spec-files/orphan).`);
  }
  await writeFile(file, [`title: ${name}`, 'description: FILL IN what this object is, in our own words.', 'type: object', 'properties: {}', ''].join('\n'));
  written.unshift(path.relative(repo, file));
  return { files: written, next };
}

const USAGE = `usage:
  npm run new -- operation <METHOD> <URL> [--id <operationId>] [--tag <tag>] [--scope <scope>] [--documented]
  npm run new -- schema <Name> [--in <Schema>.<property>] [--api partner|organization|shared] [--docs <page> | --designed]
  npm run new -- field <Schema>.<property> <string|integer|number|boolean> (--docs <page> | --designed)`;

async function cli(argv: string[]): Promise<number> {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const key = a.slice(2);
      if (['documented', 'designed', 'help'].includes(key)) flags[key] = true;
      else {
        const v = argv[++i];
        if (v === undefined) {
          console.error(`✖ ${a} needs a value\n${USAGE}`);
          return 2;
        }
        flags[key] = v;
      }
    } else positional.push(a);
  }
  const str = (k: string): string | undefined => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  try {
    const [what, ...rest] = positional;
    let r: Written;
    if (what === 'operation' && rest.length === 2) r = await scaffoldOperation(root, rest[0]!, rest[1]!, { id: str('id'), tag: str('tag'), scope: str('scope'), documented: flags.documented === true });
    else if (what === 'schema' && rest.length === 1)
      r = await scaffoldSchema(root, rest[0]!, { api: str('api') as Api | undefined, in: str('in'), docs: str('docs'), designed: flags.designed === true });
    else if (what === 'field' && rest.length === 2) r = await scaffoldField(root, rest[0]!, rest[1]!, { docs: str('docs'), designed: flags.designed === true });
    else {
      console.error(USAGE);
      return flags.help ? 0 : 2;
    }
    console.log(`✔ wrote:\n${r.files.map((f) => `  ${f}`).join('\n')}\nnext:\n${r.next.map((n) => `  - ${n}`).join('\n')}`);
    return 0;
  } catch (err) {
    if (err instanceof ScaffoldError) {
      console.error(`✖ ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1]?.endsWith('new.ts')) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(`✖ ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
