// The gap-filling rule (openapi/DECISIONS.md, D10), checked on the bundled spec response by
// response (operation × status × media type, each response header, each webhook payload):
// required lists, closed enums and every constraint keyword are each backed by a docs page for that
// response in fixtures/gap-rule.yaml; lookups carry no designed pattern (R7); the request rules the
// docs state are present, every schema default is a documented one (or a named decision), and the
// gaps both APIs share are filled the same way in both. The last block plants a regression of each
// kind in an in-memory copy of the spec and expects the checkers to fail it.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkGapRule, type GapFixture } from '../support/gap-rule.js';
import { provenanceViolations, type ProvenanceFixture } from '../support/provenance.js';
import { escapePointer, get, loadSpec, operations, type Json, type JsonObject } from '../support/spec.js';

interface Fixture extends GapFixture {
  documentedRequestRules: { pointer: string; keyword: string; equals?: Json; includes?: Json[]; page: string }[];
  defaults: Record<string, { value: Json; page?: string; decision?: string }>;
}

const fixture = parse(readFileSync(new URL('./fixtures/gap-rule.yaml', import.meta.url), 'utf8')) as Fixture;
const provenance = parse(readFileSync(new URL('./fixtures/provenance.yaml', import.meta.url), 'utf8')) as ProvenanceFixture;
const doc = loadSpec();
const ops = operations(doc);
const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const report = checkGapRule(doc, fixture);

/** What a failure of the rule asks for: the fixture entry to edit, or the spec to fix. */
const FIX = (section: string, what: string): string =>
  `test/spec/fixtures/gap-rule.yaml, section \`${section}\`: "unbacked" ${what} are in the spec but not backed by a docs page ` +
  `(make the field optional / the enum open / drop the constraint, or add the entry with the page that states it); ` +
  `"stale" entries name what the spec no longer has (a removed or renamed property): delete or update those entries`;

/** Entries of `actual` that the fixture does not back with the same value, and fixture entries that are gone. */
function unbacked(actual: Map<string, Json>, backed: Record<string, Json>): { unbacked: string[]; stale: string[] } {
  return {
    unbacked: [...actual].filter(([p, v]) => !(p in backed) || !isDeepStrictEqual(backed[p], v)).map(([p, v]) => `${p} = ${JSON.stringify(v)}`),
    stale: Object.keys(backed).filter((p) => !actual.has(p)),
  };
}

describe('R1: a response field is required only where the docs show it in that response', () => {
  it('every required list, response by response, is backed by a docs page for that response', () => {
    expect(Object.keys(fixture.responseRequired).length).toBeGreaterThan(20);
    expect(report.required, FIX('responseRequired', 'required lists')).toEqual({ unbacked: [], stale: [] });
  });

  it('no response object is closed: the server may add fields', () => {
    expect(report.closed).toEqual([]);
  });

  it('the paginated Organization responses require nothing (the docs say "typically")', () => {
    for (const name of ['CompanyPage', 'OrganizationVisitorPage', 'AgencySubOrganizationPage']) {
      expect(get(doc, `#/components/schemas/${name}`)).not.toHaveProperty('required');
    }
  });

  it('designed responses carrying a documented object use its Detail schema, which requires nothing', () => {
    const detail: [string, string][] = [
      ['PartnerOrganization', 'PartnerOrganizationDetail'],
      ['OrganizationApiKey', 'OrganizationApiKeyDetail'],
      ['Integration', 'IntegrationDetail'],
      ['PartnerDomain', 'PartnerDomainDetail'],
      ['PartnerDnsRecord', 'PartnerDnsRecordDetail'],
      ['Organization', 'OrganizationDetail'],
      ['OrganizationIcpConfig', 'OrganizationIcpConfigDetail'],
    ];
    for (const [documented, designed] of detail) {
      expect(get(doc, `#/components/schemas/${designed}`), designed).not.toHaveProperty('required');
      const allOf = get(doc, `#/components/schemas/${documented}/allOf`) as JsonObject[];
      expect(allOf[0], documented).toEqual({ $ref: `#/components/schemas/${designed}` });
    }
  });
});

