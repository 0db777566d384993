// Webhook signatures: `X-Bullseye-Signature` is the hex HMAC-SHA256 of the raw request body keyed
// with the webhook secret. Web Crypto only, so this runs in Node, browsers, Deno, Bun and edge.
import { webhooks as WEBHOOKS } from '../../generated/operations.js';
import type { webhooks } from '../../generated/schema.js';
import { BullseyeError } from './errors.js';

/** Why a delivery was rejected by `constructWebhookEvent`. */
export type WebhookErrorCode =
  | 'webhook_secret_missing'
  | 'webhook_body_not_raw'
  | 'webhook_signature_missing'
  | 'webhook_signature_invalid'
  | 'webhook_payload_invalid'
  | 'webhook_timestamp_outside_tolerance'
  | 'webhook_event_unknown';

/**
 * Thrown by `constructWebhookEvent` when a delivery cannot be trusted or read, or (code
 * `webhook_event_unknown`, signature valid) when its `event` is not one the spec declares: answer it
 * with a 2xx and ignore it, or log it; `payload` holds the verified body.
 */
export class WebhookVerificationError extends BullseyeError {
  static {
    this.prototype.name = 'WebhookVerificationError';
  }

  declare readonly code: WebhookErrorCode;
  /** The verified body, for `webhook_event_unknown` only. */
  declare readonly payload: Record<string, unknown> | undefined;
  constructor(code: WebhookErrorCode, message: string, payload?: Record<string, unknown>) {
    super({ code, message });
    Object.defineProperty(this, 'payload', { value: payload });
  }
}

/** Header that carries the signature of a webhook delivery. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Bullseye-Signature';

/**
 * The raw body of a delivery, exactly as received (before any JSON parsing): a string, or bytes
 * (`Buffer`, any typed array or `DataView`, `ArrayBuffer`). Anything else, such as the object a JSON
 * body parser made, throws `WebhookVerificationError` with code `webhook_body_not_raw`.
 */
export type WebhookBody = string | ArrayBuffer | ArrayBufferView;

/** Options of `constructWebhookEvent`. */
export interface WebhookVerifyOptions {
  /**
   * Refuse a delivery whose `timestamp` is further than this many seconds from now (a replayed
   * delivery). Off by default: the docs do not say whether a retried delivery keeps its original
   * timestamp, so a tolerance could refuse genuine retries (see docs/webhooks.md).
   */
  toleranceSeconds?: number;
  /** The current time, for the tolerance check (default: now). */
  now?: Date | number;
}

type PayloadOf<W> = W extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;

/** Names of the webhooks declared in the spec. */
export type WebhookName = keyof webhooks & string;

/** The payload of one webhook of the spec (all of them by default). */
export type WebhookPayload<K extends WebhookName = WebhookName> = PayloadOf<webhooks[K]>;

/** A verified webhook delivery: the payload of one of the spec's webhooks, told apart by its `event` field. */
export type WebhookEvent = [WebhookPayload] extends [never] ? Record<string, unknown> : WebhookPayload;

const encoder = new TextEncoder();

function bytesOf(body: WebhookBody): Uint8Array {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // A view's own bytes (a Uint16Array or a DataView is not a list of byte values).
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const what = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object (a parsed body?)' : typeof body;
  throw new WebhookVerificationError(
    'webhook_body_not_raw',
    `The webhook body given is ${what}: pass the raw body, the string or bytes exactly as received, before any JSON parsing (e.g. express.raw({ type: 'application/json' }))`,
  );
}

function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new BullseyeError({ code: 'crypto_unavailable', message: 'Web Crypto (crypto.subtle) is not available in this runtime' });
  return s;
}

async function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

// A copy in a fresh ArrayBuffer: Web Crypto's types (and some runtimes) want exactly that.
function buffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/**
 * Checks the `X-Bullseye-Signature` of a delivery. The comparison is Web Crypto's HMAC verify,
 * which takes the same time wherever the signatures differ. A missing, malformed or wrong-length
 * signature is simply `false`.
 *
 * @param rawBody - the request body exactly as received (not re-serialised JSON)
 * @param signature - the `X-Bullseye-Signature` header value (hex)
 * @param secret - the webhook secret configured for the endpoint
 */
export async function verifyWebhookSignature(rawBody: WebhookBody, signature: string | null | undefined, secret: string): Promise<boolean> {
  const bytes = bytesOf(rawBody);
  if (!secret || typeof signature !== 'string') return false;
  const expected = hexToBytes(signature.trim());
  if (!expected || expected.length !== 32) return false;
  const key = await hmacKey(secret, 'verify');
  return subtle().verify('HMAC', key, buffer(expected), buffer(bytes));
}

/**
 * Verifies a delivery and returns its parsed payload, typed from the spec's webhooks: its `event`
 * is one the spec declares and it carries every field the spec requires of that event.
 *
 * @throws {@link WebhookVerificationError} when the body is not raw (`webhook_body_not_raw`), the
 * secret or signature is missing, the signature does not match, the body is not a JSON object or a
 * required field is missing or of the wrong type (`webhook_payload_invalid`), its `timestamp` is
 * outside `options.toleranceSeconds` (`webhook_timestamp_outside_tolerance`), or its `event` is
 * unknown (`webhook_event_unknown`, with `payload`).
 * @example
 * const event = await constructWebhookEvent(rawBody, req.headers['x-bullseye-signature'], secret);
 */
