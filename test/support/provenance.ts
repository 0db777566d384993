// Provenance that never over-claims (openapi/DECISIONS.md, D11): an operation marked `documented`
// must name, in test/spec/fixtures/provenance.yaml, the docs page of its request, of each status it
// declares beyond the shared error responses, and of its response fields. Anything less is
// `partial`. A checker over a whole document, so tests can run it on mutated copies too.
import { operations, type JsonObject } from './spec.js';

export interface ProvenanceFixture {
  documented: Record<string, { request: string; statuses: Record<string, string>; response: string }>;
}

/** A docs page reference: `<section>/<page>.md`, optionally followed by what it shows. */
const PAGE = /^[a-z][a-z-]*\/[a-z0-9][a-z0-9-]*\.md\b/;

/** Statuses every operation answers through its API's shared response, documented by the overviews (D3). */
const SHARED = /^#\/components\/responses\/(Partner|Organization)(BadRequest|Unauthorized|Forbidden[A-Za-z]*|NotFound|TooManyRequests|InternalError)$/;

export function provenanceViolations(doc: JsonObject, fixture: ProvenanceFixture): string[] {
  const problems: string[] = [];
  const ops = operations(doc);
  for (const op of ops) {
    if (op.op['x-provenance'] !== 'documented') continue;
    const entry = fixture.documented[op.operationId];
    if (!entry) {
      problems.push(`${op.operationId} is documented but the fixture names no docs page for it: mark it partial or add the pages`);
      continue;
    }
    for (const part of ['request', 'response'] as const) {
      if (typeof entry[part] !== 'string' || !PAGE.test(entry[part])) problems.push(`${op.operationId}: no docs page for its ${part}`);
    }
    const responses = (op.op.responses ?? {}) as JsonObject;
    for (const [status, raw] of Object.entries(responses)) {
      const ref = typeof (raw as JsonObject | null)?.$ref === 'string' ? String((raw as JsonObject).$ref) : '';
      // The bundle may rename a shared 403 per scope (`PartnerForbiddenAdmin`); it is still shared.
      if (/^[45]\d\d$/.test(status) && status !== '422' && SHARED.test(ref)) continue;
      const page = entry.statuses?.[status];
      if (typeof page !== 'string' || !PAGE.test(page)) problems.push(`${op.operationId}: status ${status} is declared but no docs page states it (designed statuses make an operation partial)`);
    }
    for (const status of Object.keys(entry.statuses ?? {})) {
      if (!(status in responses)) problems.push(`${op.operationId}: the fixture names status ${status}, which the operation does not declare`);
    }
  }
  const known = new Map(ops.map((o) => [o.operationId, o.op['x-provenance']]));
  for (const id of Object.keys(fixture.documented)) {
    if (!known.has(id)) problems.push(`fixture entry ${id}: no such operation`);
    else if (known.get(id) !== 'documented') problems.push(`fixture entry ${id}: the operation is ${String(known.get(id))}, not documented`);
  }
  return problems;
}
