// The transport: the `fetch` given once to openapi-fetch's `createClient`, and how a failed attempt
// becomes a typed error. It sends each request only to the configured origin and never follows a
// redirect, checks that a custom fetch answered with a Response, and redacts error bodies before
// anyone (openapi-fetch, middleware, the caller) reads them. Deadlines and retries are the call
// loop's (client.ts): a transport sees one attempt.
import {
  BullseyeError,
  ConfigurationError,
  ConnectionError,
  InvalidResponseError,
  label,
  RedirectError,
  TimeoutError,
  type OperationInfo,
} from './errors.js';
import type { FetchLike, ResolvedOptions } from './options.js';
import type { Redactor } from './redact.js';

const isResponse = (value: unknown): value is Response =>
  typeof value === 'object' && value !== null && typeof (value as Response).status === 'number' && typeof (value as Response).headers?.get === 'function' && typeof (value as Response).text === 'function';

/**
 * The response with its body read, failing with `InvalidResponseError` once more than `max` bytes
 * have come and cancelling the rest (the connection is released instead of filling memory).
 * Whatever reads the body next (openapi-fetch's parser, a middleware) reads it whole anyway; a body
 * the caller streams is never limited.
 */
async function limitBody(response: Response, max: number, trustLength: boolean): Promise<Response> {
  const tooLarge = (): InvalidResponseError =>
    new InvalidResponseError({ code: 'response_too_large', message: `The response body exceeds maxResponseBytes (${max} bytes)` });
  const length = response.headers.get('Content-Length');
  if (Number(length) > max) {
    void response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  // The runtime's own fetch ends a body at its Content-Length (HTTP/1.1 framing; HTTP/2 treats more
  // as a protocol error), so a declared length within the limit bounds the body, unless the body is
  // decoded (gzip and the like grow it). Counting every chunk is most of a call's cost on a small
  // answer.
  if (trustLength && length !== null && /^\d{1,15}$/.test(length) && !response.headers.has('Content-Encoding')) return response;
  const reader = response.body!.getReader();
  const chunks: BlobPart[] = [];
  for (let seen = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return new Response(new Blob(chunks), { status: response.status, statusText: response.statusText, headers: response.headers });
    if ((seen += value.byteLength) > max) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value as Uint8Array<ArrayBuffer>);
  }
}

/**
 * The `fetch` of a client: `options.fetch` behind the origin, redirect and redaction rules. A body
 * is read up to `maxBytes` (0: no limit, for a body the caller streams).
 */
export function createTransport(options: Pick<ResolvedOptions, 'fetch' | 'origin'>, redact: Redactor): (request: Request, maxBytes: number) => Promise<Response> {
  const { fetch, origin } = options;
  // A fetch of the caller's own (a wrapper, a polyfill, a test double) may hand back a body longer
  // than its Content-Length: only the runtime's is trusted to stop there.
  const trustLength = fetch === globalThis.fetch;
  const home = `${origin}/`;
  return async (request, maxBytes) => {
    // A per-call baseUrl or a middleware could point the request elsewhere: the key stays home.
    if (!request.url.startsWith(home)) {
      throw new ConfigurationError(`Refused to send the API key to ${redact(new URL(request.url).origin)}, not ${origin}`);
    }
    // The one place `redirect: 'manual'` is set: it then holds for every attempt, whatever a
    // middleware did to the request.
    const response: unknown = await (fetch as FetchLike)(request.redirect === 'manual' ? request : new Request(request, { redirect: 'manual' }));
    if (!isResponse(response)) {
      throw new InvalidResponseError({ code: 'invalid_fetch_result', message: `The fetch function resolved to ${response === null ? 'null' : typeof response}, not a Response` });
    }
    const status = response.status;
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400 && status !== 304) || response.redirected) {
      const location = response.redirected ? response.url : (response.headers.get('Location') ?? undefined);
      throw new RedirectError({
        status: status || undefined,
        code: 'redirect_refused',
        message: redact(`Redirect${location ? ` to ${location}` : ''} not followed (check baseUrl)`),
        location: location && redact(location),
        response,
      });
    }
    const bounded = maxBytes && response.body ? await limitBody(response, maxBytes, trustLength) : response;
    if (response.ok || status === 304) return bounded;
    // An error body is a diagnostic a server or proxy may echo the key into.
    const text = await bounded.text();
    // The body is now decoded text of another length.
    const headers = new Headers(response.headers);
    headers.delete('Content-Length');
    headers.delete('Content-Encoding');
    return new Response(redact(text), { status, statusText: redact(response.statusText), headers });
  };
}

/** What a failed attempt was. */
export interface AttemptContext {
  operation: OperationInfo;
  attempt: number;
  timeoutMs: number;
  /** The caller's signal and the attempt's deadline, to tell a cancellation from a timeout. */
  caller: AbortSignal | undefined;
  deadline: AbortSignal | undefined;
  redact: Redactor;
  /** Whether the attempt reached the transport: an error before that is the caller's own. */
  sent: boolean;
}

/** One line about a failed fetch: its message, its cause's message and the cause's code (e.g. ECONNRESET). */
function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = cause?.code;
  return `${err.message}${cause instanceof Error && cause.message !== err.message ? `: ${cause.message}` : ''}${code === undefined ? '' : ` (${String(code)})`}`;
}

/**
 * The typed error of an attempt that threw (in the transport, while the body was read, or while
 * JSON was parsed). The caller's own abort reason is thrown as it is; so is an error raised before
 * the request reached the transport (a middleware's, a serializer's): it is not a network failure,
 * and retrying it would fail the same way.
 */
export function attemptError(err: unknown, at: AttemptContext): unknown {
  if (at.caller?.aborted) return at.caller.reason;
  if (err instanceof BullseyeError || !at.sent) return err;
  const operation = at.operation;
  const which = `${label(operation)} (attempt ${at.attempt + 1})`;
  if (at.deadline?.aborted) return new TimeoutError({ code: 'timeout', message: `${which} took longer than ${at.timeoutMs} ms`, operation });
  if (err instanceof SyntaxError) {
    return new InvalidResponseError({ code: 'invalid_json', message: at.redact(`${which}: the success body is not valid JSON (${err.message}); parseAs: 'text' reads it as text`), operation });
  }
  // Fetch reports network failures (refused, reset, cut-off body) as TypeError.
  if (err instanceof TypeError) return new ConnectionError({ code: 'connection_error', message: at.redact(`${which} failed: ${describeFailure(err)}`), operation });
  return err;
}
