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
import type { Redactor } from './redact.js';
import { slow } from './lazy.js';
import { isIdempotent, isRetryableStatus } from './retry.js';
import { abortReason, throwIfAborted } from './sleep.js';
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

  /** The init's signal. Declared so that openapi-fetch, which copies init keys a request lacks onto it, finds it present. */
  get signal(): AbortSignal | null {
    return this.init.signal ?? null;
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
  /** The client's throttle, when the option is on (resolves once its code is loaded). */
  throttle: Promise<Throttle> | undefined;
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

/** Checks a success's JSON, then hands the buffered body to openapi-fetch (see the modes above). */
function settle(response: Response, body: string | ArrayBuffer | null, ctx: TransportContext): Response | Promise<Response> {
  // An error body is a diagnostic: a key the server or a proxy echoes back is hidden from the
  // result style's `error` too, not only from the typed errors (faithful mode: in copyResponse).
  if (!response.ok && typeof body === 'string') body = ctx.redact(body);
  let parsed: unknown;
  let checked = false;
  if (response.ok && body && /[/+]json\b/i.test(response.headers.get('Content-Type') ?? '')) {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    if (text) {
      try {
        parsed = JSON.parse(text);
        checked = true;
      } catch (err) {
        return slow().then(({ invalidJsonError }) => invalidJsonError(response, text, err, ctx.method, ctx.path, ctx.redact));
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
  return slow().then(({ copyResponse }) => copyResponse(response, body, ctx.redact));
}

/** Creates the fetch function for one call of one operation. */
export function createTransport(ctx: TransportContext): (request: Request | PlainRequest) => Promise<Response> {
  const { options, method, signal: caller, lean } = ctx;
  const policy = options.retry;
  const log = (line: string): void => options.logger?.debug(ctx.redact(`bullseye: ${method} ${ctx.path}: ${line}`));

  return async function send(template: Request | PlainRequest): Promise<Response> {
    const throttle = ctx.throttle && (await ctx.throttle);
    for (let attempt = 0; ; attempt++) {
      const held = throttle?.pendingMs() ?? 0;
      if (held > 0) {
        log(`no request left in the window, waiting ${held} ms for the reset`);
        await (await slow()).sleep(held, caller);
      }
      throwIfAborted(caller);
      const deadline = attempt === 0 && ctx.first ? ctx.first : attemptSignal(caller, options.timeoutMs);
      let response: Response;
      let body: string | ArrayBuffer | null;
      try {
        if (lean) {
          const { url, init } = template as PlainRequest;
          // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of ctx.
          const fetchFn = ctx.fetch as typeof fetch;
          response = await fetchFn(url, deadline === ctx.first ? init : { ...init, signal: deadline?.signal ?? null });
          body = NO_BODY.has(response.status) ? null : await response.text();
        } else {
          const { exchange } = await slow();
          [response, body] = await exchange(ctx.fetch, template as Request, deadline?.signal, NO_BODY);
        }
      } catch (err) {
        deadline?.dispose();
        if (caller?.aborted) throw abortReason(caller);
        const { attemptError, sleep, backoffDelay } = await slow();
        const error = await attemptError(err, deadline?.timedOut() ?? false, { method, path: ctx.path, attempt, timeoutMs: options.timeoutMs, redact: ctx.redact });
        if (attempt < policy.maxRetries && isIdempotent(method)) {
          const wait = backoffDelay(attempt, policy);
          log(`${error.code}, retry ${attempt + 1}/${policy.maxRetries} in ${wait} ms`);
          await sleep(wait, caller);
          continue;
        }
        throw error;
      }
      deadline?.dispose();
      throttle?.observe(response);
      ctx.onResponse(response);
      if (isRetryableStatus(response.status, method) && attempt < policy.maxRetries) {
        const { retryDelay, sleep } = await slow();
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
