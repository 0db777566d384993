// The fetch given to openapi-fetch: per attempt a fresh Request (body included), a deadline, the
// body read in full (so a cut-off body is a connection failure, not a parse error later), then the
// retry policy and the optional throttle.
import { ConnectionError, InvalidResponseError, TimeoutError, type BullseyeError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { OperationInfo } from './operations.js';
import type { Redactor } from './redact.js';
import { backoffDelay, isIdempotent, isRetryableStatus, retryDelay } from './retry.js';
import { abortReason, sleep, throwIfAborted } from './sleep.js';
import type { Throttle } from './throttle.js';
import { attemptSignal } from './timeout.js';

/** What the transport needs besides the options. */
export interface TransportContext {
  options: ResolvedOptions;
  operation: OperationInfo;
  redact: Redactor;
  throttle: Throttle | undefined;
  /** Called with every response received (for the client's last-seen rate limit). */
  onResponse?: (response: Response) => void;
}

const NO_BODY = new Set([101, 103, 204, 205, 304]);

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
  const causeMsg = cause instanceof Error && cause.message !== err.message ? `: ${cause.message}` : '';
  return `${err.message}${causeMsg}${code}`;
}

async function buffered(response: Response): Promise<Response> {
  const body = NO_BODY.has(response.status) ? null : await response.arrayBuffer();
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  if (response.url) Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

async function checkJson(response: Response, ctx: TransportContext): Promise<void> {
  if (!response.ok || NO_BODY.has(response.status)) return;
  const type = response.headers.get('Content-Type') ?? '';
  if (!/[/+]json\b/i.test(type)) return;
  const text = await response.clone().text();
  if (!text) return;
  try {
    JSON.parse(text);
  } catch (err) {
    throw new InvalidResponseError({
      status: response.status,
      code: 'invalid_json',
      message: ctx.redact(
        `The API answered ${response.status} with a body that is not valid JSON (${describe(err)}) (${label(ctx.operation)})`,
      ),
      details: { body: ctx.redact(text.slice(0, 200)) },
      operation: ctx.operation,
      response,
    });
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function label(op: OperationInfo): string {
  return op.operationId ?? `${op.method} ${op.path}`;
}

/** Creates the fetch function for one call of one operation. */
export function createTransport(ctx: TransportContext): (request: Request) => Promise<Response> {
  const { options } = ctx;
  const policy = options.retry;
  const log = (line: string): void => options.logger?.debug(ctx.redact(`bullseye: ${line}`));

  return async function send(template: Request): Promise<Response> {
    const callerSignal = template.signal;
    const method = template.method.toUpperCase();
    for (let attempt = 0; ; attempt++) {
      const held = ctx.throttle?.pendingMs() ?? 0;
      if (held > 0) {
        log(`${method} ${ctx.operation.path}: no request left in the window, waiting ${held} ms for the reset`);
        await sleep(held, callerSignal);
      }
      throwIfAborted(callerSignal);
      const deadline = attemptSignal(callerSignal, options.timeoutMs);
      let response: Response;
      try {
        // Raced against the signal too, so a fetch that ignores signals still honours the deadline.
        response = await raceAbort(
          options.fetch(new Request(template.clone(), { signal: deadline.signal })).then(buffered),
          deadline.signal,
        );
      } catch (err) {
        const timedOut = deadline.timedOut();
        deadline.dispose();
        if (callerSignal.aborted) throw abortReason(callerSignal);
        const error: BullseyeError = timedOut
          ? new TimeoutError({
              code: 'timeout',
              message: `${label(ctx.operation)} took longer than ${options.timeoutMs} ms (attempt ${attempt + 1})`,
              operation: ctx.operation,
            })
          : new ConnectionError({
              code: 'connection_error',
              message: ctx.redact(`${label(ctx.operation)} failed: ${describe(err)} (attempt ${attempt + 1})`),
              operation: ctx.operation,
            });
        if (attempt < policy.maxRetries && isIdempotent(method)) {
          const wait = backoffDelay(attempt, policy);
          log(`${method} ${ctx.operation.path}: ${error.code}, retry ${attempt + 1}/${policy.maxRetries} in ${wait} ms`);
          await sleep(wait, callerSignal);
          continue;
        }
        throw error;
      }
      deadline.dispose();
      ctx.throttle?.observe(response);
      ctx.onResponse?.(response);
      if (isRetryableStatus(response.status, method) && attempt < policy.maxRetries) {
        const wait = retryDelay(response, attempt, policy);
        if (wait <= policy.maxWaitMs) {
          log(`${method} ${ctx.operation.path}: HTTP ${response.status}, retry ${attempt + 1}/${policy.maxRetries} in ${wait} ms`);
          await sleep(wait, callerSignal);
          continue;
        }
        log(`${method} ${ctx.operation.path}: HTTP ${response.status} asks for ${wait} ms, more than maxWaitMs; not retrying`);
      }
      await checkJson(response, ctx);
      return response;
    }
  };
}
