// Redocly plugin: the decorator `bullseye/code-samples` adds `x-codeSamples` (curl and TypeScript
// with our SDK) to every operation while the spec is bundled. Samples are computed from the
// operation's own examples, so they change whenever the spec does and never drift from it.
//
// Plain JavaScript on purpose: Redocly loads plugins with a bare `import()`, without tsx.
import { readFileSync } from 'node:fs';
import { deref as derefWithPointer, exampleOf, isObject, listOperations } from '../lib/spec.js';

function packageName() {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg.name === 'string' ? pkg.name : '@bullseye/api';
  } catch {
    return '@bullseye/api';
  }
}

/** Follows local `$ref`s (after bundling every ref is `#/...`); `undefined` when one does not resolve. */
const deref = (root, node) => derefWithPointer(root, node).node;

/** A value that fits a schema, for parameters or bodies that carry no example. */
function valueFromSchema(root, rawSchema, depth = 0) {
  const schema = deref(root, rawSchema);
  if (!isObject(schema) || depth > 6) return 'string';
  const declared = exampleOf(root, schema);
  if (declared) return declared.value;
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    if (Array.isArray(schema[key]) && schema[key].length) {
      if (key !== 'allOf') return valueFromSchema(root, schema[key][0], depth + 1);
      return Object.assign({}, ...schema.allOf.map((s) => valueFromSchema(root, s, depth + 1)));
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [valueFromSchema(root, schema.items, depth + 1)];
    case 'object': {
      const out = {};
      for (const name of Array.isArray(schema.required) ? schema.required : []) {
        out[name] = valueFromSchema(root, schema.properties?.[name], depth + 1);
      }
      return out;
    }
    default:
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return '2025-01-01T00:00:00Z';
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'uri') return 'https://example.com';
      if (schema.format === 'email') return 'user@example.com';
      return 'string';
  }
}

/** The example a parameter declares (the shared picker), else a value made from its schema. */
function parameterValue(root, param) {
  const declared = exampleOf(root, param);
  return declared ? declared.value : valueFromSchema(root, param.schema);
}

function bodyExample(root, operation) {
  const body = deref(root, operation.requestBody);
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const mediaType = Object.keys(body.content).find((m) => /json/i.test(m)) ?? Object.keys(body.content)[0];
  if (!mediaType) return undefined;
  const media = body.content[mediaType];
  const declared = exampleOf(root, media);
  const value = declared ? declared.value : valueFromSchema(root, media.schema);
  return { mediaType, value };
}

/** How openapi-fetch should read the success body: JSON unless the spec documents another type. */
function parseAsOf(root, operation) {
  const code = Object.keys(operation.responses ?? {})
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  const response = code ? deref(root, operation.responses[code]) : undefined;
  const types = isObject(response?.content) ? Object.keys(response.content) : [];
  if (types.length === 0 || types.some((t) => /json/i.test(t))) return undefined;
  return types.some((t) => /^text\/|xml|csv|yaml/i.test(t)) ? 'text' : 'blob';
}

/**
 * How the operation's API authenticates and which SDK factory serves it, from the `x-api` facts of
 * its security scheme (the source of generated/apis.ts, which is written from this very bundle):
 * the key header, the environment variable and `create<Id>Client`. `undefined` when the operation's
 * scheme declares no API.
 */
function apiOf(root, operation) {
  const requirements = operation.security ?? root.security ?? [];
  for (const requirement of requirements) {
    for (const schemeName of Object.keys(requirement ?? {})) {
      const scheme = deref(root, root.components?.securitySchemes?.[schemeName]);
      const facts = isObject(scheme) ? scheme['x-api'] : undefined;
      if (scheme?.type === 'apiKey' && scheme.in === 'header' && isObject(facts) && typeof facts.id === 'string' && typeof facts.envVar === 'string') {
        return { header: scheme.name, env: facts.envVar, factory: `create${facts.id[0].toUpperCase()}${facts.id.slice(1)}Client` };
      }
    }
  }
  return undefined;
}

/** Single-quoted shell word. */
const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const tsString = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** A TypeScript literal of a JSON value, in the style a person would type it. */
function tsLiteral(value, indent = '') {
  const inner = `${indent}  `;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return tsString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = value.every((v) => v === null || typeof v !== 'object');
    const items = value.map((v) => tsLiteral(v, inner));
    if (flat && items.join(', ').length < 60) return `[${items.join(', ')}]`;
    return `[\n${items.map((v) => `${inner}${v},`).join('\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${IDENT.test(k) ? k : tsString(k)}: ${tsLiteral(v, inner)},`);
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return 'undefined';
}