describe('R2: response enums are closed only where the docs give the whole list', () => {
  it('every enum a response can carry is a documented complete list for that response', () => {
    expect(report.enums, FIX('closedResponseEnums', 'closed enums')).toEqual({ unbacked: [], stale: [] });
  });

  it('the partial and contradicted lists are open strings that still list the documented values', () => {
    const open: [string, string[]][] = [
      ['#/components/schemas/PartnerIcpConditionType', ['industry', 'company_size', 'employee_size_range']],
      ['#/components/schemas/PartnerBillingMode', ['pooled', 'credit_pool', 'external', 'usage_based']],
      ['#/components/schemas/PartnerBilling/properties/billingPeriod', ['monthly', 'annual', 'quarterly', 'annually']],
      ['#/components/schemas/PartnerOrganizationDetail/properties/billingPeriod', ['monthly', 'annual', 'quarterly', 'annually']],
      ['#/components/schemas/PartnerOrganizationDetail/properties/status', ['active', 'canceled', 'suspended']],
      ['#/components/schemas/PartnerApiKey/properties/status', ['active', 'revoked']],
      ['#/components/schemas/PartnerIdentificationEvent/properties/event', ['visitor.identified']],
    ];
    for (const [pointer, values] of open) {
      const schema = get(doc, pointer) as JsonObject;
      expect(schema, pointer).not.toHaveProperty('enum');
      expect(schema, pointer).not.toHaveProperty('const');
      expect(schema.type, pointer).toBe('string');
      expect(schema.examples, pointer).toEqual(expect.arrayContaining(values));
    }
  });
});

describe('R3: no constraint keyword on a response unless the docs state it for that response', () => {
  it('every format, pattern, const, minimum, length, item and maximum rule of a response is backed', () => {
    expect(report.constraints, FIX('documentedResponseConstraints', 'constraints')).toEqual({ unbacked: [], stale: [] });
  });
});

describe('R7: a rule we designed never narrows a lookup', () => {
  it('path parameters carry no pattern, format or length beyond the opaque ids of OD4 and the UUIDs of D5', () => {
    expect(report.lookupPatterns).toEqual([]);
    for (const [pattern, { decision }] of Object.entries(fixture.lookupPatterns)) {
      expect(readFileSync(new URL('../../openapi/DECISIONS.md', import.meta.url), 'utf8'), decision).toContain(pattern);
    }
  });

  it('the ICP slug is looked up as a plain non-empty string in both APIs', () => {
    for (const name of ['OrganizationIcpSlug', 'PartnerIcpConfigSlug']) {
      expect((get(doc, `#/components/parameters/${name}`) as JsonObject).schema, name).toEqual({ type: 'string', minLength: 1 });
    }
  });
});

describe('R4: requests are checked where the docs state a rule', () => {
  it.each(fixture.documentedRequestRules.map((r) => [`${r.pointer} ${r.keyword} (${r.page})`, r] as const))('%s', (_name, rule) => {
    const schema = get(doc, rule.pointer) as JsonObject;
    const value = schema[rule.keyword];
    if (rule.equals !== undefined) expect(value).toEqual(rule.equals);
    if (rule.includes !== undefined) expect(value).toEqual(expect.arrayContaining(rule.includes));
  });

  it('page sizes have no maximum, since no page states one', () => {
    const sizes = ops.flatMap((op) =>
      ((op.op.parameters ?? []) as JsonObject[])
        .map((p) => (typeof p.$ref === 'string' ? (get(doc, p.$ref) as JsonObject) : p))
        .filter((p) => p.name === 'limit' || p.name === 'pageSize')
        .map((p) => [`${op.operationId} ${String(p.name)}`, p.schema as JsonObject] as const),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(sizes.filter(([, s]) => 'maximum' in s).map(([n]) => n)).toEqual([]);
  });
});

describe('R5: documented defaults are schema defaults, and only those', () => {
  it('every `default` in the spec is listed with its page or decision, and every listed one is there', () => {
    const defaults = new Map<string, Json>();
    const walk = (node: Json, pointer: string, parentKey: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, String(i)));
      if (!isObject(node)) return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'examples' || k === 'example' || k.startsWith('x-')) continue;
        // A `default` key of a responses map is a status, not a schema default.
        if (k === 'default' && parentKey !== 'responses') defaults.set(pointer, v);
        else walk(v, `${pointer}/${escapePointer(k)}`, k);
      }
    };
    walk(doc, '#', '');
    const backed = Object.fromEntries(Object.entries(fixture.defaults).map(([p, e]) => [p, e.value]));
    expect(unbacked(defaults, backed), FIX('defaults', 'defaults')).toEqual({ unbacked: [], stale: [] });
    for (const [pointer, entry] of Object.entries(fixture.defaults)) expect(entry.page ?? entry.decision, pointer).toBeTruthy();
  });
});

