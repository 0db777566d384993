// The operations table the SDK ships (operationId + required scopes) must match the bundled spec.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderOperations } from '../../scripts/build.js';
import { OPERATIONS } from '../../src/core/operations.gen.js';

describe('src/core/operations.gen.ts', () => {
  it('is up to date with generated/openapi.json (run `npx tsx scripts/build.ts --operations`)', async () => {
    const committed = await readFile(new URL('../../src/core/operations.gen.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await renderOperations());
  });

  it('gives every operation an operationId and at least one scope', () => {
    const entries = Object.entries(OPERATIONS);
    expect(entries.length).toBeGreaterThan(4);
    for (const [key, [operationId, scopes]] of entries) {
      expect(key).toMatch(/^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) \//);
      expect(operationId, key).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(scopes.length, key).toBeGreaterThan(0);
    }
  });
});
