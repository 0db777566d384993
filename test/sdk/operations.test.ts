// The operations table the SDK ships (operationId + required scopes) must match the bundled spec.
// (Whether the committed table is what `npm run generate` writes is the drift check of `npm test`.)
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { operationScopes } from '../../scripts/lib/spec.js';
import { describeOperation } from '../../src/core/operations.js';
import { OPERATIONS } from '../../src/core/operations.gen.js';

interface Spec {
  paths: Record<string, Record<string, { operationId?: string; security?: Record<string, string[]>[] }>>;
}

describe('src/core/operations.gen.ts', () => {
  it('gives every operation an operationId and at least one scope', () => {
    const rows = OPERATIONS.split('\n').filter(Boolean);
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) {
      const [path, ...ops] = row.split(' ');
      expect(path, row).toMatch(/^\/\S*$/);
      expect(ops.length, row).toBeGreaterThan(0);
      for (const op of ops) {
        const [method, operationId, scopes, ...rest] = op.split('=');
        expect(rest, row).toEqual([]);
        expect(method, row).toMatch(/^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE)$/);
        expect(operationId, row).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(scopes?.split(',').filter(Boolean).length ?? 0, row).toBeGreaterThan(0);
      }
    }
  });

  it('describeOperation answers every operation of the spec with its operationId and scopes', async () => {
    const spec = JSON.parse(await readFile(new URL('../../generated/openapi.json', import.meta.url), 'utf8')) as Spec;
    let count = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
        count++;
        const scopes = operationScopes(spec, op);
        expect(await describeOperation(method, path)).toEqual({ method: method.toUpperCase(), path, operationId: op.operationId, requiredScopes: scopes });
      }
    }
    expect(count).toBe(OPERATIONS.split(/[\n ]/).filter((part) => part.includes('=')).length);
    // A prefix of a known path is not that operation.
    expect(await describeOperation('get', '/partner')).toEqual({ method: 'GET', path: '/partner', requiredScopes: [] });
  });
});
