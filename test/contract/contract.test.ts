// Every operation of both APIs, through the typed clients, against the Prism mock of the bundled spec.
import { describe, expect, inject, it } from 'vitest';
import { createValidator, loadSpec, operations, responseSchemaPointer, type Operation } from '../support/spec.js';
import { organizationClient, partnerClient } from './clients.js';
import { partnerCases } from './cases/partner.js';
import { organizationCases } from './cases/organization.js';
import type { CallResult, ContractCase } from './cases/types.js';

const doc = loadSpec();
const ops = new Map(operations(doc).map((o) => [o.operationId, o]));
const validator = createValidator(doc);
const mockUrl = inject('mockUrl');

const apis = [
  { name: 'Partner API', cases: partnerCases as Record<string, ContractCase<unknown>>, client: partnerClient },
  { name: 'Organization API', cases: organizationCases as Record<string, ContractCase<unknown>>, client: organizationClient },
] as const;

/** openapi-fetch has read the body already: take what it parsed. */
function bodyOf(result: CallResult): unknown {
  return result.response.ok ? result.data : result.error;
}

function expectValid(op: Operation, status: number, body: unknown, mediaType = 'application/json'): void {
  const pointer = responseSchemaPointer(doc, op, status, mediaType);
  expect(pointer, `${op.operationId} documents a ${mediaType} body for ${status}`).toBeDefined();
  expect(validator.validate(pointer!, body), `${op.operationId} ${status} body matches the schema`).toEqual([]);
}

for (const api of apis) {
  describe(api.name, () => {
    const withKey = api.client(mockUrl);
    const withoutKey = api.client(mockUrl, { withKey: false });

    for (const [operationId, testCase] of Object.entries(api.cases)) {
      describe(operationId, () => {
        const op = ops.get(operationId);

        it('answers the documented success status with a valid body and no violations', async () => {
          expect(op, `operation ${operationId} exists in the spec`).toBeDefined();
          const result = (await testCase.call(withKey)) as CallResult;
          const { response } = result;
          expect(response.status).toBe(op!.successStatus);
          expect(response.headers.get('sl-violations')).toBeNull();
          expect(Number(response.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
          const body = bodyOf(result);
          if (response.status === 204) {
            expect(body).toBeUndefined();
          } else {
            const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
            expectValid(op!, response.status, body, type);
          }
        });

        it('answers 401 with the Error envelope without the key', async () => {
          const result = (await testCase.call(withoutKey)) as CallResult;
          expect(result.response.status).toBe(401);
          expectValid(op!, 401, bodyOf(result));
        });

        if (testCase.invalid) {
          const invalid = testCase.invalid;
          it('rejects an invalid request with 400 or 422', async () => {
            const result = (await invalid(withKey)) as CallResult;
            expect([400, 422]).toContain(result.response.status);
            expect(result.response.headers.get('sl-violations')).not.toBeNull();
            // Prism answers with the operation's own 400 or 422 example: our Error envelope.
            expectValid(op!, result.response.status, bodyOf(result));
          });
        }
      });
    }
  });
}
