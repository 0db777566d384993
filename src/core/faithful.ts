// The faithful mode of the transport (see transport.ts): a custom fetch or middleware gets a fresh
// `Request` per attempt and a fresh `Response` holding the buffered body. Loaded on first use.
import type { FetchLike } from './options.js';
import type { Redactor } from './redact.js';
import { abortReason } from './sleep.js';

/** Rejects as soon as the signal aborts, so a custom fetch that ignores signals still honours deadlines. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One attempt: a fresh copy of the request (body included), the response and its whole body. */
export function exchange(
  fetch: FetchLike,
  request: Request,
  signal: AbortSignal | undefined,
  noBody: ReadonlySet<number>,
): Promise<[Response, ArrayBuffer | null]> {
  const attempt = async (): Promise<[Response, ArrayBuffer | null]> => {
    const res = await fetch(new Request(request.body ? request.clone() : request, { signal: signal ?? null }));
    return [res, noBody.has(res.status) ? null : await res.arrayBuffer()];
  };
  return signal ? raceAbort(attempt(), signal) : attempt();
}

/**
 * A fresh response with the buffered body, the status, the headers and the URL of the original. An
 * error body goes through the redactor (a key echoed back by the server is hidden).
 */
export function copyResponse(response: Response, body: string | ArrayBuffer | null, redact: Redactor): Response {
  if (!response.ok && body instanceof ArrayBuffer) {
    const text = new TextDecoder().decode(body);
    const clean = redact(text);
    if (clean !== text) body = clean;
  }
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  if (response.url) Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}
