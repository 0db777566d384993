// Limits on what a request may carry, checked before anything is parsed, so that no input can
// crash the sandbox or hold it up: the body size the mock also allows, valid UTF-8, and a nesting
// depth no documented body comes near (JSON.parse and the validator recurse).

/** The largest body the mock accepts (Prism's HTTP server), kept for the sandbox. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
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
