// Properties of webhook signatures (`X-Bullseye-Signature`: hex HMAC-SHA256 of the raw body, keyed with
// the webhook secret). node:crypto is the independent oracle; the SDK's helpers are what is tested.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signWebhookPayload, verifyWebhookSignature } from '../../src/index.js';

const RUNS = 200;
const HEX = '0123456789abcdef';

const oracle = (body: Uint8Array | string, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');

const secrets = fc.string({ minLength: 1, maxLength: 64, unit: 'binary' });
const byteBodies = fc.uint8Array({ maxLength: 2048 });
const textBodies = fc.string({ maxLength: 512, unit: 'binary' });

/** The same bytes with exactly one byte changed (index and new value chosen by fast-check). */
const withOneByteChanged = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, delta]) => {
    const copy = Uint8Array.from(bytes);
    copy[i] = (copy[i]! + delta) % 256;
    return copy;
  });

/** A signature with one hex digit replaced by a different hex digit. */
const withOneHexDigitChanged = (sig: string): fc.Arbitrary<string> =>
  fc.tuple(fc.nat({ max: sig.length - 1 }), fc.integer({ min: 1, max: 15 })).map(([i, delta]) => {
    const digit = HEX[(HEX.indexOf(sig[i]!) + delta) % 16]!;
    return sig.slice(0, i) + digit + sig.slice(i + 1);
  });

/** A signature with one character replaced by any other byte (hex or not). */
const withOneCharReplaced = (sig: string): fc.Arbitrary<string> =>
  fc.tuple(fc.nat({ max: sig.length - 1 }), fc.integer({ min: 0x20, max: 0x7e })).filter(([i, c]) => sig.charCodeAt(i) !== c && String.fromCharCode(c).toLowerCase() !== sig[i]).map(([i, c]) => sig.slice(0, i) + String.fromCharCode(c) + sig.slice(i + 1));

describe('webhook signatures', () => {
  it('signWebhookPayload signs the exact body: hex HMAC-SHA256 of a string, or of JSON.stringify(object)', async () => {
    const payloads = fc.oneof(textBodies, fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })));
    await fc.assert(
      fc.asyncProperty(payloads, secrets, async (payload, secret) => {
        const expectedBody = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const signed = await signWebhookPayload(payload, secret);
        expect(signed.body).toBe(expectedBody);
        expect(signed.signature).toMatch(/^[0-9a-f]{64}$/);
        expect(signed.signature).toBe(oracle(expectedBody, secret));
        expect(signed.headers['X-Bullseye-Signature']).toBe(signed.signature);
        expect(await verifyWebhookSignature(signed.body, signed.signature, secret)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('a correct signature of a random body verifies (bytes and text)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteBodies, textBodies), secrets, async (body, secret) => {
        expect(await verifyWebhookSignature(body, oracle(body, secret), secret)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails when any one byte of the body changes', async () => {
    const cases = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 2048 }), secrets)
      .chain(([body, secret]) => withOneByteChanged(body).map((changed) => ({ body, changed, secret })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ body, changed, secret }) => {
        const sig = oracle(body, secret);
        expect(await verifyWebhookSignature(body, sig, secret)).toBe(true);
        expect(await verifyWebhookSignature(changed, sig, secret)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails when any one byte of the signature changes', async () => {
    const cases = fc
      .tuple(byteBodies, secrets)
      .chain(([body, secret]) => {
        const sig = oracle(body, secret);
        return fc.oneof(withOneHexDigitChanged(sig), withOneCharReplaced(sig)).map((changed) => ({ body, secret, changed }));
      });
    await fc.assert(
      fc.asyncProperty(cases, async ({ body, secret, changed }) => {
        expect(await verifyWebhookSignature(body, changed, secret)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails with another secret', async () => {
    const cases = fc.tuple(byteBodies, secrets, secrets).filter(([, a, b]) => a !== b);
    await fc.assert(
      fc.asyncProperty(cases, async ([body, secret, other]) => {
        expect(await verifyWebhookSignature(body, oracle(body, secret), other)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
