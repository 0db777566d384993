// What an integrator writes with `@bullseye/api/testing`: MSW's setupServer with the kit's handlers,
// the SDK under test calling them in process (unhandled requests are errors, so nothing leaves the
// process). Expected values are read here from the bundled spec, independently of the kit.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  constructWebhookEvent,
  createOrganizationClient,
  createPartnerClient,
  NotFoundError,
  PermissionError,
  RateLimitError,
  unwrap,
  type OrganizationClient,
  type PartnerClient,
} from '../../src/index.js';
import {
  bullseyeHandlers,
  forbidden,
  networkError,
  notFound,
  organizationHttp,
  partnerHttp,
  rateLimited,
  signedWebhook,
  unauthorized,
  webhookExample,
} from '../../src/testing/index.js';
import { deref, loadSpec, operations, type JsonObject } from '../support/spec.js';

const doc = loadSpec();
const ops = operations(doc);
const server = setupServer(...bullseyeHandlers());

const noRetry = { maxRetries: 0 };
let partner: PartnerClient;
let organization: OrganizationClient;

// Clients are made once MSW is listening: the SDK takes the global fetch when a client is created.
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  partner = createPartnerClient({ apiKey: 'pk_test_kit', ...noRetry });
  organization = createOrganizationClient({ apiKey: 'bsk_live_0123456789abcdef0123456789abcdef', ...noRetry });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Call = (m: string, p: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const callOf = (api: 'partner' | 'organization'): Call => (api === 'partner' ? partner.request : organization.request) as unknown as Call;

function expectedExample(op: (typeof ops)[number]): unknown {
  const response = deref(doc, (op.op.responses as JsonObject)[String(op.successStatus)]!, '').node as JsonObject;
  const content = (response.content ?? {}) as JsonObject;
  const media = (content['application/json'] ?? Object.values(content)[0]) as JsonObject | undefined;
  const examples = media?.examples as JsonObject | undefined;
  return examples ? (deref(doc, Object.values(examples)[0]!, '').node as JsonObject).value : undefined;
}

/** Values for the operation's path parameters (any value matches a handler). */
function pathParams(path: string): Record<string, string> {
  return Object.fromEntries([...path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, 'id_123']));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('bullseyeHandlers: every operation answers its first example', () => {
  it.each(ops.map((o) => [o.operationId, o] as const))('%s', async (_id, op) => {
    const content = (deref(doc, (op.op.responses as JsonObject)[String(op.successStatus)]!, '').node as JsonObject).content as JsonObject | undefined;
    const mediaType = content && (Object.keys(content).includes('application/json') ? 'application/json' : Object.keys(content)[0]);
    const parseAs = mediaType && mediaType !== 'application/json' ? 'text' : 'json';
    const { data, response } = await callOf(op.api)(op.method.toUpperCase(), op.path, { params: { path: pathParams(op.path) }, parseAs });
    expect(response.status).toBe(op.successStatus);
    expect(data).toEqual(expectedExample(op));
    if (mediaType) expect(response.headers.get('Content-Type')).toContain(mediaType);
    if (op.successStatus !== 204) expect(response.headers.get('X-RateLimit-Limit')).toMatch(/^\d+$/);
  });
});

describe('failure helpers', () => {
  it('unauthorized: 401 with the API example, an AuthenticationError in the SDK', async () => {
    server.use(unauthorized('getPartner'));
    const err = await rejection(unwrap(partner.GET('/partner/me')));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'Unauthorized' });
  });

  it('forbidden: 403 naming the scope of the operation, in both APIs', async () => {
    server.use(forbidden('createPartnerOrganization'));
    const err = await rejection(unwrap(partner.POST('/partner/organizations', { body: { name: 'Acme' } })));
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ status: 403, code: 'Forbidden', details: { requiredScope: 'write' }, requiredScopes: ['write'] });
    expect((err as Error).message).toContain('`write`');

    const adminOp = ops.find((o) => o.api === 'organization' && o.scopes.includes('admin') && o.method === 'get')!;
    server.use(forbidden(adminOp.operationId as never));
    const orgErr = await rejection(unwrap(callOf('organization')('GET', adminOp.path, { params: { path: pathParams(adminOp.path) } })));
    expect(orgErr).toMatchObject({ status: 403, code: 'insufficient_scope', details: { requiredScope: 'admin' } });
  });

  it('notFound: 404 even for an operation that does not list one', async () => {
    server.use(notFound('getPartnerOrganization'));
    const err = await rejection(unwrap(partner.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: 'missing' } } })));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 404, code: 'NotFound' });
  });

  it('rateLimited: 429 with Retry-After and the rate-limit headers', async () => {
    server.use(rateLimited('listPartnerOrganizations', { retryAfter: 7, limit: 500, reset: 1_800_000_000 }));
    const { response } = await partner.GET('/partner/organizations');
    expect(response.status).toBe(429);
    expect(Object.fromEntries(['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'Retry-After': '7',
      'X-RateLimit-Limit': '500',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1800000000',
    });
    const err = await rejection(unwrap(partner.GET('/partner/organizations')));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'TooManyRequests', rateLimit: { limit: 500, remaining: 0 } });
  });

  it('rateLimited once: the SDK waits Retry-After, retries and gets the example', async () => {
    server.use(rateLimited('listPartnerOrganizations', { retryAfter: 0, once: true }));
    const retrying = createPartnerClient({ apiKey: 'pk_test_kit', maxRetries: 1 });
    const op = ops.find((o) => o.operationId === 'listPartnerOrganizations')!;
    expect(await unwrap(retrying.GET('/partner/organizations'))).toEqual(expectedExample(op));
  });

  it('networkError: no response at all, a ConnectionError in the SDK', async () => {
    server.use(networkError('getPartner'));
    const err = await rejection(unwrap(partner.GET('/partner/me')));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ status: undefined });
  });

  it('helpers honour the base URL the SDK is given', async () => {
    const baseUrl = 'https://bullseye.test/api/v1';
    // server.use puts the handlers given first in front: the failure goes before the defaults.
    server.use(unauthorized('getPartner', { baseUrl }), ...bullseyeHandlers({ baseUrl }));
    const local = createPartnerClient({ apiKey: 'pk_test_kit', baseUrl, ...noRetry });
    expect(await rejection(unwrap(local.GET('/partner/me')))).toBeInstanceOf(AuthenticationError);
    const { response } = await local.GET('/partner/organizations');
    expect(response.status).toBe(200);
  });

  it('refuses an operationId the spec does not have', () => {
    expect(() => forbidden('noSuchOperation' as never)).toThrow(/the spec has no API operation noSuchOperation/);
  });
});