function queryString(query) {
  const parts = [];
  for (const [name, value] of query) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const text = isObject(v) ? JSON.stringify(v) : String(v);
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Builds the samples of one operation (`undefined` when its security scheme names no API). Exported
 * for the docs tooling; the decorator below is the only writer of `x-codeSamples`.
 */
export function buildSamples(root, path, method, operation, pathItem = {}) {
  // The production server is the first (D13); a document without servers gets relative samples.
  const baseUrl = (Array.isArray(root.servers) && root.servers[0]?.url) || '';
  const api = apiOf(root, operation);
  if (!api) return undefined;
  const byKey = new Map();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const p = deref(root, raw);
    if (isObject(p)) byKey.set(`${p.in}:${p.name}`, p);
  }
  const params = [...byKey.values()];
  const pathParams = params.filter((p) => p.in === 'path').map((p) => [p.name, parameterValue(root, p)]);
  const query = params.filter((p) => p.in === 'query' && p.required === true).map((p) => [p.name, parameterValue(root, p)]);
  const headers = params
    .filter((p) => p.in === 'header' && p.required === true && p.name.toLowerCase() !== api.header.toLowerCase())
    .map((p) => [p.name, parameterValue(root, p)]);
  const body = operation.requestBody !== undefined ? bodyExample(root, operation) : undefined;

  const concretePath = path.replace(/\{([^}]+)\}/g, (whole, name) => {
    const found = pathParams.find(([n]) => n === name);
    return found ? encodeURIComponent(String(found[1])) : whole;
  });
  const url = `${baseUrl}${concretePath}${queryString(query)}`;

  // curl
  const curl = [`curl --request ${method.toUpperCase()} ${shellQuote(url)}`];
  curl.push(`--header "${api.header}: $${api.env}"`);
  for (const [name, value] of headers) curl.push(`--header ${shellQuote(`${name}: ${value}`)}`);
  if (body) {
    curl.push(`--header ${shellQuote(`Content-Type: ${body.mediaType}`)}`);
    const text = typeof body.value === 'string' ? body.value : JSON.stringify(body.value, null, 2);
    curl.push(`--data ${shellQuote(text)}`);
  }
  const curlSource = curl.join(' \\\n  ');

  // TypeScript with the SDK
  const init = [];
  const paramParts = [];
  if (pathParams.length) paramParts.push(`path: ${tsLiteral(Object.fromEntries(pathParams), '    ')}`);
  if (query.length) paramParts.push(`query: ${tsLiteral(Object.fromEntries(query), '    ')}`);
  if (headers.length) paramParts.push(`header: ${tsLiteral(Object.fromEntries(headers), '    ')}`);
  if (paramParts.length) init.push(`  params: {\n${paramParts.map((p) => `    ${p},`).join('\n')}\n  },`);
  if (body) init.push(`  body: ${tsLiteral(body.value, '  ')},`);
  const parseAs = parseAsOf(root, operation);
  if (parseAs) init.push(`  parseAs: '${parseAs}',`);
  const call = `client.${method.toUpperCase()}(${tsString(path)}${init.length ? `, {\n${init.join('\n')}\n}` : ''})`;
  const tsSource = [
    `import { ${api.factory} } from '${packageName()}';`,
    '',
    `const client = ${api.factory}({`,
    `  apiKey: process.env.${api.env}!,`,
    `  baseUrl: ${tsString(baseUrl)},`,
    '});',
    '',
    `const { data, error, response } = await ${call};`,
    'if (error) throw new Error(`HTTP ${response.status}: ${JSON.stringify(error)}`);',
    'console.log(response.status, data);',
    '',
  ].join('\n');

  return [
    { lang: 'curl', label: 'curl', source: curlSource },
    { lang: 'TypeScript', label: 'TypeScript', source: tsSource },
  ];
}

/** Decorator: runs once the whole document is walked, when every `$ref` is local. */
function CodeSamples() {
  return {
    Root: {
      leave(root) {
        for (const { path, method, operation, pathItem } of listOperations(root)) {
          const samples = buildSamples(root, path, method, operation, pathItem);
          if (samples) operation['x-codeSamples'] = samples;
        }
      },
    },
  };
}

export default function codeSamplesPlugin() {
  return {
    id: 'bullseye',
    decorators: {
      oas3: { 'code-samples': CodeSamples },
    },
  };
}
