// The fetch given to openapi-fetch: per attempt a deadline, the body read in full (so a cut-off body
// is a connection failure, not a parse error later), a JSON check, the retry policy and the optional
// throttle.
//
// Two modes, chosen per call by the client:
// - lean (the default: global fetch, no middleware, JSON or text parsing): openapi-fetch builds a
//   `PlainRequest` instead of a `Request`, the first attempt's deadline is already in its init, and
//   each attempt is one `fetch(url, init)`. The body is read once as text and checked; the response
//   itself is returned with `text()`/`json()` answering from that text, so it is neither copied nor
//   parsed twice.
// - faithful (a custom `fetch`, middleware, or `parseAs` blob/arrayBuffer/stream): each attempt
//   gets a fresh `Request` (body included) and a fresh `Response` holding the buffered body, as
//   custom fetch functions and middleware expect.
import type { FetchLike, ResolvedOptions } from './options.js';
import { ConnectionError, InvalidResponseError, TimeoutError } from './errors.js';
import { describeOperation, label } from './operations.js';
import type { Redactor } from './redact.js';
import { backoffDelay, isIdempotent, isRetryableStatus, retryDelay } from './retry.js';
import { abortReason, sleep, throwIfAborted } from './sleep.js';
import type { Throttle } from './throttle.js';
import { attemptSignal, type AttemptSignal } from './timeout.js';

/** What openapi-fetch builds in lean mode instead of a `Request`: the URL and init of `fetch(url, init)`. */
export class PlainRequest {
  declare readonly url: string;
  declare readonly init: RequestInit;
  declare readonly method: string;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.init = init;
    this.method = init.method ?? 'GET';
  }
}

/** What the transport of one call needs besides the options. */
export interface TransportContext {
  options: ResolvedOptions;
  /** The fetch of this call (the client's, or the one given to the call). */
  fetch: FetchLike;
  /** HTTP method in upper case, and the path template. */
  method: string;
  path: string;
  redact: Redactor;
  throttle: Throttle | undefined;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
  /** Lean mode (see above). */
  lean: boolean;
  /** Lean mode: the deadline of the first attempt, already in the init openapi-fetch received. */
  first: AttemptSignal | undefined;
  /** Called with every response received (for the client's last-seen rate limit). */
  onResponse: (response: Response) => void;
}

const NO_BODY = new Set([101, 103, 204, 205, 304]);

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
  const causeMsg = cause instanceof Error && cause.message !== err.message ? `: ${cause.message}` : '';
  return `${err.message}${causeMsg}${code}`;
}

/** Rejects as soon as the signal aborts, so a custom fetch that ignores signals still honours deadlines. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Checks a success's JSON, then hands the buffered body to openapi-fetch (see the modes above). */
function settle(response: Response, body: string | ArrayBuffer | null, ctx: TransportContext): Response | Promise<never> {
  let parsed: unknown;
  let checked = false;
  if (response.ok && body && /[/+]json\b/i.test(response.headers.get('Content-Type') ?? '')) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    if (text) {
      try {
        parsed = JSON.parse(text);
        checked = true;
      } catch (err) {
        return describeOperation(ctx.method, ctx.path).then((operation) => {
          throw new InvalidResponseError({
            status: response.status,
            code: 'invalid_json',
            message: ctx.redact(`The API answered ${response.status} with a body that is not valid JSON (${describe(err)}) (${label(operation)})`),
            details: { body: ctx.redact(text.slice(0, 200)) },
            operation,
            response,
          });
        });
      }
    }
  }
  if (typeof body === 'string') {
    // Own methods shadowing the consumed body's (plain assignment: cheaper than defineProperty).
    const own = response as { text(): Promise<string>; json(): Promise<unknown> };
    own.text = async () => body;
    own.json = async () => (checked ? parsed : JSON.parse(body));
  }
  if (ctx.lean) return response;
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  if (response.url) Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

/** Creates the fetch function for one call of one operation. */
export function createTransport(ctx: TransportContext): (request: Request | PlainRequest) => Promise<Response> {
  const { options, method, signal: caller, lean } = ctx;
  const policy = options.retry;
  const log = (line: string): void => options.logger?.debug(ctx.redact(`bullseye: ${method} ${ctx.path}: ${line}`));

  return async function send(template: Request | PlainRequest): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const held = ctx.throttle?.pendingMs() ?? 0;
      if (held > 0) {
        log(`no request left in the window, waiting ${held} ms for the reset`);
        await sleep(held, caller);
      }
      throwIfAborted(caller);
      const deadline = attempt === 0 && ctx.first ? ctx.first : attemptSignal(caller, options.timeoutMs);
      let response: Response;
      let body: string | ArrayBuffer | null;
      try {
        if (lean) {
          const { url, init } = template as PlainRequest;
          response = await (ctx.fetch as typeof fetch)(url, deadline === ctx.first ? init : { ...init, signal: deadline?.signal ?? null });
          body = NO_BODY.has(response.status) ? null : await response.text();
        } else {
          const request = template as Request;
          const exchange = async (): Promise<[Response, ArrayBuffer | null]> => {
            const res = await ctx.fetch(new Request(request.body ? request.clone() : request, { signal: deadline?.signal ?? null }));
            return [res, NO_BODY.has(res.status) ? null : await res.arrayBuffer()];
          };
          [response, body] = await (deadline ? raceAbort(exchange(), deadline.signal) : exchange());
        }
      } catch (err) {
        deadline?.dispose();
        if (caller?.aborted) throw abortReason(caller);
        const operation = await describeOperation(method, ctx.path);
        const error = deadline?.timedOut()
          ? new TimeoutError({
              code: 'timeout',
              message: `${label(operation)} took longer than ${options.timeoutMs} ms (attempt ${attempt + 1})`,
              operation,
            })
          : new ConnectionError({
              code: 'connection_error',
              message: ctx.redact(`${label(operation)} failed: ${describe(err)} (attempt ${attempt + 1})`),
              operation,
            });
        if (attempt < policy.maxRetries && isIdempotent(method)) {
          const wait = backoffDelay(attempt, policy);
          log(`${error.code}, retry ${attempt + 1}/${policy.maxRetries} in ${wait} ms`);
          await sleep(wait, caller);
          continue;
        }
        throw error;
      }
      deadline?.dispose();
      ctx.throttle?.observe(response);
      ctx.onResponse(response);
      if (isRetryableStatus(response.status, method) && attempt < policy.maxRetries) {
        const wait = retryDelay(response, attempt, policy);
        if (wait <= policy.maxWaitMs) {
          log(`HTTP ${response.status}, retry ${attempt + 1}/${policy.maxRetries} in ${wait} ms`);
          await sleep(wait, caller);
          continue;
        }
        log(`HTTP ${response.status} asks for ${wait} ms, more than maxWaitMs; not retrying`);
      }
      return settle(response, body, ctx);
    }
  };
}
