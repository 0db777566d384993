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

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') && text ? (JSON.parse(text) as unknown) : text;
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
          const { response } = (await testCase.call(withKey)) as CallResult;
          expect(response.status).toBe(op!.successStatus);
          expect(response.headers.get('sl-violations')).toBeNull();
          expect(Number(response.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
          const body = await readBody(response);
          if (response.status === 204) {
            expect(body).toBe('');
          } else {
            const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
            expectValid(op!, response.status, body, type);
          }
        });

        it('answers 401 with the Error envelope without the key', async () => {
          const { response } = (await testCase.call(withoutKey)) as CallResult;
          expect(response.status).toBe(401);
          expectValid(op!, 401, await readBody(response));
        });

        if (testCase.invalid) {
          const invalid = testCase.invalid;
          it('rejects an invalid request with 400 or 422', async () => {
            const { response } = (await invalid(withKey)) as CallResult;
            expect([400, 422]).toContain(response.status);
            expect(response.headers.get('sl-violations')).not.toBeNull();
            if (response.status === 400) expectValid(op!, 400, await readBody(response));
          });
        }
      });
    }
  });
}