export async function constructWebhookEvent(
  rawBody: WebhookBody,
  signature: string | null | undefined,
  secret: string,
  options: WebhookVerifyOptions = {},
): Promise<WebhookEvent> {
  const tolerance = options.toleranceSeconds;
  if (tolerance !== undefined && !(typeof tolerance === 'number' && tolerance >= 0 && Number.isFinite(tolerance))) {
    throw new BullseyeError({ code: 'configuration_error', message: 'toleranceSeconds must be a finite number of seconds, 0 or more' });
  }
  bytesOf(rawBody);
  if (!secret) throw new WebhookVerificationError('webhook_secret_missing', 'No webhook secret was given to verify the delivery with');
  if (typeof signature !== 'string' || signature.trim() === '') {
    throw new WebhookVerificationError('webhook_signature_missing', `The delivery has no ${WEBHOOK_SIGNATURE_HEADER} header`);
  }
  if (!(await verifyWebhookSignature(rawBody, signature, secret))) {
    throw new WebhookVerificationError(
      'webhook_signature_invalid',
      `The ${WEBHOOK_SIGNATURE_HEADER} header does not match the body: check the secret and that the raw, unparsed body is used`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(bytesOf(rawBody)));
  } catch {
    throw new WebhookVerificationError('webhook_payload_invalid', 'The signed delivery body is not valid JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new WebhookVerificationError('webhook_payload_invalid', 'The signed delivery body is not a JSON object');
  }
  const event = checkEvent(payload as Record<string, unknown>);
  if (tolerance !== undefined) checkTimestamp(payload as Record<string, unknown>, tolerance, options.now);
  return event;
}

function checkTimestamp(payload: Record<string, unknown>, toleranceSeconds: number, now: Date | number | undefined): void {
  const at = typeof payload.timestamp === 'string' ? Date.parse(payload.timestamp) : Number.NaN;
  if (Number.isNaN(at)) throw new WebhookVerificationError('webhook_payload_invalid', 'The delivery has no readable timestamp to check the tolerance against');
  const current = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  if (Math.abs(current - at) > toleranceSeconds * 1000) {
    throw new WebhookVerificationError(
      'webhook_timestamp_outside_tolerance',
      `The delivery's timestamp is ${Math.round(Math.abs(current - at) / 1000)} s from now, more than the ${toleranceSeconds} s tolerance (a replayed or delayed delivery)`,
    );
  }
}

type Shape = { events: readonly string[]; required: readonly string[]; types: Readonly<Record<string, readonly string[]>> };

/** Whether a value is of one of the JSON Schema types (`integer` counts as a `number` too). */
function hasType(value: unknown, types: readonly string[]): boolean {
  const t = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return types.some((want) => want === t || (want === 'integer' && typeof value === 'number' && Number.isInteger(value)));
}

/** The required fields a payload lacks, and the fields it holds with another type than the spec's (names only, never values). */
function problemsOf(payload: Record<string, unknown>, shape: Shape): string[] {
  const missing = shape.required.filter((f) => !Object.hasOwn(payload, f)).map((f) => `${f} is missing`);
  const mistyped = Object.entries(shape.types)
    .filter(([f, types]) => Object.hasOwn(payload, f) && !hasType(payload[f], types))
    .map(([f, types]) => `${f} must be ${types.join(' or ')}`);
  return [...missing, ...mistyped];
}

// The spec's webhooks by `event` value, the one with the most required fields first (a Partner
// identification delivery is an organization's `visitor.identified` plus the partner's fields).
const SHAPES = Object.values(WEBHOOKS as Record<string, Shape>).sort((a, b) => b.required.length - a.required.length);

/** A known `event` with every field the spec requires of it is that event; anything else is refused. */
function checkEvent(payload: Record<string, unknown>): WebhookEvent {
  const event = payload.event;
  const shapes = SHAPES.filter((s) => typeof event === 'string' && s.events.includes(event));
  if (!shapes.length) {
    throw new WebhookVerificationError(
      'webhook_event_unknown',
      `The delivery is signed but its event ${typeof event === 'string' ? JSON.stringify(event.slice(0, 100)) : 'field is missing'} is not one this SDK knows; acknowledge it and ignore it, or update the SDK`,
      payload,
    );
  }
  const problems = shapes.map((s) => problemsOf(payload, s));
  if (problems.some((p) => p.length === 0)) return payload as WebhookEvent;
  const fewest = problems.reduce((a, b) => (b.length < a.length ? b : a));
  throw new WebhookVerificationError('webhook_payload_invalid', `The ${String(event)} delivery does not have the fields the spec requires: ${fewest.join(', ')}`);
}

/** A signed delivery, ready to send to a webhook handler under test. */
export interface SignedWebhook {
  /** The exact body that was signed. */
  body: string;
  /** Hex HMAC-SHA256 of `body`. */
  signature: string;
  /** `Content-Type` and `X-Bullseye-Signature`, to spread into a request's headers. */
  headers: Record<string, string>;
}

/**
 * Signs a payload the way Bullseye does, for testing your own webhook endpoint.
 *
 * @param payload - an object (serialised with `JSON.stringify`) or an exact body string
 * @param secret - the webhook secret
 */
export async function signWebhookPayload(payload: string | object, secret: string): Promise<SignedWebhook> {
  if (!secret) throw new WebhookVerificationError('webhook_secret_missing', 'A webhook secret is required to sign a payload');
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const key = await hmacKey(secret, 'sign');
  const signature = toHex(await subtle().sign('HMAC', key, buffer(encoder.encode(body))));
  return { body, signature, headers: { 'Content-Type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signature } };
}
