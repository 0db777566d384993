// Every example in the spec (request and response bodies, parameters, headers, schema examples,
// webhook payloads) validates against its schema: the mock serves them and the docs show them.
import { describe, expect, it } from 'vitest';
import { createValidator, loadSpec } from '../support/spec.js';
import { collectExamples } from '../support/examples.js';

const doc = loadSpec();
const validator = createValidator(doc);
const examples = collectExamples(doc);

describe('spec examples', () => {
  it('finds examples in the spec', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it.each(examples.map((e) => [e.where, e] as const))('%s is valid', (_where, e) => {
    expect(validator.validate(e.schemaPointer, e.value)).toEqual([]);
  });

  it('rejects an example made invalid (the check can fail)', () => {
    const withBody = examples.find((e) => e.value !== null && typeof e.value === 'object' && !Array.isArray(e.value) && e.schemaPointer.includes('/content/'));
    expect(withBody).toBeDefined();
    expect(validator.validate(withBody!.schemaPointer, 42)).not.toEqual([]);
  });
});