describe('typed handlers for a test of its own', () => {
  it('partnerHttp / organizationHttp answer with the typed response helper', async () => {
    server.use(
      partnerHttp().get('/partner/organizations/{organizationId}', ({ params, response }) =>
        response(404).json({ code: 'NotFound', message: `No organization ${params.organizationId}`, details: {} }),
      ),
    );
    const err = await rejection(unwrap(partner.GET('/partner/organizations/{organizationId}', { params: { path: { organizationId: 'org_9' } } })));
    expect(err).toMatchObject({ status: 404, message: expect.stringContaining('No organization org_9') });

    // Paths of the other API are not offered by each API's handlers.
    // @ts-expect-error an Organization API path on the Partner API's handlers
    expect(() => partnerHttp().get('/companies', () => new Response())).not.toThrow();
    expect(typeof organizationHttp().get).toBe('function');
  });
});

describe('signedWebhook', () => {
  it('signs the spec example of each event so the SDK verifies it', async () => {
    for (const event of Object.keys(doc.webhooks as object) as (keyof typeof doc.webhooks & string)[]) {
      const delivery = await signedWebhook(event as never, 'whsec_kit');
      expect(delivery.headers['X-Bullseye-Signature']).toBe(delivery.signature);
      expect(await constructWebhookEvent(delivery.body, delivery.signature, 'whsec_kit')).toEqual(webhookExample(event as never));
      await expect(constructWebhookEvent(delivery.body, delivery.signature, 'another')).rejects.toMatchObject({ code: 'webhook_signature_invalid' });
    }
  });

  it('signs a given payload exactly', async () => {
    const payload = { ...webhookExample('partner.billing'), timestamp: '2026-03-01T00:00:00Z' };
    const delivery = await signedWebhook('partner.billing', 'whsec_kit', payload);
    expect(JSON.parse(delivery.body)).toEqual(payload);
  });
});
