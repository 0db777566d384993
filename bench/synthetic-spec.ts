// Makes a synthetic spec with k times our operations from the bundled one: every path (with its
// operations) is copied k-1 times under a `/copyN` segment (after `/partner` for Partner paths), with suffixed operationIds and its own
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

/** Names of the component schemas reachable from the paths (a copy of any other would be unused). */
function schemasUsedByPaths(doc: Obj): Set<string> {
  const schemas = ((doc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const used = new Set<string>();
  const visit = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const m = k === '$ref' && typeof v === 'string' ? SCHEMA_REF.exec(v) : null;
      if (m && !used.has(m[1]!)) {
        used.add(m[1]!);
        visit(schemas[m[1]!] ?? null);
      } else visit(v);
    }
  };
  // Only what the paths reference themselves: shared responses, parameters and headers are not
  // copied, so a schema reached only through them keeps serving the copies as it is (a copy of it
  // would be unused, which openapi-typescript refuses).
  visit(doc.paths ?? null);
  return used;
}

export function syntheticSpec(doc: Obj, factor: number): Obj {
  const copy = structuredClone(doc);
  const paths = copy.paths as Obj;
  const components = (copy.components ?? {}) as Obj;
  const schemas = (components.schemas ?? {}) as Obj;
  const names = schemasUsedByPaths(doc);
  // The Error envelope stays one shared schema, as our lint rules require of every error body.
  names.delete('Error');
  const originalPaths = Object.entries(doc.paths as Obj);
  const originalSchemas = Object.entries(schemas).filter(([name]) => names.has(name));
  for (let c = 2; c <= factor; c++) {
    const suffix = `Copy${c}`;
    // A copy stays in its API: our lint rules tell the Partner API by the `/partner/` prefix.
    for (const [p, item] of originalPaths) {
      const copyPath = p.startsWith('/partner/') ? `/partner/copy${c}${p.slice('/partner'.length)}` : `/copy${c}${p}`;
      paths[copyPath] = rewrite(item, suffix, names);
    }
    for (const [name, schema] of originalSchemas) {
      const s = rewrite(schema, suffix, names);
      if (s && typeof s === 'object' && !Array.isArray(s) && typeof s.title === 'string') s.title = `${s.title}${suffix}`;
      schemas[`${name}${suffix}`] = s;
    }
  }
  return copy;
}
