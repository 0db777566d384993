// scripts/lib/spec.js: the one copy of the OpenAPI helpers that scripts/, test/ and bench/ share.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../src/index.js';
import { deref, escapePointer, HTTP_METHODS, listOperations, operationScopes, resolvePointer } from '../../scripts/lib/spec.js';
import { apis } from '../../generated/apis.js';

const doc = {
  security: [{ PartnerApiKey: ['read'] }],
  paths: {
    '/a/{id}': { $ref: '#/components/pathItems/A' },
    '/b': {
      get: { operationId: 'getB' },
      post: { operationId: 'createB', security: [{ PartnerApiKey: ['write', 'read'] }, { Other: ['write'] }] },
      parameters: [],
      summary: 'not an operation',
    },
  },
  webhooks: { 'b.created': { post: { operationId: 'bCreated' } } },
  components: {
    pathItems: { A: { trace: { operationId: 'traceA' }, delete: { $ref: '#/components/x~1y/op' } } },
    'x/y': { op: { operationId: 'deleteA' } },
    loop: { $ref: '#/components/loop' },
  },
};

describe('scripts/lib/spec.js', () => {
  it('lists the eight operation fields of a Path Item in the specification order', () => {
    expect([...HTTP_METHODS]).toEqual(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  });

  it('lists every operation of the paths, through referenced path items, never a webhook', () => {
    const ops = listOperations(doc).map((o) => `${o.method} ${o.path} ${String(o.operation.operationId ?? '(ref)')} ${o.pointer}`);
    expect(ops).toEqual(['delete /a/{id} (ref) #/paths/~1a~1{id}/delete', 'trace /a/{id} traceA #/paths/~1a~1{id}/trace', 'get /b getB #/paths/~1b/get', 'post /b createB #/paths/~1b/post']);
    expect(listOperations({})).toEqual([]);
  });

  it('follows $ref chains, decodes pointer escapes, and gives undefined for what does not resolve', () => {
    expect(deref(doc, { $ref: '#/components/x~1y/op' })).toEqual({ node: { operationId: 'deleteA' }, pointer: '#/components/x~1y/op' });
    expect(deref(doc, { $ref: '#/components/nothing' }, '#/here').node).toBeUndefined();
    expect(deref(doc, { $ref: 'other.yaml#/x' }).node).toBeUndefined();
    expect(deref(doc, { $ref: '#/components/loop' }).node).toEqual({ $ref: '#/components/loop' });
    expect(deref(doc, 3, '#/p')).toEqual({ node: 3, pointer: '#/p' });
    expect(resolvePointer(doc, '#/paths/~1b/get/operationId')).toBe('getB');
    expect(resolvePointer(doc, '#/security/0/PartnerApiKey/0')).toBe('read');
    expect(escapePointer('/a~b/')).toBe('~1a~0b~1');
  });

  it("gives an operation's scopes once each, from its own security or else the document's", () => {
    expect(operationScopes(doc, doc.paths['/b'].post)).toEqual(['write', 'read']);
    expect(operationScopes(doc, doc.paths['/b'].get)).toEqual(['read']);
    expect(operationScopes(doc, { security: [] })).toEqual([]);
    expect(operationScopes({}, {})).toEqual([]);
  });

  it('names the production URL the spec and the SDK use', () => {
    const spec = JSON.parse(readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8')) as { servers: { url: string }[] };
    expect(spec.servers[0]?.url).toBe('https://api.app.bullseye.so/api/v1');
    expect(DEFAULT_BASE_URL).toBe('https://api.app.bullseye.so/api/v1');
    for (const api of Object.values(apis)) expect(api.baseUrl).toBe('https://api.app.bullseye.so/api/v1');
  });
});
