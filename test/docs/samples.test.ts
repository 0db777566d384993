// The x-codeSamples of the bundled spec: every operation has a curl and a TypeScript sample, the
// samples use the operation's own examples, every TypeScript sample type-checks, and every sample
// (curl included) runs against the mock and gets the operation's documented success status.
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { deref, loadSpec, operations, type Json, type JsonObject, type Operation } from '../support/spec.js';
import { exec, PRODUCTION_BASE_URL, root, runModule, TEST_ENV, toMock, typecheck, writeModules } from './support.js';

interface CodeSample {
  lang: string;
  label?: string;
  source: string;
}

const doc = loadSpec();
const ops = operations(doc);
const mockUrl = inject('mockUrl');
const outDir = path.join(root, 'test-output', 'samples');

const samplesOf = (op: Operation): CodeSample[] => (op.op['x-codeSamples'] ?? []) as unknown as CodeSample[];
const sample = (op: Operation, lang: string): CodeSample | undefined => samplesOf(op).find((s) => s.lang.toLowerCase() === lang.toLowerCase());
const name = (op: Operation): string => `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;

function firstExample(media: JsonObject | undefined): Json | undefined {
  const examples = media?.examples as JsonObject | undefined;
  const first = examples ? Object.values(examples)[0] : undefined;
  if (first !== undefined) return (deref(doc, first, '').node as JsonObject).value;
  return media?.example;
}

let files = new Map<string, string>();
let diagnostics = '';

beforeAll(async () => {
  files = await writeModules(
    outDir,
    ops.filter((op) => sample(op, 'TypeScript')).map((op) => ({ name: op.operationId, source: toMock(sample(op, 'TypeScript')!.source, mockUrl) })),
  );
  diagnostics = await typecheck(outDir);
}, 240_000);

describe('x-codeSamples in generated/openapi.json', () => {
  it('the spec has operations to document', () => {
    expect(ops.length).toBeGreaterThan(0);
  });

  it.each(ops.map((op) => [name(op), op] as const))('%s has a curl and a TypeScript sample', (_n, op) => {
    const curl = sample(op, 'curl');
    const ts = sample(op, 'TypeScript');
    expect(curl?.source).toMatch(new RegExp(`^curl --request ${op.method.toUpperCase()} '${PRODUCTION_BASE_URL.replace(/[.]/g, '\\.')}/`));
    expect(ts?.source).toContain(`.${op.method.toUpperCase()}('${op.path}'`);
    const header = op.api === 'partner' ? 'X-Partner-API-Key: $BULLSEYE_PARTNER_API_KEY' : 'X-API-Key: $BULLSEYE_API_KEY';
    expect(curl?.source).toContain(header);
    expect(ts?.source).toContain(op.api === 'partner' ? 'createPartnerClient' : 'createOrganizationClient');
  });

  const withBody = ops.filter((op) => op.hasRequestBody);
  it.each(withBody.map((op) => [name(op), op] as const))('%s: the curl body is the first request example', (_n, op) => {
    const body = deref(doc, op.op.requestBody as Json, '').node as JsonObject;
    const media = (body.content as JsonObject)['application/json'] as JsonObject | undefined;
    const expected = firstExample(media);
    const data = /--data '([\s\S]*)'$/.exec(sample(op, 'curl')!.source)?.[1]?.replace(/'\\''/g, "'");
    expect(data, 'curl sample has a --data argument').toBeDefined();
    expect(JSON.parse(data!)).toEqual(expected);
  });
});

describe('TypeScript samples', () => {
  it('all type-check against the SDK (one tsc run)', () => {
    expect(files.size).toBe(ops.length);
    expect(diagnostics).toBe('');
  });

  it.each(ops.map((op) => [name(op), op] as const))('%s runs against the mock and gets its success status', async (_n, op) => {
    const file = files.get(op.operationId);
    expect(file).toBeDefined();
    const lines = await runModule(file!);
    expect(lines.length).toBe(1);
    expect(lines[0]?.[0]).toBe(op.successStatus);
  });
});

describe('curl samples', () => {
  it.each(ops.map((op) => [name(op), op] as const))('%s runs against the mock and gets its success status', async (_n, op) => {
    const command = `${toMock(sample(op, 'curl')!.source, mockUrl)} --silent --show-error --output /dev/null --write-out '%{http_code}'`;
    const r = await exec('sh', ['-c', command], { env: TEST_ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Number(r.stdout)).toBe(op.successStatus);
  });
});
