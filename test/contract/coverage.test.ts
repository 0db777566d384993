// The set of operations under contract test is computed from the spec: an operation without a
// case, a case for an unknown operation, or a missing invalid-request case fails here.
import { describe, expect, it } from 'vitest';
import { loadSpec, operations } from '../support/spec.js';
import { partnerCases } from './cases/partner.js';
import { organizationCases } from './cases/organization.js';

const ops = operations(loadSpec());

describe('contract test coverage', () => {
  for (const api of ['partner', 'organization'] as const) {
    const cases: Record<string, { invalid?: unknown }> = api === 'partner' ? partnerCases : organizationCases;
    const specIds = ops.filter((o) => o.api === api).map((o) => o.operationId).sort();

    it(`every ${api} operation in the spec has a contract case`, () => {
      expect(specIds.length).toBeGreaterThan(0);
      expect(specIds.filter((id) => !(id in cases))).toEqual([]);
    });

    it(`every ${api} contract case names an operation of that API`, () => {
      expect(Object.keys(cases).filter((id) => !specIds.includes(id))).toEqual([]);
    });

    it(`every ${api} operation with a body or a required parameter has an invalid-request case`, () => {
      const needing = ops.filter((o) => o.api === api && (o.hasRequestBody || o.hasRequiredParameter));
      expect(needing.filter((o) => !cases[o.operationId]?.invalid).map((o) => o.operationId)).toEqual([]);
    });
  }

  it('operationIds are unique across both APIs', () => {
    const ids = ops.map((o) => o.operationId);
    expect(ids.length).toBe(new Set(ids).size);
  });
});
