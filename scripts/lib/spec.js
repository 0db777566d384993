// Facts about an OpenAPI document that scripts/, test/ and bench/ all need, in one place.
// Plain JavaScript (typed by spec.d.ts beside it) because the Redocly plugins import it too, and
// Redocly loads plugins with a bare `import()`, without tsx.

/** The operation fields of a Path Item, in the order the OpenAPI specification lists them. */
export const HTTP_METHODS = Object.freeze(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Production base URL of both APIs: `servers[0].url` of openapi/openapi.yaml and the SDK's
 * `DEFAULT_BASE_URL` (a test keeps the three equal; the SDK cannot import from scripts/).
 */
export const PRODUCTION_BASE_URL = 'https://api.app.bullseye.so/api/v1';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Escapes one key for use as a JSON-pointer segment (RFC 6901). */
export const escapePointer = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The value at a local JSON pointer (`#/a/b`), or `undefined` when it does not resolve. */
export function resolvePointer(doc, pointer) {
  if (typeof pointer !== 'string' || !pointer.startsWith('#')) return undefined;
  let cur = doc;
  for (const raw of pointer.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(key)] : cur[key];
    if (cur === undefined) return undefined;
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
 * esbuild options for bundling the SDK as a typical browser consumer does (minified, tree-shaken,
 * ES2022 modules). Callers add their entry point and output settings.
 */
export const CONSUMER_BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  minify: true,
  treeShaking: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
});
