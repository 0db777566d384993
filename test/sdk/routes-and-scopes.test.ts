// The path matcher and the scope rule over the generated tables (generated/apis.ts,
// generated/operations.ts), checked from outside with literal values.
import { describe, expect, it } from 'vitest';
import { apis } from '../../generated/apis.js';
import { operations } from '../../generated/operations.js';
import { apiOfPath, grantedScopes, hasDotSegment, matchOperation, matchPath, scopeNames, scopesAllow, scopesGranting, unknownScopesMessage } from '../../src/index.js';

describe('generated/apis.ts', () => {
  it('holds the facts of both APIs', () => {
    expect(apis.partner).toMatchObject({
      name: 'Partner API',
      securityScheme: 'PartnerApiKey',
      keyHeader: 'X-Partner-API-Key',
      envVar: 'BULLSEYE_PARTNER_API_KEY',
      baseUrl: 'https://api.app.bullseye.so/api/v1',
      pathPrefixes: ['/partner'],
      errorCodeCase: 'PascalCase',
      unscopedKey: 'full-access',
    });
    expect(apis.organization).toMatchObject({
      name: 'Organization API',
      securityScheme: 'OrganizationApiKey',
      keyHeader: 'X-API-Key',
      envVar: 'BULLSEYE_API_KEY',
      baseUrl: 'https://api.app.bullseye.so/api/v1',
      errorCodeCase: 'snake_case',
    });
    expect([...apis.organization.pathPrefixes].sort()).toEqual(['/agency', '/companies', '/integrations', '/lists', '/organization', '/organizations', '/payment']);
  });

  it('every operation path belongs to exactly one API', () => {
    for (const path of Object.keys(operations)) {
      const owners = Object.entries(apis).filter(([, a]) => a.pathPrefixes.some((p: string) => path === p || path.startsWith(`${p}/`)));
      expect(owners.length, path).toBe(1);
      expect(apiOfPath(path)).toBe(owners[0]![0]);
    }
  });
});

describe('matchPath / matchOperation', () => {
  it('resolves every template, and a concrete instance of it, to that template', () => {
    for (const template of Object.keys(operations)) {
      expect(matchPath(template)?.template, template).toBe(template);
      const concrete = template.replace(/\{[^}]+\}/g, 'x1');
      expect(matchPath(concrete)?.template, concrete).toBe(template);
    }
  });

  it('prefers the template with more fixed segments', () => {
    expect(matchPath('/integrations/request-install')?.template).toBe('/integrations/request-install');
    expect(matchPath('/integrations/flows')?.template).toBe('/integrations/flows');
    expect(matchPath('/integrations/org1')).toMatchObject({ template: '/integrations/{organization_id}', params: { organization_id: 'org1' }, api: 'organization' });
    expect(matchPath('/organization/list')?.template).toBe('/organization/list');
    expect(matchPath('/organization/o1')?.template).toBe('/organization/{organization_id}');
    expect(matchPath('/organizations/o1/icp-configs/stats')?.template).toBe('/organizations/{organization_id}/icp-configs/stats');
    expect(matchPath('/organizations/o1/icp-configs/s1')).toMatchObject({ template: '/organizations/{organization_id}/icp-configs/{slug}', params: { organization_id: 'o1', slug: 's1' } });
    expect(matchPath('/companies/visitors')?.template).toBe('/companies/visitors');
    expect(matchPath('/companies/c1/visitors')?.template).toBe('/companies/{company_id}/visitors');
  });

  it('each concrete path resolves to exactly one template (no two templates claim the same shape)', () => {
    const shapes = Object.keys(operations).map((t) => t.replace(/\{[^}]+\}/g, '{}'));
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it('matches nothing for an empty segment, a trailing slash, a query, another prefix or a non-path', () => {
    for (const p of ['/partner', '/partner/', '/partner/me/', '/partner//me', '/partner/me?x=1', '/partner/me#x', '/nope/x', 'partner/me', '', '/organization/{x}/api-keys/{y}']) {
      expect(matchPath(p), p).toBeUndefined();
    }
    expect(matchPath(42 as unknown as string)).toBeUndefined();
  });

  it('matchOperation needs the method too, and names the operation and its scope', () => {
    expect(matchOperation('DELETE', '/partner/api-keys/k1')).toMatchObject({ api: 'partner', method: 'delete', template: '/partner/api-keys/{keyId}', operation: { operationId: 'revokePartnerApiKey', scopes: ['admin'] } });
    expect(matchOperation('PATCH', '/partner/me')).toBeUndefined();
    expect(matchOperation('constructor', '/partner/me')).toBeUndefined();
  });

  it('hasDotSegment sees plain, encoded and backslash dot segments only', () => {
    for (const p of ['/a/..', '/a/.', '/a/%2e%2E', '/a/.%2e/b', '/a\\..\\b']) expect(hasDotSegment(p), p).toBe(true);
    for (const p of ['/a/b', '/a/...', '/a/.b', '/a/b.', '/a/%2ex']) expect(hasDotSegment(p), p).toBe(false);
  });
});

describe('the scope rule', () => {
  it('Partner API: write includes read, admin is full access', () => {
    expect(scopeNames('partner')).toEqual(['read', 'write', 'admin']);
    expect([...grantedScopes('partner', ['write'])].sort()).toEqual(['read', 'write']);
    expect([...grantedScopes('partner', ['admin'])].sort()).toEqual(['admin', 'read', 'write']);
    expect(scopesAllow('partner', ['write'], ['read'])).toBe(true);
    expect(scopesAllow('partner', ['write'], ['admin'])).toBe(false);
    expect(scopesAllow('partner', ['read'], ['write'])).toBe(false);
  });

  it('Organization API: admin grants the base scopes, not the agency ones; agency:write includes agency:read', () => {
    expect([...grantedScopes('organization', ['admin'])].sort()).toEqual(['admin', 'read', 'write']);
    expect([...grantedScopes('organization', ['agency:write'])].sort()).toEqual(['agency:read', 'agency:write']);
    expect(scopesAllow('organization', ['admin'], ['agency:read'])).toBe(false);
    expect(scopesGranting('organization', 'read')).toEqual(['read', 'write', 'admin']);
    expect(scopesGranting('organization', 'agency:read')).toEqual(['agency:read', 'agency:write']);
  });

  it('an unknown scope grants nothing and is named with the valid ones', () => {
    expect(grantedScopes('partner', ['reed']).size).toBe(0);
    expect(unknownScopesMessage('partner', ['read', 'reed'])).toBe('unknown scope "reed"; the Partner API scopes are read, write, admin');
    expect(unknownScopesMessage('organization', ['agency:read'])).toBeUndefined();
    expect(unknownScopesMessage('partner', ['__proto__'])).toContain('unknown scope "__proto__"');
  });
});
