// Property: for every operation that takes a JSON body, the mock accepts any body generated from the
// request schema, and rejects (400 or 422) a valid body broken in exactly one place: a required field
// removed, a value of the wrong JSON type, or a value outside its enum.
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { createValidator, deref, escapePointer, loadSpec, operations, type Json, type JsonObject, type Operation } from '../support/spec.js';
import { arbitraryFor, mutationsOf, resolve, typesOf, wrongTypeValue, type MutationKind, type SchemaContext } from './schema-arbitrary.js';

const PARTNER_KEY = 'pk_live_property0test0key000000000000';
const ORGANIZATION_KEY = 'bsk_live_0123456789abcdef0123456789abcdef';
const VALID_RUNS = 25;
const MUTATION_RUNS = 15;

const doc = loadSpec();
const validator = createValidator(doc);
const ctx: SchemaContext = { doc, validate: (p, v) => validator.validate(p, v) };
const bodyOps = operations(doc).filter((o) => o.hasRequestBody);

const isObj = (x: Json | undefined): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Pointer of the JSON request-body schema of an operation. */
function bodySchemaPointer(op: Operation): string {
  const { node, pointer } = deref(doc, op.op.requestBody as Json, `${op.pointer}/requestBody`);
  const content = (isObj(node) && isObj(node.content) ? node.content : {}) as JsonObject;
  const media = Object.keys(content).find((m) => m === 'application/json' || /\+json$/.test(m));
  if (!media) throw new Error(`${op.operationId}: no JSON request body (media types: ${Object.keys(content).join(', ')})`);
  return `${pointer}/content/${escapePointer(media)}/schema`;
}

/** A documented value for a parameter: its example, else its schema's, else one generated from its schema. */
function parameterValue(param: JsonObject, pointer: string): Json {
  if (param.example !== undefined) return param.example;
  if (isObj(param.examples)) {
    const first = Object.values(param.examples)[0];
    if (first !== undefined) {
      const ex = deref(doc, first, '').node;
      if (isObj(ex) && ex.value !== undefined) return ex.value;
    }
  }
  const schema = deref(doc, (param.schema ?? {}) as Json, `${pointer}/schema`).node;
  if (isObj(schema)) {
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0]!;
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
  }
  return fc.sample(arbitraryFor(ctx, (param.schema ?? {}) as Json, `${pointer}/schema`), { numRuns: 1, seed: 1 })[0] as Json;
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

function targetFor(base: string, op: Operation): Target {
  const pathItemPtr = `#/paths/${escapePointer(op.path)}`;
  const item = deref(doc, ((doc.paths ?? {}) as JsonObject)[op.path] ?? {}, pathItemPtr).node as JsonObject;
  const raw = [
    ...((item.parameters ?? []) as Json[]).map((p, i) => ({ p, ptr: `${pathItemPtr}/parameters/${i}` })),
    ...((op.op.parameters ?? []) as Json[]).map((p, i) => ({ p, ptr: `${op.pointer}/parameters/${i}` })),
  ];
  let urlPath = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(op.api === 'partner' ? { 'X-Partner-API-Key': PARTNER_KEY } : { 'X-API-Key': ORGANIZATION_KEY }),
  };
  for (const { p, ptr } of raw) {
    const { node, pointer } = deref(doc, p, ptr);
    const param = node as JsonObject;
    if (param.in !== 'path' && param.required !== true) continue;
    const value = parameterValue(param, pointer);
    const name = String(param.name);
    if (param.in === 'path') urlPath = urlPath.replace(`{${name}}`, encodeURIComponent(String(value)));
    else if (param.in === 'query') for (const v of Array.isArray(value) ? value : [value]) query.append(name, String(v));
    else if (param.in === 'header') headers[name] = String(value);
  }
  const qs = query.toString();
  return { url: `${base}${urlPath}${qs ? `?${qs}` : ''}`, headers };
}

/** Request-side problems Prism reports in its `sl-violations` header. */
function requestViolations(res: Response): string[] {
  const header = res.headers.get('sl-violations');
  if (!header) return [];
  const list = JSON.parse(header) as { location?: string[]; message?: string }[];
  return list.filter((v) => v.location?.[0] === 'request').map((v) => `${(v.location ?? []).join('.')}: ${v.message ?? ''}`);
}

async function send(target: Target, method: string, body: unknown): Promise<{ status: number; violations: string[] }> {
  const res = await fetch(target.url, { method: method.toUpperCase(), headers: target.headers, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return { status: res.status, violations: requestViolations(res) };
}

/** The mutation kinds a schema makes possible anywhere outside combinators (optional fields included). */
function possibleKinds(schema: Json, pointer: string): Set<MutationKind> {
  const kinds = new Set<MutationKind>();
  const seen = new Set<string>();
  const walk = (sch: Json, ptr: string): void => {
    const { s: node, ptr: here } = resolve(ctx, sch, ptr);
    if (typeof node === 'boolean' || seen.has(here)) return;
    seen.add(here);
    if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf) || Array.isArray(node.allOf)) return;
    const types = typesOf(node);
    if (types && wrongTypeValue(types) !== undefined) kinds.add('wrong-type');
    if (Array.isArray(node.enum) || 'const' in node) kinds.add('outside-enum');
    if (Array.isArray(node.required) && node.required.length > 0) kinds.add('missing-required');
    for (const [name, sub] of Object.entries(isObj(node.properties) ? node.properties : {})) walk(sub, `${here}/properties/${escapePointer(name)}`);
    if (node.items !== undefined) walk(node.items, `${here}/items`);
  };
  walk(schema, pointer);
  return kinds;
}

describe('request bodies against the mock', () => {
  it('the spec has operations with a request body to test', () => {
    expect(bodyOps.length).toBeGreaterThan(0);
  });

  describe.each(bodyOps.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
    const pointer = bodySchemaPointer(op);
    const schema = { $ref: pointer } as Json;
    const bodies = arbitraryFor(ctx, schema, pointer);
    const declared = Object.keys((op.op.responses ?? {}) as JsonObject).map(Number).filter((c) => c >= 200 && c < 300);

    it('accepts every body generated from the request schema', async () => {
      const target = targetFor(inject('mockUrl'), op);
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          // The generator itself must only produce schema-valid bodies.
          expect(validator.validate(pointer, body)).toEqual([]);
          const res = await send(target, op.method, body);
          expect(res.violations).toEqual([]);
          expect(declared).toContain(res.status);
        }),
        { numRuns: VALID_RUNS },
      );
    });

    const kinds = [...possibleKinds(schema, pointer)].sort();
    it('the request schema can be broken in at least one way', () => {
      expect(kinds.length).toBeGreaterThan(0);
    });

    it.each(kinds)('rejects a body with one %s mutation (400 or 422)', async (kind) => {
      const target = targetFor(inject('mockUrl'), op);
      const cases = bodies
        .map((body) => ({ body, mutations: mutationsOf(ctx, schema, pointer, body).filter((m) => m.kind === kind) }))
        .filter((c) => c.mutations.length > 0)
        .chain(({ body, mutations }) => fc.constantFrom(...mutations).map((m) => ({ body, m })));
      await fc.assert(
        fc.asyncProperty(cases, async ({ body, m }) => {
          const broken = m.apply(body);
          expect(validator.validate(pointer, broken), `${kind} at ${m.at} must break the schema`).not.toEqual([]);
          const res = await send(target, op.method, broken);
          expect([400, 422], `${kind} at ${m.at}`).toContain(res.status);
        }),
        { numRuns: MUTATION_RUNS },
      );
    });
  });
});
