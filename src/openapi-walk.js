// Walking an OpenAPI document (the bundle, where every `$ref` is local): JSON pointers, `$ref`s,
// the operations and their scopes, and the example a node declares. One implementation for the
// shipped code (src/openapi-document.ts: the CLI, the MCP server, the testing kit) and the tools
// (scripts/lib/spec.js re-exports it for the Redocly plugins, the generator, verify and the tests).
// Plain JavaScript with its types in openapi-walk.d.ts, because Redocly loads plugins with a bare
// `import()`, without tsx; no Node API, so it runs anywhere.

/** The operation fields of a Path Item, in the order the OpenAPI specification lists them. */
export const HTTP_METHODS = Object.freeze(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Escapes one key for use as a JSON-pointer segment (RFC 6901). */
export const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The value at a local JSON pointer (`#/a/b`), or `undefined` when it does not resolve. */
export function resolvePointer(doc, pointer) {
  if (typeof pointer !== 'string' || !pointer.startsWith('#')) return undefined;
  let cur = doc;
  for (const raw of pointer.slice(1).split('/').filter(Boolean)) {
    let key;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, Array.isArray(cur) ? Number(key) : key)) return undefined;
    cur = Array.isArray(cur) ? cur[Number(key)] : cur[key];
  }
  return cur;
}

/**
 * Follows local `$ref`s (after bundling every ref is `#/...`) and returns the target with its
 * pointer; `node` is `undefined` when a ref is not local or does not resolve. Chains stop after 20
 * hops, so a ref cycle cannot hang the caller.
 */
export function deref(doc, node, pointer = '') {
  let cur = node;
  let ptr = pointer;
  for (let i = 0; i < 20 && isObject(cur) && typeof cur.$ref === 'string'; i++) {
    ptr = cur.$ref;
    cur = resolvePointer(doc, ptr);
  }
  return { node: cur, pointer: ptr };
}

/**
 * The scopes an operation requires: the role lists of its security requirements (or the document's
 * when it declares none), each scope once, in order of appearance.
 */
export function operationScopes(doc, operation) {
  const requirements = Array.isArray(operation?.security) ? operation.security : Array.isArray(doc?.security) ? doc.security : [];
  const scopes = requirements.flatMap((req) => (isObject(req) ? Object.values(req).flat() : []));
  return [...new Set(scopes.filter((s) => typeof s === 'string'))];
}

/** Every operation of the document's paths (webhooks are not operations), path items dereferenced. */
export function listOperations(doc) {
  const out = [];
  for (const [path, rawItem] of Object.entries(isObject(doc?.paths) ? doc.paths : {})) {
    const pathPointer = `#/paths/${escapePointer(path)}`;
    const item = deref(doc, rawItem, pathPointer).node;
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isObject(operation)) out.push({ path, method, operation, pathItem: item, pointer: `${pathPointer}/${method}` });
    }
  }
  return out;
}

/**
 * The example a node declares, as `{ value }`, or `undefined` when it declares none. The node is a
 * media type, a parameter, a header or a schema (refs followed): its `example`, else the first of
 * its named `examples` that has a `value`, else the first of a schema's `examples` list, else a
 * schema's `default`, `const` or first `enum` value; then the same of its `schema`, and for an
 * array schema a one-item array of its items' example. `{ value: undefined }` never comes back.
 */
export function exampleOf(doc, node, depth = 0) {
  const n = deref(doc, node).node;
  if (!isObject(n) || depth > 6) return undefined;
  if (n.example !== undefined) return { value: n.example };
  if (isObject(n.examples)) {
    for (const ex of Object.values(n.examples)) {
      const e = deref(doc, ex).node;
      if (isObject(e) && e.value !== undefined) return { value: e.value };
    }
  }
  if (Array.isArray(n.examples) && n.examples.length && n.examples[0] !== undefined) return { value: n.examples[0] };
  if (n.default !== undefined) return { value: n.default };
  if (n.const !== undefined) return { value: n.const };
  if (Array.isArray(n.enum) && n.enum.length) return { value: n.enum[0] };
  if (n.schema !== undefined) return exampleOf(doc, n.schema, depth + 1);
  if (n.type === 'array' && n.items !== undefined) {
    const item = exampleOf(doc, n.items, depth + 1);
    return item ? { value: [item.value] } : undefined;
  }
  return undefined;
}
