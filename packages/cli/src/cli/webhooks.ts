/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// `bullseye webhooks trigger` and `bullseye webhooks verify`: deliveries built from the spec's
// `webhooks` (their example payloads and schemas), signed and checked with the SDK's own webhook
// functions, so a receiver under development sees exactly what the API sends.
import { readFile } from 'node:fs/promises';
import { signWebhookPayload, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '@bullseye/api';
import { escapePointer, firstExample, isObject, loadDocument, resolve, type JsonObject, type OpenApiDocument } from '@bullseye/api/spec';
import { specValidator } from '../openapi-validator.js';
import { CliError, printableUrl, terminalSafe, type Io } from './io.js';

/** How long a receiver has to answer: the API waits 30 seconds before it counts a delivery as failed. */
export const DELIVERY_TIMEOUT_MS = 30_000;

export interface WebhookEventSpec {
  /** The webhook's name in the spec (`partner.billing`), which is not always the `event` its bodies carry. */
  name: string;
  /**
   * The `event` values a delivery's body carries: the schema's `const` or `enum` (`closed`), else its
   * examples, an open set the API may add to.
   */
  eventValues: { values: string[]; closed: boolean };
  /** JSON pointer of the body schema inside the bundled document. */
  schemaPointer: string;
  example: unknown;
}

/** The `event` property of a webhook body schema: its fixed values, or the examples of an open string. */
function eventValues(doc: OpenApiDocument, body: JsonObject): { values: string[]; closed: boolean } {
  const schema = resolve(doc, body.schema);
  const event = isObject(schema?.properties) && schema.properties.event !== undefined ? resolve(doc, schema.properties.event) : undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (typeof event?.const === 'string') return { values: [event.const], closed: true };
  if (strings(event?.enum).length) return { values: strings(event?.enum), closed: true };
  return { values: strings(event?.examples), closed: false };
}

/** The webhooks the spec declares, with the body schema, first example and `event` values of each. */
export function webhookEvents(doc: OpenApiDocument = loadDocument()): WebhookEventSpec[] {
  return Object.entries(doc.webhooks ?? {}).flatMap(([name, item]) => {
    const body = item.post?.requestBody as JsonObject | undefined;
    const media = isObject(body?.content) ? (body.content['application/json'] as JsonObject | undefined) : undefined;
    if (!media) return [];
    const schemaPointer = `#/webhooks/${escapePointer(name)}/post/requestBody/content/application~1json/schema`;
    return [{ name, schemaPointer, example: firstExample(doc, media), eventValues: eventValues(doc, media) }];
  });
}

function findEvent(name: string, doc: OpenApiDocument): WebhookEventSpec {
  const events = webhookEvents(doc);
  const event = events.find((e) => e.name === name);
  if (!event) throw new CliError(`unknown webhook "${name}": the spec declares ${events.map((e) => e.name).join(', ')}`);
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
    throw new CliError('--to must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--to must be an http(s) URL, got a ${terminalSafe(url.protocol, 20)} URL`);
  return url;
}

/** Credentials in the URL become a Basic Authorization header (fetch refuses them in the URL), and are never printed. */
function splitCredentials(url: URL): { target: URL; headers: Record<string, string> } {
  if (!url.username && !url.password) return { target: url, headers: {} };
  const target = new URL(url.href);
  const basic = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
  target.username = '';
  target.password = '';
  return { target, headers: { Authorization: `Basic ${basic}` } };
}

/** Where the webhook secret may come from, in the order of preference `--help` gives. */
export const WEBHOOK_SECRET_ENV = 'BULLSEYE_WEBHOOK_SECRET';

/**
 * The secret from `--secret-stdin` (first line of stdin), else `--secret`, else the environment
 * variable. `--secret` works but is the least private: `ps` shows a command line to every user.
 */
export async function resolveSecret(opts: { secret?: string; secretStdin?: boolean }, io: Io): Promise<string> {
  let secret: string | undefined;
  if (opts.secretStdin) secret = new TextDecoder().decode(await io.stdin()).split(/\r?\n/)[0];
  else secret = opts.secret ?? (io.env ?? process.env)[WEBHOOK_SECRET_ENV];
  if (!secret) throw new CliError(`no webhook secret: set ${WEBHOOK_SECRET_ENV}, or pipe it in with --secret-stdin`);
  return secret;
}

export interface TriggerOptions {
  to: string;
  secret?: string;
  secretStdin?: boolean;
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
  const { target: url, headers: auth } = splitCredentials(receiverUrl(options.to));
  const secret = await resolveSecret(options, io);
  const shown = printableUrl(url);
  const repeat = options.repeat ?? 1;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const payload = options.payload === undefined ? event.example : await readPayload(options.payload, event, doc);
  if (payload === undefined) throw new CliError(`the spec has no example payload for ${event.name}: pass one with --payload`);

  const signed = await signWebhookPayload(payload as object, secret);
  const results: DeliveryResult[] = [];
  for (let i = 1; i <= repeat; i++) {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { ...signed.headers, ...auth, 'User-Agent': 'bullseye-cli' },
        body: signed.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw new CliError(`could not deliver ${event.name} to ${shown}: ${reason(err, timeoutMs)}`);
    }
    const ms = Math.round(performance.now() - started);
    results.push({ status: response.status, ms });
    const of = repeat > 1 ? ` (${i}/${repeat})` : '';
    // The reason phrase is the receiver's: no escape sequence of its reaches the terminal.
    io.out(`${event.name} → ${shown}: ${response.status} ${terminalSafe(response.statusText || '', 80)}`.trimEnd() + ` in ${ms} ms${of}`);
  }
  const failed = results.filter((r) => r.status < 200 || r.status > 299).length;
  if (failed) io.err(`${failed} of ${repeat} deliveries were not acknowledged with a 2xx`);
  return failed ? 1 : 0;
}

/** Why a delivery failed: an error code, never a message (undici's can repeat the URL or the bytes received). */
function reason(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: unknown } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,60}$/.test(code) ? code : 'network error';
}

/** Checks a signature over the raw body read from stdin. Returns the exit code. */
export async function verify(options: { secret?: string; signature: string }, body: Uint8Array, io: Io): Promise<number> {
  // stdin is the body here: the secret comes from the environment (or --secret).
  const secret = options.secret ?? (io.env ?? process.env)[WEBHOOK_SECRET_ENV];
  if (!secret) throw new CliError(`no webhook secret: set ${WEBHOOK_SECRET_ENV} (stdin is the body here)`);
  if (await verifyWebhookSignature(body, options.signature, secret)) {
    io.out(`valid: the ${WEBHOOK_SIGNATURE_HEADER} matches the ${body.byteLength}-byte body`);
    return 0;
  }
  const shape = /^[0-9a-fA-F]{64}$/.test(options.signature.trim()) ? '' : ' (a signature is 64 hexadecimal characters)';
  io.err(`invalid: the signature does not match the ${body.byteLength}-byte body with this secret${shape}`);
  return 1;
}
