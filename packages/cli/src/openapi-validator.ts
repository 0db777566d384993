/// <reference types="node" />
// Node-only module, and the only one that needs ajv: it lives in the CLI package because the SDK
// package does not depend on ajv. The CLI, the MCP server, the verifier and the tests share it.
// One JSON Schema 2020-12 validator (formats asserted) that knows the whole bundled document, so a
// value is checked against the schema at any pointer of the spec, with `$ref`s resolved as written.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;

export type { ErrorObject, ValidateFunction };

/** A validator over one bundled document. */
export interface SpecValidator {
  /** The ajv errors of `value` against the schema at `pointer` (`#/components/schemas/Error`); empty when valid. Throws when no schema is there. */
  errors(pointer: string, value: unknown): ErrorObject[];
  /** The same, one short line each: `/field must be string`. */
  problems(pointer: string, value: unknown): string[];
  /** A validator for a schema of its own (e.g. an MCP tool's input schema), with the same options and formats. */
  compile(schema: object): ValidateFunction;
}

const byDocument = new WeakMap<object, SpecValidator>();

/** ajv's id of the schema at a pointer of the document added as `spec`. */
const schemaRef = (pointer: string): string =>
  `spec${pointer
    .split('/')
    .map((seg) => (seg === '#' ? '#' : encodeURIComponent(seg)))
    .join('/')}`;

/** One line per ajv error, naming the place and the rule. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined, root = '(root)'): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || root} ${e.message ?? 'is invalid'}`);
}

/** The validator of `doc`, built once per document object. */
export function specValidator(doc: object): SpecValidator {
  const known = byDocument.get(doc);
  if (known) return known;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'spec');
  const cache = new Map<string, ValidateFunction>();
  const at = (pointer: string): ValidateFunction => {
    const ref = schemaRef(pointer);
    let fn = cache.get(ref);
    if (!fn) {
      fn = ajv.getSchema(ref);
      if (!fn) throw new Error(`no schema at ${pointer}`);
      cache.set(ref, fn);
    }
    return fn;
  };
  const validator: SpecValidator = {
    errors(pointer, value) {
      const fn = at(pointer);
      return fn(value) ? [] : [...(fn.errors ?? [])];
    },
    problems(pointer, value) {
      return formatErrors(this.errors(pointer, value));
    },
    compile(schema) {
      return ajv.compile(schema);
    },
  };
  byDocument.set(doc, validator);
  return validator;
}
