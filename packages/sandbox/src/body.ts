// The engine's reading of a JSON body. Over HTTP the shared guard (scripts/mock/guard.ts) has
// already refused an oversized body, invalid UTF-8 and unparseable JSON; an in-process call (the
// engine's own `fetch`, `handle`) meets no guard, so the engine checks UTF-8 again here. The nesting
// limit is the sandbox's own (the guard has none): its validator recurses, where a deep body would
// overflow the stack.
import { GUARD_DEFAULTS } from '../../../scripts/mock/guard.js';

/** The largest body accepted: the shared guard's limit (Prism's own), for in-process calls too. */
export const MAX_BODY_BYTES = GUARD_DEFAULTS.maxBodyBytes;
/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 64;

export type BodyProblem = { reason: string; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a body as UTF-8; `undefined` when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Deepest nesting of `[`/`{` outside strings, stopping as soon as `limit` is passed. */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Parses a JSON body within the limits, or says what is wrong with it. */
export function parseJsonBody(bytes: Uint8Array): { value: unknown } | BodyProblem {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { reason: 'is not valid UTF-8', message: 'The request body is not valid UTF-8' };
  if (jsonDepthExceeds(text)) return { reason: `nests deeper than ${MAX_JSON_DEPTH} levels`, message: 'The request body is nested too deeply' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { reason: 'is not valid JSON', message: 'The request body is not valid JSON' };
  }
}