describe('R6: a gap both APIs share is filled the same way in both', () => {
  const response = (name: string): JsonObject => get(doc, `#/components/responses/${name}`) as JsonObject;
  const headerRequired = (name: string, header: string): boolean => {
    const h = (response(name).headers as JsonObject)[header] as JsonObject;
    // openapi-typescript types a $ref'd header as always present.
    return typeof h.$ref === 'string' || h.required === true;
  };

  it('Error.details is optional', () => {
    expect(get(doc, '#/components/schemas/Error/required')).not.toContain('details');
  });

  it('401 responses do not promise rate-limit headers, in either API', () => {
    for (const api of ['Partner', 'Organization']) {
      for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) expect(headerRequired(`${api}Unauthorized`, h), `${api} ${h}`).toBe(false);
    }
  });

  it('Retry-After is promised only where documented (Organization), declared in both', () => {
    expect(headerRequired('OrganizationTooManyRequests', 'Retry-After')).toBe(true);
    expect(headerRequired('PartnerTooManyRequests', 'Retry-After')).toBe(false);
  });

  it('key creation with an expiry that is not in the future is a 422 in both APIs', () => {
    for (const id of ['createPartnerApiKey', 'createOrganizationApiKey']) {
      const op = ops.find((o) => o.operationId === id)!;
      expect(Object.keys(op.op.responses as JsonObject), id).toContain('422');
      expect(String(op.op.description), id).toMatch(/422.*expiresAt|expiresAt.*422/s);
    }
  });
});

describe('findings of the second audit stay fixed (issue 19)', () => {
  it('both APIs take a date or a date-time for their date filters, each branch typed', () => {
    const filter = (name: string): Json => get(doc, `#/components/schemas/${name}`);
    const partner = filter('PartnerDateFilter') as JsonObject;
    const organization = filter('OrganizationDateFilter') as JsonObject;
    expect(partner.anyOf).toEqual([
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ]);
    expect(organization.anyOf).toEqual(partner.anyOf);
    for (const name of ['OrganizationFrom', 'OrganizationTo']) {
      expect((get(doc, `#/components/parameters/${name}`) as JsonObject).schema).toEqual({ $ref: '#/components/schemas/OrganizationDateFilter' });
    }
  });

  it('every Organization operation that takes a body declares 422 (the overview lists it)', () => {
    const missing = ops.filter((o) => o.api === 'organization' && o.hasRequestBody && !('422' in (o.op.responses as JsonObject))).map((o) => o.operationId);
    expect(missing).toEqual([]);
  });

  it('webhook signatures are hexadecimal of either case', () => {
    for (const [name, item] of Object.entries(doc.webhooks as JsonObject)) {
      const params = ((item as JsonObject).post as JsonObject).parameters as JsonObject[];
      const signature = params.find((p) => p.name === 'X-Bullseye-Signature')!;
      expect((signature.schema as JsonObject).pattern, name).toBe('^[0-9a-fA-F]{64}$');
    }
  });

  it('the Partner webhook payloads are components, referenced by their webhooks', () => {
    const schema = (name: string) => (((((doc.webhooks as JsonObject)[name] as JsonObject).post as JsonObject).requestBody as JsonObject).content as JsonObject)['application/json'] as JsonObject;
    expect(schema('partner.identification').schema).toEqual({ $ref: '#/components/schemas/PartnerIdentificationEvent' });
    expect(schema('partner.billing').schema).toEqual({ $ref: '#/components/schemas/PartnerBillingEvent' });
  });

  it('key expiry dates in our examples lie at least five years ahead; printed docs examples stay verbatim', () => {
    const soon = Date.now() + 5 * 365 * 24 * 3600 * 1000;
    const found: string[] = [];
    const walk = (node: Json, pointer: string, inExample: string | undefined): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, inExample));
      if (!isObject(node)) return;
      for (const [k, v] of Object.entries(node)) {
        const here = `${pointer}/${escapePointer(k)}`;
        if (inExample === undefined && /\/examples$/.test(pointer) && isObject(v)) walk(v, here, k);
        else if (inExample !== undefined && k === 'expiresAt' && typeof v === 'string' && !inExample.startsWith('docs') && /api-keys/.test(pointer)) {
          found.push(here);
          expect(Date.parse(v), `${here} = ${v}`).toBeGreaterThan(soon);
        } else walk(v, here, inExample);
      }
    };
    walk(doc, '#', undefined);
    expect(found.length).toBeGreaterThanOrEqual(5);
  });

  it('the 403 example printed in the docs is kept verbatim beside ours, which names the scope', () => {
    const forbidden = Object.entries((doc.components as JsonObject).responses as JsonObject).filter(([n]) => n.startsWith('PartnerForbidden'));
    expect(forbidden.length).toBeGreaterThan(0);
    for (const [name, response] of forbidden) {
      const examples = (((response as JsonObject).content as JsonObject)['application/json'] as JsonObject).examples as JsonObject;
      expect((examples.docsPartnerApi1 as JsonObject).value, name).toEqual({ code: 'error_code', message: 'Human-readable error message', details: {} });
      expect(((examples.Forbidden as JsonObject).value as JsonObject).details, name).toHaveProperty('requiredScope');
    }
  });
});

