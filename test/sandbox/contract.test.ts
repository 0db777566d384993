// The contract suite's cases (test/contract/cases/), the ones run against Prism, run against the
// sandbox too, with `--strict` on: every operation answers its documented success status with a body
// valid against the spec, 401 without a key, and 400 for the invalid request. The sandbox's seed gets
// the contract suite's two keys (Organization: every scope, on `org_abc123`), and is reset before each
// case, so every case sees the spec's examples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationClient, partnerClient, ORGANIZATION_TEST_KEY, PARTNER_TEST_KEY } from '../contract/clients.js';
import { organizationCases } from '../contract/cases/organization.js';
import { partnerCases } from '../contract/cases/partner.js';
import type { CallResult, ContractCase } from '../contract/cases/types.js';
import { createValidator, loadSpec, operations, responseSchemaPointer, type Operation } from '../support/spec.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_FORMAT, DATA_VERSION, seedFromSpec, startSandboxServer, type SandboxServer } from '../../packages/sandbox/src/index.js';
import { hashKey } from '../../packages/sandbox/src/store.js';
import { loadContract } from '../../packages/sandbox/src/spec.js';

const doc = loadSpec();
const ops = new Map(operations(doc).map((o) => [o.operationId, o]));
const validator = createValidator(doc);
let server: SandboxServer;

beforeAll(async () => {
  const seed = seedFromSpec(loadContract());
  const partnerId = Object.keys(seed.partners)[0]!;
  seed.partnerKeys.contract = { seq: 90_001, hash: hashKey(PARTNER_TEST_KEY), ownerId: partnerId, record: { id: 'contract', name: 'contract suite', keyPrefix: PARTNER_TEST_KEY.slice(0, 14), scopes: [], status: 'active', expiresAt: null, lastUsedAt: null, createdAt: '2025-01-01T00:00:00Z' } };
  seed.organizationKeys.contract = {
    seq: 90_002,
    hash: hashKey(ORGANIZATION_TEST_KEY),
    ownerId: 'org_abc123',
    record: { id: 'contract', organizationId: 'org_abc123', createdByUserId: 'user_xyz', name: 'contract suite', keyPrefix: ORGANIZATION_TEST_KEY.slice(0, 13), scopes: ['admin', 'agency:read', 'agency:write'], status: 'active', expiresAt: null, lastUsedAt: null, createdAt: '2026-01-01T00:00:00Z' },
  };
  // The cases' test webhook needs a URL; port 9 refuses at once, which the delivery record reports.
  seed.partnerWebhooks[partnerId]!.identification = { url: 'http://127.0.0.1:9/hook', enabled: true, secret: 'whsec_contract' };
  server = await startSandboxServerWithSeed(seed);
});

afterAll(async () => server?.close());

/** A sandbox server on a seed file written from `seed`, its clock in the examples' own era (their expiry dates lie ahead). */
async function startSandboxServerWithSeed(seed: ReturnType<typeof seedFromSpec>): Promise<SandboxServer> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-contract-')), 'seed.json');
  writeFileSync(file, JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, state: seed }));
  return startSandboxServer({ port: 0, strict: true, seedFile: file, clock: () => Date.parse('2026-03-15T12:00:00Z') });
}

/** The seed already holds the example ICP slug the create cases use: a client would delete it first. */
const PREPARE: Record<string, { path: string; header: string; key: string }> = {
  createPartnerIcpConfig: { path: '/partner/organizations/7c9e6679-7425-40de-944b-e07fc1f90ae7/icp-configs/enterprise-saas', header: 'X-Partner-API-Key', key: PARTNER_TEST_KEY },
  createOrganizationIcpConfig: { path: '/organizations/org_abc123/icp-configs/enterprise-saas', header: 'X-API-Key', key: ORGANIZATION_TEST_KEY },
};

function bodyOf(result: CallResult): unknown {
  return result.response.ok ? result.data : result.error;
}

function expectValid(op: Operation, status: number, body: unknown, mediaType = 'application/json'): void {
  const pointer = responseSchemaPointer(doc, op, status, mediaType);
  expect(pointer, `${op.operationId} documents a ${mediaType} body for ${status}`).toBeDefined();
  expect(validator.validate(pointer!, body), `${op.operationId} ${status} body matches the schema`).toEqual([]);
}

const apis = [
  { name: 'Partner API', cases: partnerCases as Record<string, ContractCase<unknown>>, client: partnerClient },
  { name: 'Organization API', cases: organizationCases as Record<string, ContractCase<unknown>>, client: organizationClient },
] as const;

for (const api of apis) {
  describe(`${api.name} contract cases against the sandbox`, () => {
    for (const [operationId, testCase] of Object.entries(api.cases)) {
      describe(operationId, () => {
        const op = ops.get(operationId)!;
        const reset = async (): Promise<void> => {
          expect((await fetch(`${server.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);
        };

        it('answers the documented success status with a valid body', async () => {
          await reset();
          const prep = PREPARE[operationId];
          if (prep) expect((await fetch(`${server.url}${prep.path}`, { method: 'DELETE', headers: { [prep.header]: prep.key } })).status).toBe(204);
          const result = (await testCase.call(api.client(server.url))) as CallResult;
          expect(result.response.status, JSON.stringify(bodyOf(result))).toBe(op.successStatus);
          expect(Number(result.response.headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
          const body = bodyOf(result);
          if (result.response.status === 204) expect(body).toBeUndefined();
          else expectValid(op, result.response.status, body, (result.response.headers.get('content-type') ?? '').split(';')[0]!.trim());
        });

        it('answers 401 with the Error envelope without the key', async () => {
          const result = (await testCase.call(api.client(server.url, { withKey: false }))) as CallResult;
          expect(result.response.status).toBe(401);
          expectValid(op, 401, bodyOf(result));
        });

        if (testCase.invalid) {
          const invalid = testCase.invalid;
          it('rejects the invalid request with 400 naming the field', async () => {
            await reset();
            const result = (await invalid(api.client(server.url))) as CallResult;
            expect(result.response.status, JSON.stringify(bodyOf(result))).toBe(400);
            expectValid(op, 400, bodyOf(result));
            expect((bodyOf(result) as { details: { errors: unknown[] } }).details.errors.length).toBeGreaterThan(0);
          });
        }
      });
    }
  });
}
