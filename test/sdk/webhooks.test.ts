// Webhook signatures: HMAC-SHA256 hex of the raw body, checked against node:crypto independently.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_SIGNATURE_HEADER,
  WebhookVerificationError,
  constructWebhookEvent,
  signWebhookPayload,
  verifyWebhookSignature,
} from '../../src/index.js';
import { expectNoKey, rejectionOf } from './support/helpers.js';

const SECRET = 'whsec_your_webhook_secret';
const EVENT = {
  event: 'visitor.identified',
  timestamp: '2026-02-27T10:30:12Z',
  organization_id: 'org_abc123',
  session_id: 'sess_9f8e7d6c5b4a',
  visitor: { email: 'jane@stripe.com', first_name: 'Jane' },
  company: { name: 'Stripe' },
  session: { landing_page: '/pricing' },
};
const BODY = JSON.stringify(EVENT);
const reference = (body: string, secret = SECRET): string => createHmac('sha256', secret).update(body).digest('hex');

describe('signWebhookPayload', () => {
  it('produces the hex HMAC-SHA256 of the exact body, and the headers to send', async () => {
    const signed = await signWebhookPayload(EVENT, SECRET);
    expect(signed.body).toBe(BODY);
    expect(signed.signature).toBe(reference(BODY));
    expect(signed.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.headers).toEqual({ 'Content-Type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signed.signature });
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('X-Bullseye-Signature');
  });

  it('signs a string body as is (no re-serialisation)', async () => {
    const raw = '{ "event" : "visitor.identified" }';
    expect((await signWebhookPayload(raw, SECRET)).signature).toBe(reference(raw));
  });
});

describe('verifyWebhookSignature', () => {
  const good = reference(BODY);

  it('accepts the right signature for string, Uint8Array and ArrayBuffer bodies, in either hex case', async () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(await verifyWebhookSignature(BODY, good, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(bytes, good, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(bytes.buffer.slice(0), good, SECRET)).toBe(true);
    expect(await verifyWebhookSignature(BODY, good.toUpperCase(), SECRET)).toBe(true);
  });

  it('rejects a tampered body', async () => {
    expect(await verifyWebhookSignature(BODY.replace('Jane', 'John'), good, SECRET)).toBe(false);
    expect(await verifyWebhookSignature(`${BODY} `, good, SECRET)).toBe(false);
    expect(await verifyWebhookSignature(JSON.stringify(JSON.parse(BODY), null, 2), good, SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', async () => {
    expect(await verifyWebhookSignature(BODY, reference(BODY, 'whsec_other'), SECRET)).toBe(false);
    expect(await verifyWebhookSignature(BODY, good, 'whsec_other')).toBe(false);
  });

  it('rejects wrong-length, non-hex, empty and missing signatures without throwing', async () => {
    for (const sig of [good.slice(0, 63), good.slice(0, 62), `${good}00`, good.slice(0, 32), 'zz'.repeat(32), '', 'sha256', undefined, null]) {
      expect(await verifyWebhookSignature(BODY, sig, SECRET), String(sig)).toBe(false);
    }
  });

  it('rejects everything when the secret is empty', async () => {
    expect(await verifyWebhookSignature(BODY, reference(BODY, ''), '')).toBe(false);
  });
});

describe('constructWebhookEvent', () => {
  it('returns the typed payload of a correctly signed delivery', async () => {
    const signed = await signWebhookPayload(EVENT, SECRET);
    const event = await constructWebhookEvent(signed.body, signed.signature, SECRET);
    expect(event).toEqual(EVENT);
    expect(event.event).toBe('visitor.identified');
  });

  it('throws WebhookVerificationError with a clear code for each failure', async () => {
    const signed = await signWebhookPayload(EVENT, SECRET);
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => constructWebhookEvent(signed.body, undefined, SECRET), 'webhook_signature_missing'],
      [() => constructWebhookEvent(signed.body, '  ', SECRET), 'webhook_signature_missing'],
      [() => constructWebhookEvent(signed.body, signed.signature, ''), 'webhook_secret_missing'],
      [() => constructWebhookEvent(signed.body.replace('Stripe', 'Stripe Inc'), signed.signature, SECRET), 'webhook_signature_invalid'],
      [() => constructWebhookEvent(signed.body, reference(signed.body, 'whsec_wrong'), SECRET), 'webhook_signature_invalid'],
      [() => constructWebhookEvent(signed.body, signed.signature.slice(2), SECRET), 'webhook_signature_invalid'],
    ];
    for (const [promise, code] of cases) {
      const err = await rejectionOf(promise());
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect((err as WebhookVerificationError).code).toBe(code);
      expectNoKey(err, [SECRET, signed.signature]);
    }
  });

  it('rejects a correctly signed body that is not a JSON object', async () => {
    for (const body of ['not json', '[1,2]', 'null']) {
      const signed = await signWebhookPayload(body, SECRET);
      const err = await rejectionOf(constructWebhookEvent(signed.body, signed.signature, SECRET));
      expect(err).toMatchObject({ code: 'webhook_payload_invalid' });
    }
  });

  it('checks the event: an unknown event is a distinct typed error holding the verified payload', async () => {
    for (const payload of [{ event: 'totally.unknown' }, { ...EVENT, event: 'visitor.identifed' }, { timestamp: EVENT.timestamp }, { event: 42 }]) {
      const signed = await signWebhookPayload(payload, SECRET);
      const err = await rejectionOf(constructWebhookEvent(signed.body, signed.signature, SECRET));
      expect(err).toBeInstanceOf(WebhookVerificationError);
      expect(err).toMatchObject({ code: 'webhook_event_unknown' });
      expect((err as WebhookVerificationError).payload).toEqual(payload);
      // The payload stays out of logs: it is not enumerable.
      expect(JSON.stringify(err)).not.toContain('timestamp');
    }
  });

  it('holds a known event to the fields of at least one webhook that sends it', async () => {
    // `visitor.identified` is sent by the organization webhook (which requires `session`) and by the
    // designed Partner identification webhook (which requires nothing, D10): a delivery without
    // `session` may be the Partner one, so it is accepted as it is, not refused.
    const { session: _session, ...withoutSession } = EVENT;
    const signed = await signWebhookPayload(withoutSession, SECRET);
    await expect(constructWebhookEvent(signed.body, signed.signature, SECRET)).resolves.toEqual(withoutSession);
  });

  it('recognises each webhook of the spec: the Partner identification and billing deliveries too', async () => {
    const identification = { ...EVENT, partner_id: 'ptn_1', external_id: 'crm-1', credits_used: 1 };
    const billing = { event: 'credits.low', timestamp: EVENT.timestamp, partner_id: 'ptn_1', organization_id: 'org_1', external_id: null, credit_pool: {}, organization_credits: {} };
    for (const payload of [identification, billing]) {
      const signed = await signWebhookPayload(payload, SECRET);
      expect(await constructWebhookEvent(signed.body, signed.signature, SECRET)).toEqual(payload);
    }
  });
});
