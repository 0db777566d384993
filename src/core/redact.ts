// Keeps API keys out of every string the SDK produces (error messages, details, error bodies, log
// lines): the client's own key, and anything shaped like a Bullseye key, written plainly or with
// JSON `\uXXXX` escapes, whole or cut off at the end of the text.

const REDACTED = '[REDACTED]';

/** A function that removes secrets from a string. */
export type Redactor = (text: string) => string;

const literal = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

// Each character of `text`, or its JSON escape (`\u00XX`, either case of hex digits; `\"`, `\\`,
// `\/`), or its percent-encoding (`%5F` for `_`, as in a URL or a form body).
const escapable = (text: string): string =>
  [...text]
    .map((c) => {
      const anyCase = (hex: string): string => hex.replace(/[a-f]/g, (h) => `[${h}${h.toUpperCase()}]`);
      const code = c.charCodeAt(0);
      const json = `\\\\u${anyCase(code.toString(16).padStart(4, '0'))}`;
      const percent = code < 0x80 ? `|%${anyCase(code.toString(16).padStart(2, '0'))}` : '';
      return `(?:${literal(c)}|${json}${'"\\/'.includes(c) ? `|\\\\${literal(c)}` : ''}${percent})`;
    })
    .join('');

const KEY_CHAR = '(?:[A-Za-z0-9]|\\\\u00[0-9a-fA-F]{2}|%[0-9a-fA-F]{2})';
// Organization keys `bsk_live_` + hex, Partner keys `pk_live_...` (and their test variants).
const KEY_SHAPES = ['bsk_live_', 'bsk_test_', 'pk_live_', 'pk_test_'].map((prefix) => `${escapable(prefix)}${KEY_CHAR}+`);

/** Builds a redactor that hides the given secrets and anything shaped like a Bullseye key. */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const own = secrets.filter((s) => s.length >= 4);
  const pattern = new RegExp([...own.map(escapable), ...KEY_SHAPES].join('|'), 'g');
  // A text cut off inside the key (a truncated body, a sliced detail) ends with a prefix of it.
  const tails = own.map((s) => new RegExp(`(?:${[...s].slice(0, -1).map((_, i) => escapable(s.slice(0, i + 1))).slice(3).join('|')})$`));
  return (text) => {
    let out = text.replace(pattern, REDACTED);
    for (const tail of tails) out = out.replace(tail, REDACTED);
    return out;
  };
}
