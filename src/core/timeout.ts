// Per-attempt deadline: one AbortController that the caller's signal and a timer can both abort.

/** The signal of one attempt, and how to tell a timeout from the caller aborting. */
export interface AttemptSignal {
  signal: AbortSignal;
  /** True once the attempt's timer fired. */
  timedOut(): boolean;
  /** Stops the timer and detaches from the caller's signal. */
  dispose(): void;
}

/** Links an attempt to the caller's signal and arms a timer (none when `timeoutMs` is 0). */
export function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
  const controller = new AbortController();
  let fired = false;
  const onAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          fired = true;
          controller.abort(new DOMException(`Attempt exceeded ${timeoutMs} ms`, 'TimeoutError'));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
