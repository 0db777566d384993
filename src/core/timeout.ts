// Per-attempt deadline: `AbortSignal.timeout`, or, with a caller's signal, one AbortController that
// the caller's signal and a timer can both abort.
// None at all when there is neither a timeout nor a caller's signal (a signal that a Request has to
// follow is one of the costliest parts of a call).

/** The signal of one attempt, and how to tell a timeout from the caller aborting. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** True once the attempt's timer fired. */
  timedOut(): boolean;
  /** Stops the timer and detaches from the caller's signal (safe to call more than once). */
  dispose(): void;
}

/**
 * Links an attempt to the caller's signal and arms a timer. With `timeoutMs` 0 the caller's signal
 * is used as it is; `undefined` when there is nothing to watch.
 */
export function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number): AttemptSignal | undefined {
  if (!timeoutMs) return callerSignal && { signal: callerSignal, timedOut: () => false, dispose() {} };
  // Without a caller's signal, the platform's timeout signal: cheaper than a controller and a timer
  // (its timer cannot be cleared, but it is unreferenced and goes away with the signal).
  if (!callerSignal && typeof AbortSignal.timeout === 'function') {
    const signal = AbortSignal.timeout(timeoutMs);
    return { signal, timedOut: () => signal.aborted, dispose() {} };
  }
  const controller = new AbortController();
  let fired = false;
  const onAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new DOMException(`Attempt exceeded ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
