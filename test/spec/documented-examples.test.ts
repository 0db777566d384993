// The JSON examples printed in the public Bullseye docs (copied into fixtures with their source)
// must validate against the spec, and each must be one of the spec's named examples of that request
// body or response: the spec describes the API the docs describe, and shows what they show.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createValidator, deref, loadSpec, operations, responseSchemaPointer, type JsonObject } from '../support/spec.js';

interface Documented {
  source: string;
  method: string;
  path: string;
  in: 'requestBody' | 'response';
  status?: number;
  value: unknown;
}

/** A documented fragment checked against one schema (it is not a whole request or response). */
interface DocumentedFragment {
  source: string;
  /** JSON pointer of the schema in the bundled spec. */
  schema: string;
  value: unknown;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/documented-examples.json', import.meta.url), 'utf8')) as Documented[];
const fragments = JSON.parse(readFileSync(new URL('./fixtures/documented-fragments.json', import.meta.url), 'utf8')) as DocumentedFragment[];
const doc = loadSpec();
const validator = createValidator(doc);
const ops = operations(doc);

describe('documented examples validate against the spec', () => {
  it.each(fixtures.map((f) => [`${f.source} (${f.method.toUpperCase()} ${f.path} ${f.in}${f.status ? ` ${f.status}` : ''})`, f] as const))(
    '%s',
    (_name, f) => {
      const op = ops.find((o) => o.method === f.method && o.path === f.path);
      expect(op, `${f.method.toUpperCase()} ${f.path} is in the spec`).toBeDefined();
      let pointer: string | undefined;
      if (f.in === 'requestBody') {
        const { node, pointer: base } = deref(doc, op!.op.requestBody as JsonObject, `${op!.pointer}/requestBody`);
        expect((node as JsonObject).content).toHaveProperty(['application/json']);
        pointer = `${base}/content/application~1json/schema`;
      } else {
        pointer = responseSchemaPointer(doc, op!, f.status ?? op!.successStatus);
      }
      expect(pointer).toBeDefined();
      expect(validator.validate(pointer!, f.value)).toEqual([]);
    },
  );
});

/** The named examples of the operation's request body or response (following $refs), by name. */
function namedExamples(f: Documented): Record<string, unknown> {
  const op = ops.find((o) => o.method === f.method && o.path === f.path)!;
  const raw = (f.in === 'requestBody' ? op.op.requestBody : (op.op.responses as JsonObject)[String(f.status ?? op.successStatus)]) as JsonObject;
  const { node } = deref(doc, raw, op.pointer);
  const media = ((node as JsonObject).content as JsonObject)['application/json'] as JsonObject;
  const out: Record<string, unknown> = {};
  for (const [name, ex] of Object.entries((media.examples ?? {}) as JsonObject)) out[name] = (deref(doc, ex, '').node as JsonObject).value;
  return out;
}

describe('documented examples are among the spec\'s named examples', () => {
  it.each(fixtures.map((f) => [`${f.source} (${f.method.toUpperCase()} ${f.path} ${f.in}${f.status ? ` ${f.status}` : ''})`, f] as const))(
    '%s',
    (_name, f) => {
      const examples = namedExamples(f);
      // The Partner docs print a placeholder code (`error_code`); the spec's copy carries the
      // status's real code in its place (D3).
      const placeholder = (f.value as { code?: unknown }).code === 'error_code';
      const same = (v: unknown): boolean =>
        isDeepStrictEqual(v, f.value) || (placeholder && isDeepStrictEqual({ ...(v as object), code: 'error_code' }, f.value) && /^[A-Z]\w+$/.test(String((v as { code?: unknown }).code)));
      const match = Object.entries(examples).find(([, v]) => same(v));
      expect(match?.[0], `no example equals the documented one; the spec has ${Object.keys(examples).join(', ')}`).toBeDefined();
    },
  );
});

describe('documented fragments validate against their schema', () => {
  it.each(fragments.map((f) => [`${f.source} (${f.schema})`, f] as const))('%s', (_name, f) => {
    expect(validator.validate(f.schema, f.value)).toEqual([]);
  });
});
