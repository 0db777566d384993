// The JSON examples printed in the public Bullseye docs (copied into fixtures with their source)
// must validate against the spec: the spec describes the API the docs describe.
import { readFileSync } from 'node:fs';
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

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/documented-examples.json', import.meta.url), 'utf8')) as Documented[];
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
