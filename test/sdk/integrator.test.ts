// What a new integrator writes from docs/sdk.md, run against the Prism mock of the bundled spec.
import { describe, expect, inject, it } from 'vitest';
import {
  RateLimitError,
  constructWebhookEvent,
  createOrganizationClient,
  createPartnerClient,
  getRateLimit,
  signWebhookPayload,
  unwrap,
} from '../../src/index.js';
import { ORG_KEY, PARTNER_KEY, expectNoKey, rejectionOf } from './support/helpers.js';

const baseUrl = inject('mockUrl');

describe('integrator walk-through against the mock', () => {
  it('lists organizations with paginate', async () => {
    const partner = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl });
    const names: string[] = [];
    for await (const organization of partner.paginate('/partner/organizations', { params: { query: { pageSize: 20 } } })) {
      names.push(organization.name);
    }
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => typeof n === 'string' && n.length > 0)).toBe(true);
    expect(partner.rateLimit?.limit).toBe(1000);
  });

  it('walks Organization API sub-organizations with paginate', async () => {
    const org = createOrganizationClient({ apiKey: ORG_KEY, baseUrl });
    const ids: string[] = [];
    for await (const sub of org.paginate('/agency/sub-organizations')) if (sub.id !== undefined) ids.push(sub.id);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('creates an API key', async () => {
    const partner = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl });
    const created = await unwrap(partner.POST('/partner/api-keys', { body: { name: 'Production Key', scopes: ['read', 'write'] } }));
    expect(created.plainKey).toMatch(/\S/);
    expect(created.apiKey.name).toBeTypeOf('string');
  });

  it('handles a 429 injected with Prefer: code=429', async () => {
    const partner = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl, retry: { maxWaitMs: 5_000 } });
    const { error, response } = await partner.GET('/partner/me', { headers: { Prefer: 'code=429' } });
    expect(response.status).toBe(429);
    expect(error?.code).toBeTypeOf('string');
    expect(getRateLimit(response)?.remaining).toBe(0);

    const noRetry = createPartnerClient({ apiKey: PARTNER_KEY, baseUrl, maxRetries: 0 });
    const err = await rejectionOf(unwrap(noRetry.GET('/partner/me', { headers: { Prefer: 'code=429' } })));
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((err as RateLimitError).operation?.operationId).toBe('getPartner');
    expectNoKey(err);
  });

  it('verifies a signed webhook', async () => {
    const secret = 'whsec_your_webhook_secret';
    const signed = await signWebhookPayload(
      {
        event: 'visitor.identified',
        timestamp: '2026-02-27T10:30:12Z',
        organization_id: 'org_abc123',
        session_id: 'sess_9f8e7d6c5b4a',
        visitor: { email: 'jane@stripe.com' },
        company: { name: 'Stripe' },
        session: { landing_page: '/pricing' },
      },
      secret,
    );
    const request = new Request('http://127.0.0.1/webhooks', { method: 'POST', headers: signed.headers, body: signed.body });
    const event = await constructWebhookEvent(await request.text(), request.headers.get('X-Bullseye-Signature'), secret);
    expect(event.event).toBe('visitor.identified');
  });
});
