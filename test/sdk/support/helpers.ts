// Shared helpers of the SDK fault tests.
import { inspect } from 'node:util';
import { setImmediate } from 'node:timers';
import { expect } from 'vitest';

export const PARTNER_KEY = 'pk_live_s3cr3tPartnerKeyForFaultTests0001';
export const ORG_KEY = 'bsk_live_0123456789abcdef0123456789abcdef';

/** Lets real I/O and microtasks run, without touching (possibly fake) timers. */
export async function tick(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Polls (on real time: performance.now and setImmediate are never faked here) until the condition holds. */
export async function until(cond: () => boolean, what = 'condition', limitMs = 5000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(1);
  }
}

/** Every rendering of an error a user could log must be free of the given keys. */
export function expectNoKey(value: unknown, keys: readonly string[] = [PARTNER_KEY, ORG_KEY]): void {
  const renderings: string[] = [inspect(value, { depth: 10 }), JSON.stringify(value) ?? '', String(value)];
  if (value instanceof Error) {
    renderings.push(value.message, value.stack ?? '', inspect(value, { depth: 10, showHidden: true }));
  }
  for (const text of renderings) for (const key of keys) expect(text).not.toContain(key);
}

/** Awaits a promise expected to reject and returns the rejection. */
/**
 * Errors a suite collects to check afterwards that none carries a key: `failure` awaits a rejection,
 * `thrown` runs a function that must throw; both keep the error in `produced` and return it.
 */
export function errorCollector(): { produced: unknown[]; failure(p: Promise<unknown>): Promise<unknown>; thrown(fn: () => unknown): unknown } {
  const produced: unknown[] = [];
  return {
    produced,
    async failure(p) {
      const err = await rejectionOf(p);
      produced.push(err);
      return err;
    },
    thrown(fn) {
      try {
        fn();
      } catch (err) {
        produced.push(err);
        return err;
      }
      throw new Error('expected a throw');
    },
  };
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}
