// Provenance never over-claims (openapi/DECISIONS.md, D11): every operation marked `documented` names
// the docs page of its request, of each status beyond the shared error responses and of its
// response in fixtures/provenance.yaml; webhooks carry provenance and the bundle's visible note too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { provenanceViolations, type ProvenanceFixture } from '../support/provenance.js';
import { loadSpec, operations, type JsonObject } from '../support/spec.js';

const fixture = parse(readFileSync(new URL('./fixtures/provenance.yaml', import.meta.url), 'utf8')) as ProvenanceFixture;
const doc = loadSpec();

describe('x-provenance', () => {
  it('every documented operation has its pages, and every declared status is documented', () => {
    expect(provenanceViolations(doc, fixture)).toEqual([]);
  });

  it('the operations over-claimed at 3.0.0 are partial, with their decisions', () => {
    const byId = new Map(operations(doc).map((o) => [o.operationId, o.op]));
    for (const [id, decision] of [['createPartnerApiKey', 'P-D3'], ['setPartnerDomain', 'P-D23'], ['createSubscriptionCheckout', 'OD20']] as const) {
      expect(byId.get(id)?.['x-provenance'], id).toBe('partial');
      expect(byId.get(id)?.['x-provenance-decision'], id).toBe(decision);
    }
  });

  it('counts: 12 documented, 45 partial, 24 inferred (DECISIONS D11)', () => {
    const counts: Record<string, number> = {};
    for (const o of operations(doc)) counts[String(o.op['x-provenance'])] = (counts[String(o.op['x-provenance'])] ?? 0) + 1;
    expect(counts).toEqual({ documented: 12, partial: 45, inferred: 24 });
    expect(readFileSync(new URL('../../openapi/DECISIONS.md', import.meta.url), 'utf8')).toMatch(/12 documented, 45 partial, 24 inferred/);
  });

  it('every webhook carries provenance and shows the same kind of note as a partial operation', () => {
    const hooks = Object.entries(doc.webhooks as JsonObject);
    expect(hooks).toHaveLength(3);
    for (const [name, item] of hooks) {
      const op = (item as JsonObject).post as JsonObject;
      expect(op['x-provenance'], name).toBe('partial');
      expect(op['x-provenance-decision'], name).toBe('OD24');
      // The decorator (scripts/redocly/provenance.js) writes the note while bundling.
      expect(String(op.description), name).toMatch(/^> \*\*Partly documented\.\*\* The public Bullseye docs confirm this webhook .*decision OD24 in openapi\/DECISIONS\.md/);
    }
  });
});
