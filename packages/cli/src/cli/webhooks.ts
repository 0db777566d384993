/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// `bullseye webhooks trigger` and `bullseye webhooks verify`: deliveries built from the spec's
// `webhooks` (their example payloads and schemas), signed and checked with the SDK's own webhook
// functions, so a receiver under development sees exactly what the API sends.
import { readFile } from 'node:fs/promises';
import { signWebhookPayload, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@bullseye/api';
import { escapePointer, firstExample, isObject, loadDocument, type JsonObject, type OpenApiDocument } from '@bullseye/api/spec';
import { specValidator } from '../openapi-validator.js';
import { CliError, type Io } from './io.js';

/** How long a receiver has to answer: the API waits 30 seconds before it counts a delivery as failed. */
export const DELIVERY_TIMEOUT_MS = 30_000;

export interface WebhookEventSpec {
  name: string;
  /** JSON pointer of the body schema inside the bundled document. */
  schemaPointer: string;
  example: unknown;
}

/** The webhooks the spec declares, with the body schema and first example of each. */
export function webhookEvents(doc: OpenApiDocument = loadDocument()): WebhookEventSpec[] {
  return Object.entries(doc.webhooks ?? {}).flatMap(([name, item]) => {
    const body = item.post?.requestBody as JsonObject | undefined;
    const media = isObject(body?.content) ? (body.content['application/json'] as JsonObject | undefined) : undefined;
    if (!media) return [];
    return [{ name, schemaPointer: `#/webhooks/${escapePointer(name)}/post/requestBody/content/application~1json/schema`, example: firstExample(doc, media) }];
  });
}

function findEvent(name: string, doc: OpenApiDocument): WebhookEventSpec {
  const events = webhookEvents(doc);
  const event = events.find((e) => e.name === name);
  if (!event) throw new CliError(`unknown event "${name}": the spec declares ${events.map((e) => e.name).join(', ')}`);
  return event;
}

/** Problems of `payload` against the event's schema, one short phrase each (empty when valid). */
export function validatePayload(event: WebhookEventSpec, payload: unknown, doc: OpenApiDocument = loadDocument()): string[] {
  try {
    return specValidator(doc).problems(event.schemaPointer, payload);
  } catch {
    throw new CliError(`the spec has no schema for ${event.name}`);
  }
}

async function readPayload(file: string, event: WebhookEventSpec, doc: OpenApiDocument): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the payload file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new CliError(`the payload file ${file} is not valid JSON`);
  }
  const problems = validatePayload(event, payload, doc);
  if (problems.length) throw new CliError(`the payload in ${file} is not a valid ${event.name} event: ${problems.join('; ')}`);
  return payload;
}

function receiverUrl(to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new CliError(`--to must be an http(s) URL, got "${to}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--to must be an http(s) URL, got "${to}"`);
  return url;
}

export interface TriggerOptions {
  to: string;
  secret: string;
  repeat?: number;
  payload?: string;
  timeoutMs?: number;
}

/** One delivery as the receiver answered it. */
export interface DeliveryResult {
  status: number;
  ms: number;
}

/**
 * Sends the event (its example, or the validated payload file) `repeat` times, the same signed body
 * each time, and prints one line per delivery. Returns the exit code: 0 when every delivery got a 2xx.
 */
export async function trigger(name: string, options: TriggerOptions, io: Io): Promise<number> {
  const doc = loadDocument();
  const event = findEvent(name, doc);
  const url = receiverUrl(options.to);
  if (!options.secret) throw new CliError('--secret must not be empty');
  const repeat = options.repeat ?? 1;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const payload = options.payload === undefined ? event.example : await readPayload(options.payload, event, doc);
  if (payload === undefined) throw new CliError(`the spec has no example payload for ${event.name}: pass one with --payload`);

  const signed = await signWebhookPayload(payload as object, options.secret);
  const results: DeliveryResult[] = [];
  for (let i = 1; i <= repeat; i++) {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { ...signed.headers, 'User-Agent': 'bullseye-cli' },
        body: signed.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw new CliError(`could not deliver ${event.name} to ${url.origin}${url.pathname}: ${reason(err, timeoutMs)}`);
    }
    const ms = Math.round(performance.now() - started);
    results.push({ status: response.status, ms });
    const of = repeat > 1 ? ` (${i}/${repeat})` : '';
    io.out(`${event.name} → ${url.href}: ${response.status} ${response.statusText || ''}`.trimEnd() + ` in ${ms} ms${of}`);
  }
  const failed = results.filter((r) => r.status < 200 || r.status > 299).length;
  if (failed) io.err(`${failed} of ${repeat} deliveries were not acknowledged with a 2xx`);
  return failed ? 1 : 0;
}

function reason(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** Checks a signature over the raw body read from stdin. Returns the exit code. */
export async function verify(options: { secret: string; signature: string }, body: Uint8Array, io: Io): Promise<number> {
  if (!options.secret) throw new CliError('--secret must not be empty');
  if (await verifyWebhookSignature(body, options.signature, options.secret)) {
    io.out(`valid: the ${WEBHOOK_SIGNATURE_HEADER} matches the ${body.byteLength}-byte body`);
    return 0;
  }
  const shape = /^[0-9a-fA-F]{64}$/.test(options.signature.trim()) ? '' : ' (a signature is 64 hexadecimal characters)';
  io.err(`invalid: the signature does not match the ${body.byteLength}-byte body with this secret${shape}`);
  return 1;
}