describe('planted regressions fail the checks (in-memory copies of the spec)', () => {
  const mutate = (edit: (copy: JsonObject) => void): JsonObject => {
    const copy = structuredClone(doc);
    edit(copy);
    return copy;
  };
  const at = (copy: JsonObject, pointer: string): JsonObject => get(copy, pointer) as JsonObject;

  it('a designed required field in a response', () => {
    const planted = mutate((c) => {
      at(c, '#/components/schemas/PartnerOrganizationDetail').required = ['id'];
    });
    const r = checkGapRule(planted, fixture).required.unbacked;
    expect(r).toEqual(expect.arrayContaining([expect.stringMatching(/^getPartnerOrganization 200 application\/json: #\/components\/schemas\/PartnerOrganizationDetail = \["id"\]/)]));
  });

  it('a documented required list reused in a response the docs do not print', () => {
    const planted = mutate((c) => {
      at(c, '#/components/schemas/PartnerOrganizationResponse/properties').organization = { $ref: '#/components/schemas/PartnerOrganization' };
    });
    const r = checkGapRule(planted, fixture).required.unbacked;
    expect(r).toEqual(expect.arrayContaining([expect.stringMatching(/^createPartnerOrganization 201 .*PartnerOrganization = .*not for this response/)]));
  });

  it('a minimum on a response field, and one on a response header', () => {
    const planted = mutate((c) => {
      at(c, '#/components/schemas/PartnerBilling/properties/creditPoolTotal').minimum = 0;
      at(c, '#/components/headers/X-RateLimit-Limit/schema').minimum = 0;
    });
    const r = checkGapRule(planted, fixture).constraints.unbacked;
    expect(r).toEqual(expect.arrayContaining([expect.stringMatching(/^getPartnerBilling 200 application\/json: .*creditPoolTotal\/minimum = 0$/)]));
    expect(r).toEqual(expect.arrayContaining([expect.stringMatching(/ header X-RateLimit-Limit: #\/components\/headers\/X-RateLimit-Limit\/schema\/minimum = 0$/)]));
  });

  it('a const on a webhook payload', () => {
    const planted = mutate((c) => {
      at(c, '#/components/schemas/PartnerIdentificationEvent/properties/event').const = 'visitor.identified';
    });
    expect(checkGapRule(planted, fixture).constraints.unbacked).toEqual([
      'webhook partner.identification application/json: #/components/schemas/PartnerIdentificationEvent/properties/event/const = "visitor.identified"',
    ]);
  });

  it('a pattern on a lookup path parameter', () => {
    const planted = mutate((c) => {
      at(c, '#/components/parameters/OrganizationIcpSlug/schema').pattern = '^[a-z0-9]+(-[a-z0-9]+)*$';
    });
    const r = checkGapRule(planted, fixture).lookupPatterns;
    expect(r).toEqual(expect.arrayContaining([expect.stringMatching(/^getOrganizationIcpConfig \{slug\}: pattern/)]));
  });

  it('a documented label on an operation whose status is designed', () => {
    expect(provenanceViolations(doc, provenance)).toEqual([]);
    const planted = mutate((c) => {
      const op = ops.find((o) => o.operationId === 'createPartnerApiKey')!;
      at(c, op.pointer)['x-provenance'] = 'documented';
    });
    const withEntry: ProvenanceFixture = {
      documented: {
        ...provenance.documented,
        // Even with pages for request and response, the designed 201 and 422 are not backed.
        createPartnerApiKey: { request: 'partner-api/api-keys.md', response: 'partner-api/api-keys.md', statuses: {} },
      },
    };
    expect(provenanceViolations(planted, provenance)).toEqual([expect.stringMatching(/^createPartnerApiKey is documented but the fixture names no docs page/)]);
    expect(provenanceViolations(planted, withEntry)).toEqual([
      expect.stringMatching(/^createPartnerApiKey: status 201 is declared but no docs page states it/),
      expect.stringMatching(/^createPartnerApiKey: status 422 is declared but no docs page states it/),
    ]);
  });
});
