// The operations table the SDK reads (generated/operations.ts, written by `npm run generate`) says
// what the bundled spec says, and the lookups over it answer every operation. (Whether the
// committed file is up to date is the drift check's job, once, for all of generated/.)
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { operations, webhooks } from '../../generated/operations.js';
import { apis } from '../../generated/apis.js';
import { describeOperation } from '../../src/core/operations.js';

interface Spec {
  paths: Record<string, Record<string, { operationId?: string; security?: Record<string, string[]>[] }>>;
  webhooks: Record<string, unknown>;
}
const spec = JSON.parse(await readFile(new URL('../../generated/openapi.json', import.meta.url), 'utf8')) as Spec;

describe('generated/operations.ts', () => {
  it('describeOperation answers every operation of the spec with its operationId and its one scope', () => {
    let count = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== 'object' || !('operationId' in op)) continue;
        count++;
        const scopes = [...new Set((op.security ?? []).flatMap((req) => Object.values(req).flat()))];
        expect(scopes, `${method} ${path}`).toHaveLength(1);
        expect(describeOperation(method, path)).toEqual({ method: method.toUpperCase(), path, operationId: op.operationId, requiredScopes: scopes });
      }
    }
    expect(count).toBe(Object.values(operations).reduce((n, item) => n + Object.keys(item).length, 0));
    const used = new Set(Object.values(operations).flatMap((item) => Object.values(item).flatMap((op) => [...op.scopes])));
    expect([...used].sort()).toEqual(['admin', 'agency:read', 'agency:write', 'read', 'write']);
    expect([...new Set([...Object.keys(apis.partner.scopes), ...Object.keys(apis.organization.scopes)])].sort()).toEqual([...used].sort());
  });

  it('does not take a prefix of a path, an inherited property or another method for an operation', () => {
    expect(describeOperation('get', '/partner')).toEqual({ method: 'GET', path: '/partner', requiredScopes: [] });
    expect(describeOperation('GET', '__proto__')).toEqual({ method: 'GET', path: '__proto__', requiredScopes: [] });
    expect(describeOperation('CONSTRUCTOR', '/partner/me')).toEqual({ method: 'CONSTRUCTOR', path: '/partner/me', requiredScopes: [] });
    expect(describeOperation('post', '/partner/me').operationId).toBeUndefined();
  });

  it('lists every webhook with the values of its event field and its required fields', () => {
    expect(Object.keys(webhooks).sort()).toEqual(Object.keys(spec.webhooks).sort());
    for (const [name, w] of Object.entries(webhooks)) {
      expect(w.events.length, name).toBeGreaterThan(0);
    }
    // The documented organization delivery requires its documented fields; the designed Partner
    // payloads require nothing (D10), so the table lists none for them.
    expect(webhooks['visitor.identified'].required).toEqual(expect.arrayContaining(['event', 'timestamp', 'organization_id', 'session']));
    expect(webhooks['partner.billing'].required).toEqual([]);
    expect(webhooks['partner.billing'].events).toEqual(expect.arrayContaining(['credits.low', 'credits.depleted']));
  });
});
