// Makes a synthetic spec with k times our operations from the bundled one: every path (with its
// operations) is copied k-1 times under a `/copyN` suffix, with suffixed operationIds and its own
// copies of the component schemas it uses, so types and validation grow with the operation count.
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const SCHEMA_REF = /^#\/components\/schemas\/([^/]+)$/;

function rewrite(node: Json, suffix: string, schemaNames: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, suffix, schemaNames));
  if (node === null || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      const m = SCHEMA_REF.exec(v);
      out[k] = m && schemaNames.has(m[1]!) ? `#/components/schemas/${m[1]}${suffix}` : v;
    } else if (k === 'operationId' && typeof v === 'string') out[k] = `${v}${suffix}`;
    else out[k] = rewrite(v, suffix, schemaNames);
  }
  return out;
}

export function countOperations(doc: Obj): number {
  let n = 0;
  for (const item of Object.values((doc.paths ?? {}) as Obj)) {
    for (const m of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']) if ((item as Obj)[m]) n++;
  }
  return n;
}

export function syntheticSpec(doc: Obj, factor: number): Obj {
  const copy = structuredClone(doc);
  const paths = copy.paths as Obj;
  const components = (copy.components ?? {}) as Obj;
  const schemas = (components.schemas ?? {}) as Obj;
  const names = new Set(Object.keys(schemas));
  const originalPaths = Object.entries(doc.paths as Obj);
  const originalSchemas = Object.entries(schemas);
  for (let c = 2; c <= factor; c++) {
    const suffix = `Copy${c}`;
    for (const [p, item] of originalPaths) paths[`${p}/copy${c}`] = rewrite(item, suffix, names);
    for (const [name, schema] of originalSchemas) {
      const s = rewrite(schema, suffix, names);
      if (s && typeof s === 'object' && !Array.isArray(s) && typeof s.title === 'string') s.title = `${s.title}${suffix}`;
      schemas[`${name}${suffix}`] = s;
    }
  }
  return copy;
}
