// generated/apis.ts is written from each security scheme's x-api / x-scope-includes, and the
// generator refuses facts that contradict the document's paths and scopes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiFacts, renderApisTable } from '../../scripts/operations-table.js';
import { exampleOf, resolvePointer } from '../../scripts/lib/spec.js';

const spec = JSON.parse(readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A copy of the bundled spec with `edit` applied to it. */
function edited(edit: (doc: any) => void): any {
  const doc = structuredClone(spec);
  edit(doc);
  return doc;
}

describe('apiFacts', () => {
  it('renders the committed generated/apis.ts from the bundle', () => {
    expect(renderApisTable(spec as never)).toBe(readFileSync(new URL('../../generated/apis.ts', import.meta.url), 'utf8'));
  });

  it('closes what a scope includes over the declared lists', () => {
    const doc = edited((d) => {
      d.components.securitySchemes.OrganizationApiKey['x-scope-includes'].admin = ['write'];
    });
    expect(apiFacts(doc).organization!.scopes.admin).toEqual(['admin', 'write', 'read']);
  });

  it.each([
    ['a path outside its API\'s prefixes', (d: any) => void d.components.securitySchemes.OrganizationApiKey['x-api'].pathPrefixes.pop(), /GET \/agency\/overview uses OrganizationApiKey/],
    ['a prefix claimed by both APIs', (d: any) => void d.components.securitySchemes.PartnerApiKey['x-api'].pathPrefixes.push('/lists'), /belongs to both/],
    ['an operation scope the scheme does not declare', (d: any) => void delete d.components.securitySchemes.PartnerApiKey['x-scope-includes'].admin, /needs the scope "admin"/],
    ['an include of an unknown scope', (d: any) => void d.components.securitySchemes.PartnerApiKey['x-scope-includes'].write.push('agency:read'), /unknown scope "agency:read"/],
    ['a bad environment variable', (d: any) => void (d.components.securitySchemes.PartnerApiKey['x-api'].envVar = 'partner key'), /envVar/],
    ['a missing production server', (d: any) => void (d.servers = []), /servers\[0\]/],
  ])('refuses %s', (_what, edit, message) => {
    expect(() => apiFacts(edited(edit))).toThrow(message);
  });
});

describe('the shared spec walker', () => {
  it('does not walk into inherited properties or malformed pointers', () => {
    expect(resolvePointer({ a: {} }, '#/a/__proto__')).toBeUndefined();
    expect(resolvePointer({ a: {} }, '#/a/constructor')).toBeUndefined();
    expect(resolvePointer({ a: 1 }, '#/%E0%A4%A')).toBeUndefined();
    expect(resolvePointer({ 'a/b': { '~': 2 } }, '#/a~1b/~0')).toBe(2);
  });

  it('picks one example the same way for media types, parameters, headers and schemas', () => {
    const doc = { components: { examples: { E: { value: { id: 1 } } }, schemas: { S: { type: 'array', items: { enum: ['x', 'y'] } } } } };
    expect(exampleOf(doc, { examples: { first: { $ref: '#/components/examples/E' } } })).toEqual({ value: { id: 1 } });
    expect(exampleOf(doc, { example: 0 })).toEqual({ value: 0 });
    expect(exampleOf(doc, { schema: { examples: ['a'] } })).toEqual({ value: 'a' });
    expect(exampleOf(doc, { schema: { $ref: '#/components/schemas/S' } })).toEqual({ value: ['x'] });
    expect(exampleOf(doc, { schema: { default: false } })).toEqual({ value: false });
    expect(exampleOf(doc, { schema: { type: 'object' } })).toBeUndefined();
    expect(exampleOf(doc, { $ref: '#/nowhere' })).toBeUndefined();
  });
});
