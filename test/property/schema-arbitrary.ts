// Turns the JSON Schemas of the bundled spec into fast-check arbitraries (valid values), and lists the
// ways a valid value can be broken in exactly one place (for the "mutated body is rejected" property).
// Only the keywords our spec uses are supported; an unknown keyword that constrains values throws,
// so a spec change that outgrows this converter fails loudly instead of generating wrong data.
import fc from 'fast-check';
import { deref, escapePointer, type Json, type JsonObject } from '../support/spec.js';

export interface SchemaContext {
  doc: JsonObject;
  /** Ajv errors of `value` against the schema at `pointer` (empty when valid). */
  validate(pointer: string, value: unknown): string[];
}

const SUPPORTED = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems',
  'uniqueItems', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern',
  'format', 'oneOf', 'anyOf', 'allOf', 'title', 'description', 'examples', 'example', 'default', 'deprecated',
  'readOnly', 'writeOnly', 'nullable', 'propertyNames', 'minProperties', 'maxProperties', 'multipleOf',
  '$comment', 'externalDocs', 'discriminator', 'xml', 'not',
]);

const MAX_DEPTH = 6;

const isObj = (x: Json | undefined): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

const ANNOTATIONS = new Set(['title', 'description', 'examples', 'example', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

/**
 * Follows `$ref`s, and `allOf` wrappers with a single member that only add annotations (the spec's
 * way of giving a `$ref` its own description); returns the schema object and its pointer.
 */
export function resolve(ctx: SchemaContext, schema: Json, pointer: string): { s: JsonObject | boolean; ptr: string } {
  // OpenAPI 3.1 lets a `$ref` carry constraints of its own (a request narrowing a shared schema,
  // e.g. `minLength: 1` on the open ICP condition type): they apply on top of the target.
  if (isObj(schema) && typeof schema.$ref === 'string' && Object.keys(schema).some((k) => k !== '$ref' && !ANNOTATIONS.has(k))) {
    const { $ref, ...siblings } = schema;
    const target = resolve(ctx, { $ref }, pointer);
    return typeof target.s === 'boolean' ? target : { s: { ...target.s, ...siblings }, ptr: target.ptr };
  }
  const { node, pointer: ptr } = deref(ctx.doc, schema, pointer);
  if (typeof node === 'boolean') return { s: node, ptr };
  if (!isObj(node)) throw new Error(`not a schema at ${ptr}`);
  const only = Array.isArray(node.allOf) && node.allOf.length === 1 ? node.allOf[0] : undefined;
  if (only !== undefined && Object.keys(node).every((k) => k === 'allOf' || ANNOTATIONS.has(k) || k.startsWith('x-'))) {
    return resolve(ctx, only, `${ptr}/allOf/0`);
  }
  return { s: node, ptr };
}

/** The JSON types a schema admits, or undefined when it does not say. */
export function typesOf(s: JsonObject): string[] | undefined {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type as string[];
  const values = 'const' in s ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined;
  if (values) return [...new Set(values.map(jsonType))];
  if (isObj(s.properties) || 'required' in s) return ['object'];
  if ('items' in s) return ['array'];
  return undefined;
}

function jsonType(v: Json | undefined): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const num = (x: Json | undefined): number | undefined => (typeof x === 'number' ? x : undefined);

function stringArb(s: JsonObject): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength) ?? minLength + 24;
  const fitsLength = (v: string): boolean => [...v].length >= minLength && [...v].length <= maxLength;
  const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
  let base: fc.Arbitrary<string>;
  switch (s.format) {
    case 'date-time':
      base = fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
      break;
    case 'date':
      base = fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
      break;
    case 'email':
      base = fc.tuple(word, word).map(([local, host]) => `${local}@${host}.example.com`);
      break;
    case 'uri':
    case 'url':
      base = fc.tuple(word, fc.array(word, { maxLength: 3 })).map(([host, segs]) => `https://${host}.example.com/${segs.join('/')}`);
      break;
    case 'hostname':
      base = fc.tuple(word, word).map(([a, b]) => `${a}.${b}.example.com`);
      break;
    case 'uuid':
      base = fc.uuid();
      break;
    case undefined:
      base = typeof s.pattern === 'string' ? fc.stringMatching(new RegExp(s.pattern, 'u')) : fc.string({ minLength, maxLength });
      break;
    default:
      throw new Error(`unsupported string format ${String(s.format)}`);
  }
  if (s.format !== undefined && typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    base = base.filter((v) => re.test(v));
  }
  return base.filter(fitsLength);
}

