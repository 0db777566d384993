// Finds every example in the bundled spec together with the schema it must satisfy.
import { deref, escapePointer, type Json, type JsonObject } from './spec.js';

export interface FoundExample {
  /** Where the example sits, for messages. */
  where: string;
  /** Pointer of the schema the example must validate against. */
  schemaPointer: string;
  value: unknown;
}

export function collectExamples(doc: JsonObject): FoundExample[] {
  const found: FoundExample[] = [];
  const seen = new Set<string>();

  const fromExamples = (holder: JsonObject, holderPtr: string, schemaPtr: string): void => {
    if ('example' in holder) found.push({ where: `${holderPtr}/example`, schemaPointer: schemaPtr, value: holder.example });
    const examples = holder.examples as JsonObject | undefined;
    if (examples && typeof examples === 'object' && !Array.isArray(examples)) {
      for (const [name, ex] of Object.entries(examples)) {
        const { node, pointer } = deref(doc, ex, `${holderPtr}/examples/${escapePointer(name)}`);
        const value = (node as JsonObject).value;
        if (value !== undefined) found.push({ where: pointer, schemaPointer: schemaPtr, value });
      }
    }
  };

  // Media types, parameters and headers anywhere in the document (paths, webhooks, components).
  const walk = (node: Json, ptr: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${ptr}/${i}`));
      return;
    }
    if (typeof node.$ref === 'string') {
      const target = deref(doc, node, ptr);
      if (seen.has(target.pointer)) return;
      seen.add(target.pointer);
      walk(target.node, target.pointer);
      return;
    }
    const isMediaOrParam =
      'schema' in node && ('examples' in node || 'example' in node) && !('type' in node && typeof node.type === 'string');
    if (isMediaOrParam) fromExamples(node, ptr, `${ptr}/schema`);
    // Schema-level `examples: [...]` arrays.
    if (Array.isArray(node.examples) && ('type' in node || 'properties' in node || 'enum' in node || '$ref' in node)) {
      node.examples.forEach((v, i) => found.push({ where: `${ptr}/examples/${i}`, schemaPointer: ptr, value: v }));
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'examples' || k === 'example') continue;
      walk(v, `${ptr}/${escapePointer(k)}`);
    }
  };
  walk(doc, '#');
  // Components are reached both through $refs and by walking #/components: report each once.
  const unique = new Map(found.map((f) => [f.where, f]));
  return [...unique.values()];
}
