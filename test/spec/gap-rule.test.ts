// The gap-filling rule (openapi/DECISIONS.md, D10), checked on the bundled spec: responses promise
// only what the docs state (required fields, closed enums, formats, patterns and maximums are each
// backed by a docs page in fixtures/gap-rule.yaml), the request rules the docs state are present,
// every schema default is a documented one (or a named decision), and the gaps both APIs share are
// filled the same way in both.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HTTP_METHODS as METHODS } from '../../scripts/lib/spec.js';
import { escapePointer, get, loadSpec, operations, type Json, type JsonObject } from '../support/spec.js';

interface Fixture {
  responseRequired: Record<string, { fields: string[]; page: string }>;
  closedResponseEnums: Record<string, { values: Json[]; page: string }>;
  documentedResponseConstraints: Record<string, { value: Json; page: string }>;
  documentedRequestRules: { pointer: string; keyword: string; equals?: Json; includes?: Json[]; page: string }[];
  defaults: Record<string, { value: Json; page?: string; decision?: string }>;
}

const fixture = parse(readFileSync(new URL('./fixtures/gap-rule.yaml', import.meta.url), 'utf8')) as Fixture;
const doc = loadSpec();
const ops = operations(doc);
const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Constraint keywords a response may carry only where the docs state them (R3). */
const CONSTRAINTS = ['format', 'pattern', 'maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;
/** ISO 8601 timestamps and dates are stated by both overviews for every such field. */
const ISO_FORMATS = new Set(['date-time', 'date']);

interface Found {
  closed: string[];
  required: Map<string, Json>;
  enums: Map<string, Json>;
  constraints: Map<string, Json>;
}

/** Every schema reachable from what the API sends: response bodies and headers, webhook payloads. */
function responseSide(): Found {
  const found: Found = { closed: [], required: new Map(), enums: new Map(), constraints: new Map() };
  const seen = new Set<string>();
  const visit = (node: Json | undefined, pointer: string): void => {
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string') {
      if (seen.has(node.$ref)) return;
      seen.add(node.$ref);
      visit(get(doc, node.$ref), node.$ref);
      return;
    }
    if (Array.isArray(node.required) && node.required.length > 0) found.required.set(pointer, node.required);
    if (node.additionalProperties === false || node.unevaluatedProperties === false) found.closed.push(pointer);
    if (Array.isArray(node.enum)) found.enums.set(pointer, node.enum);
    for (const k of CONSTRAINTS) {
      if (!(k in node)) continue;
      if (k === 'format' && ISO_FORMATS.has(String(node.format))) continue;
      found.constraints.set(`${pointer}/${k}`, node[k] as Json);
    }
    for (const [name, sub] of Object.entries(isObject(node.properties) ? node.properties : {})) visit(sub, `${pointer}/properties/${escapePointer(name)}`);
    for (const k of ['items', 'additionalProperties', 'not']) visit(node[k], `${pointer}/${k}`);
    for (const k of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
      const list = node[k];
      if (Array.isArray(list)) list.forEach((s, i) => visit(s, `${pointer}/${k}/${i}`));
    }
  };
  const follow = (node: Json | undefined, pointer: string): [JsonObject | undefined, string] =>
    isObject(node) && typeof node.$ref === 'string' ? [get(doc, node.$ref) as JsonObject, node.$ref] : [isObject(node) ? node : undefined, pointer];
  for (const op of ops) {
    for (const [status, raw] of Object.entries(op.op.responses as JsonObject)) {
      const [response, rp] = follow(raw, `${op.pointer}/responses/${status}`);
      for (const [media, m] of Object.entries((response?.content ?? {}) as JsonObject)) visit((m as JsonObject).schema, `${rp}/content/${escapePointer(media)}/schema`);
      for (const [name, h] of Object.entries((response?.headers ?? {}) as JsonObject)) {
        const [header, hp] = follow(h, `${rp}/headers/${escapePointer(name)}`);
        visit(header?.schema, `${hp}/schema`);
      }
    }
  }
  for (const [name, item] of Object.entries((doc.webhooks ?? {}) as JsonObject)) {
    for (const method of METHODS) {
      const op = (item as JsonObject)[method];
      if (!isObject(op)) continue;
      const content = (isObject(op.requestBody) ? op.requestBody.content : {}) as JsonObject;
      for (const [media, m] of Object.entries(content ?? {})) {
        visit((m as JsonObject).schema, `#/webhooks/${escapePointer(name)}/${method}/requestBody/content/${escapePointer(media)}/schema`);
      }
    }
  }
  return found;
}

const found = responseSide();

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

describe('R1: a response field is required only where the docs show it', () => {
  it('every required list of a response schema is backed by a docs page', () => {
    const backed = Object.fromEntries(Object.entries(fixture.responseRequired).map(([p, e]) => [p, e.fields as Json]));
    expect(found.required.size).toBeGreaterThan(20);
    expect(unbacked(found.required, backed), FIX('responseRequired', 'required lists')).toEqual({ unbacked: [], stale: [] });
  });

  it('no response object is closed: the server may add fields', () => {
    expect(found.closed).toEqual([]);
  });

  it('the paginated Organization responses require nothing (the docs say "typically")', () => {
    for (const name of ['CompanyPage', 'OrganizationVisitorPage', 'AgencySubOrganizationPage']) {
      expect(get(doc, `#/components/schemas/${name}`)).not.toHaveProperty('required');
    }
  });
});

describe('R2: response enums are closed only where the docs give the whole list', () => {
  it('every enum a response can carry is a documented complete list', () => {
    const backed = Object.fromEntries(Object.entries(fixture.closedResponseEnums).map(([p, e]) => [p, e.values]));
    expect(unbacked(found.enums, backed), FIX('closedResponseEnums', 'closed enums')).toEqual({ unbacked: [], stale: [] });
  });

  it('the partial and contradicted lists are open strings that still list the documented values', () => {
    const open: [string, string[]][] = [
      ['#/components/schemas/PartnerIcpConditionType', ['industry', 'company_size', 'employee_size_range']],
      ['#/components/schemas/PartnerBillingMode', ['pooled', 'credit_pool', 'external', 'usage_based']],
      ['#/components/schemas/PartnerBilling/properties/billingPeriod', ['monthly', 'annual', 'quarterly', 'annually']],
      ['#/components/schemas/PartnerOrganization/properties/billingPeriod', ['monthly', 'annual', 'quarterly', 'annually']],
    ];
    for (const [pointer, values] of open) {
      const schema = get(doc, pointer) as JsonObject;
      expect(schema, pointer).not.toHaveProperty('enum');
      expect(schema.type, pointer).toBe('string');
      expect(schema.examples, pointer).toEqual(expect.arrayContaining(values));
    }
  });
});

describe('R3: no format, pattern or maximum on a response unless the docs state it', () => {
  it('every response constraint is backed by a docs page (ISO 8601 dates and timestamps excepted)', () => {
    const backed = Object.fromEntries(Object.entries(fixture.documentedResponseConstraints).map(([p, e]) => [p, e.value]));
    expect(unbacked(found.constraints, backed), FIX('documentedResponseConstraints', 'constraints')).toEqual({ unbacked: [], stale: [] });
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
