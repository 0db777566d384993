// The sandbox-only controls do what their own OpenAPI document (packages/sandbox/sandbox-openapi.yaml)
// says: every operation there answers its success status with a body valid against that document,
// the prefix is one no API path uses, and a bad control request is an Error envelope.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONTROL_PREFIX, createSandbox } from '../../packages/sandbox/src/index.js';
import { loadSpec } from '../support/spec.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;
const doc = parse(readFileSync(path.resolve(import.meta.dirname, '../../packages/sandbox/sandbox-openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, any>>;
};
const ajv = new Ajv2020({ strict: false, validateSchema: false });
addFormats(ajv);
ajv.addSchema(doc, 'controls');

const EXAMPLE_PATH = { organizationId: 'org_abc123' };

describe('sandbox controls', () => {
  it('live under a prefix no API path uses', () => {
    const apiPaths = Object.keys((loadSpec().paths ?? {}) as object);
    expect(apiPaths.filter((p) => p === CONTROL_PREFIX || p.startsWith(`${CONTROL_PREFIX}/`))).toEqual([]);
    expect(Object.keys(doc.paths).every((p) => p.startsWith(`${CONTROL_PREFIX}/`))).toBe(true);
  });

  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      it(`${method.toUpperCase()} ${p} answers as documented`, async () => {
        const sb = createSandbox();
        try {
          const url = p.replace('{organizationId}', EXAMPLE_PATH.organizationId);
          const example = op.requestBody?.content?.['application/json']?.example;
          const res = await sb.handle({ method: method.toUpperCase(), url, headers: { 'content-type': 'application/json' }, body: example ? Buffer.from(JSON.stringify(example)) : undefined });
          const success = Object.keys(op.responses).find((s) => s.startsWith('2'))!;
          expect(res.status, res.body).toBe(Number(success));
          const pointer = `controls#/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${success}/content/application~1json/schema`;
          const validate = ajv.getSchema(pointer.split('/').map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/'))!;
          expect(validate(JSON.parse(res.body!)), JSON.stringify(validate.errors)).toBe(true);
        } finally {
          await sb.close();
        }
      });
    }
  }

  it('refuses bad control requests with an envelope', async () => {
    const sb = createSandbox();
    const call = async (method: string, url: string, body?: string) => {
      const r = await sb.handle({ method, url, headers: {}, body: body === undefined ? undefined : Buffer.from(body) });
      return { status: r.status, json: JSON.parse(r.body!) as { code: string; details: Record<string, unknown> } };
    };
    expect(await call('POST', '/_sandbox/clock/advance', '{"by":"soon"}')).toMatchObject({ status: 400, json: { details: { field: 'by' } } });
    expect(await call('POST', '/_sandbox/clock/advance', '[1]')).toMatchObject({ status: 400 });
    expect(await call('POST', '/_sandbox/organizations/org_nope/identify', '{}')).toMatchObject({ status: 404 });
    expect(await call('PUT', '/_sandbox/organizations/org_abc123/webhook', '{"url":"ftp://x"}')).toMatchObject({ status: 400, json: { details: { field: 'url' } } });
    expect(await call('GET', '/_sandbox/nothing')).toMatchObject({ status: 404 });
    // Identification needs credits on a Partner client organization: Globex is a trial with 250 and suspended.
    expect(await call('POST', '/_sandbox/organizations/2d4f8a1b-6c3e-4f5a-9b7d-8e1c0a2b3d4f/identify', '{}')).toMatchObject({ status: 422 });
    await sb.close();
  });
});
