// The engine's reading of a JSON body. Over HTTP the shared guard (scripts/mock/guard.ts) has
// already refused an oversized body, invalid UTF-8, JSON nested too deeply and unparseable JSON; an
// in-process call (the engine's own `fetch`, `handle`) meets no guard, so the engine applies the
// same limits here.
import { GUARD_DEFAULTS, jsonDepthExceeds } from '../../../scripts/mock/guard.js';

/** The largest body accepted: the shared guard's limit (Prism's own), for in-process calls too. */
export const MAX_BODY_BYTES = GUARD_DEFAULTS.maxBodyBytes;
/** Deepest nesting of arrays and objects a request body may have: the shared guard's limit. */
export const MAX_JSON_DEPTH = GUARD_DEFAULTS.maxJsonDepth;

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