function numberArb(s: JsonObject, integer: boolean): fc.Arbitrary<number> {
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  let min = num(s.minimum) ?? (exMin !== undefined ? (integer ? Math.floor(exMin) + 1 : exMin) : undefined);
  let max = num(s.maximum) ?? (exMax !== undefined ? (integer ? Math.ceil(exMax) - 1 : exMax) : undefined);
  if (min === undefined) min = max !== undefined ? max - 10_000 : -10_000;
  if (max === undefined) max = min + 10_000;
  const mult = num(s.multipleOf);
  if (integer) {
    const arb = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    return mult ? arb.map((n) => Math.floor(n / mult) * mult).filter((n) => n >= min && n <= max) : arb;
  }
  const arb = fc.double({
    min,
    max,
    noNaN: true,
    noDefaultInfinity: true,
    minExcluded: exMin !== undefined && num(s.minimum) === undefined,
    maxExcluded: exMax !== undefined && num(s.maximum) === undefined,
  });
  // -0 serialises as 0; keep the value that goes on the wire.
  return arb.map((n) => (Object.is(n, -0) ? 0 : n));
}

/** Values valid against the schema at `pointer` (the pointer is used to double-check combinators with Ajv). */
export function arbitraryFor(ctx: SchemaContext, schema: Json, pointer: string, depth = 0): fc.Arbitrary<unknown> {
  const { s, ptr } = resolve(ctx, schema, pointer);
  if (s === true) return fc.oneof(fc.string(), fc.integer(), fc.boolean());
  if (s === false) throw new Error(`schema at ${ptr} admits no value`);
  for (const k of Object.keys(s)) {
    if (!SUPPORTED.has(k) && !k.startsWith('x-')) throw new Error(`unsupported keyword "${k}" at ${ptr}`);
  }
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const validOnly = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => arb.filter((v) => ctx.validate(ptr, v).length === 0);
  if (s.not !== undefined) {
    // Generate from the other keywords and keep the values the `not` does not exclude.
    const { not: _excluded, ...rest } = s;
    return validOnly(arbitraryFor(ctx, rest, ptr, depth));
  }
  if (Array.isArray(s.allOf)) {
    // Generate from the first part that says most about the value, keep only values every part accepts.
    const parts = s.allOf.map((p, i) => ({ p, i }));
    const { p, i } = parts.find(({ p }) => { const r = resolve(ctx, p, ptr).s; return isObj(r) && isObj(r.properties); }) ?? parts[0]!;
    return validOnly(arbitraryFor(ctx, p, `${ptr}/allOf/${i}`, depth + 1));
  }
  for (const comb of ['oneOf', 'anyOf'] as const) {
    const branches = s[comb];
    if (Array.isArray(branches)) {
      return validOnly(fc.oneof(...branches.map((b, i) => arbitraryFor(ctx, b, `${ptr}/${comb}/${i}`, depth + 1))));
    }
  }
  const types = typesOf(s) ?? ['string'];
  const arbs = types.map((t) => arbitraryForType(ctx, s, ptr, t, depth));
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

function arbitraryForType(ctx: SchemaContext, s: JsonObject, ptr: string, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'array': {
      if (s.items === undefined) return fc.constant([]);
      const item = arbitraryFor(ctx, s.items, `${ptr}/items`, depth + 1);
      const minLength = num(s.minItems) ?? 0;
      const maxLength = depth >= MAX_DEPTH ? minLength : (num(s.maxItems) ?? minLength + 3);
      return s.uniqueItems === true
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      const props = isObj(s.properties) ? s.properties : {};
      const required = new Set((Array.isArray(s.required) ? s.required : []) as string[]);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) {
        if (depth >= MAX_DEPTH && !required.has(name)) continue;
        model[name] = arbitraryFor(ctx, sub, `${ptr}/properties/${escapePointer(name)}`, depth + 1);
      }
      for (const name of required) {
        // A required property the schema does not describe: any string will do.
        model[name] ??= fc.string({ maxLength: 8 });
      }
      const minProperties = num(s.minProperties) ?? 0;
      const record = fc.record(model, { requiredKeys: [...required] }) as fc.Arbitrary<Record<string, unknown>>;
      const extra = s.additionalProperties;
      if (minProperties > 0 && Object.keys(model).length < minProperties && extra !== undefined && extra !== false) {
        // Not enough declared properties to reach minProperties: add free-form ones.
        const values = extra === true ? fc.string({ maxLength: 8 }) : arbitraryFor(ctx, extra, `${ptr}/additionalProperties`, depth + 1);
        const keys = fc.stringMatching(/^x[a-z]{1,8}$/).filter((k) => !(k in model));
        return fc
          .tuple(record, fc.dictionary(keys, values, { minKeys: minProperties, maxKeys: minProperties + 2 }))
          .map(([r, d]) => ({ ...d, ...r }));
      }
      return minProperties > 0 ? record.filter((v) => Object.keys(v).length >= minProperties) : record;
    }
    default:
      throw new Error(`unsupported type ${type} at ${ptr}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations: each one breaks a valid value in exactly one place.

export type MutationKind = 'missing-required' | 'wrong-type' | 'outside-enum';

export interface Mutation {
  kind: MutationKind;
  /** Where in the value (JSON pointer into the body). */
  at: string;
  apply(value: unknown): unknown;
}

/** A value of a JSON type the schema does not admit (undefined if every type is admitted). */
export function wrongTypeValue(types: string[]): Json | undefined {
  const has = (t: string): boolean => types.includes(t);
  if (!has('integer') && !has('number')) return 12345;
  if (!has('string')) return 'not-the-right-type';
  if (!has('boolean')) return true;
  if (!has('object')) return { unexpected: 'object' };
  if (!has('array')) return ['unexpected', 'array'];
  return undefined;
}

function outsideEnumValue(values: Json[]): Json {
  const strings = values.filter((v): v is string => typeof v === 'string');
  if (strings.length > 0 || values.length === 0) {
    let candidate = 'not-a-documented-value';
    while (values.includes(candidate)) candidate += '-x';
    return candidate;
  }
  const nums = values.filter((v): v is number => typeof v === 'number');
  if (nums.length > 0) return Math.max(...nums) + 1;
  return 'not-a-documented-value';
}

/** Returns a deep copy of `root` with the node at `path` replaced (or deleted when `replacement` is undefined). */
function edit(root: unknown, path: (string | number)[], replacement: Json | undefined, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete cur[last];
  else cur[last] = replacement;
  return copy;
}

const toPointer = (path: (string | number)[]): string => (path.length ? `/${path.map((p) => escapePointer(String(p))).join('/')}` : '(root)');

/**
 * Every single-place break of `value` (which must be valid against `schema`). Nodes under a
 * oneOf/anyOf/allOf are not descended into: there a change can move the value to another branch.
 */
export function mutationsOf(ctx: SchemaContext, schema: Json, pointer: string, value: unknown): Mutation[] {
  const out: Mutation[] = [];
  const walk = (sch: Json, ptr: string, v: unknown, path: (string | number)[]): void => {
    const { s, ptr: here } = resolve(ctx, sch, ptr);
    if (typeof s === 'boolean') return;
    if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf) || Array.isArray(s.allOf)) return;
    const types = typesOf(s);
    if (types) {
      const wrong = wrongTypeValue(types);
      if (wrong !== undefined) out.push({ kind: 'wrong-type', at: toPointer(path), apply: (root) => edit(root, path, wrong, false) });
    }
    const enumValues = 'const' in s ? [s.const as Json] : Array.isArray(s.enum) ? s.enum : undefined;
    if (enumValues) {
      const outside = outsideEnumValue(enumValues);
      out.push({ kind: 'outside-enum', at: toPointer(path), apply: (root) => edit(root, path, outside, false) });
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && isObj(s.properties ?? {})) {
      const obj = v as Record<string, unknown>;
      for (const name of (Array.isArray(s.required) ? s.required : []) as string[]) {
        if (name in obj) {
          const p = [...path, name];
          out.push({ kind: 'missing-required', at: toPointer(p), apply: (root) => edit(root, p, undefined, true) });
        }
      }
      const props = (s.properties ?? {}) as JsonObject;
      for (const [name, child] of Object.entries(obj)) {
        const sub = props[name];
        if (sub !== undefined) walk(sub, `${here}/properties/${escapePointer(name)}`, child, [...path, name]);
      }
    }
    if (Array.isArray(v) && s.items !== undefined) {
      v.forEach((item, i) => walk(s.items as Json, `${here}/items`, item, [...path, i]));
    }
  };
  const { ptr } = resolve(ctx, schema, pointer);
  walk(schema, ptr, value, []);
  return out;
}
